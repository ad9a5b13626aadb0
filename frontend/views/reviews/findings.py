"""The findings and recommendations tab: numbered findings with the key practice episodes that
support them, and recommendations addressed to the partnership or to agencies
(``casework.permissions.may_write_findings``; the services check it again)."""

from casework import selectors, services
from frontend.forms.reviews import FindingForm, RecommendationForm
from frontend.views.reviews.workspace import Tab, review_agencies, review_view


def _shows(request, review) -> dict:
    findings = list(selectors.findings_of_review(review=review))
    context = {
        "findings": findings,
        "recommendations": list(selectors.recommendations_of_review(review=review)),
        "finding_form": FindingForm(
            entries=selectors.chronology_entries(review=review, key_only=True)
        ),
        "recommendation_form": RecommendationForm(
            agencies=review_agencies(request, review), findings=findings
        ),
    }
    return context


TAB = Tab("findings", "reviews/findings.html", _shows)


findings = TAB.view()


@review_view("POST")
def finding_add(request, review):
    key_episodes = selectors.chronology_entries(review=review, key_only=True)
    form = FindingForm(request.POST, entries=key_episodes)

    def add(data):
        services.finding_add(
            actor=request.actor,
            review=review,
            text=data["text"],
            evidence=list(key_episodes.filter(uuid__in=data["evidence"])),
        )

    return TAB.answer(
        request,
        review,
        "findings",
        form=form,
        form_key="finding_form",
        perform=add,
        done="The finding is added.",
        # A new finding can be answered by a recommendation: that form lists findings too.
        refresh=("recommendations",),
    )


@review_view("POST")
def recommendation_add(request, review):
    actor = request.actor
    findings_list = list(selectors.findings_of_review(review=review))
    form = RecommendationForm(
        request.POST, agencies=review_agencies(request, review), findings=findings_list
    )

    def add(data):
        numbers = {int(n) for n in data["findings"]}
        services.recommendation_add(
            actor=actor,
            review=review,
            text=data["text"],
            to_partnership=data["to_partnership"],
            agencies=list(review_agencies(request, review).filter(uuid__in=data["agencies"])),
            findings=[f for f in findings_list if f.number in numbers],
        )

    return TAB.answer(
        request,
        review,
        "recommendations",
        form=form,
        form_key="recommendation_form",
        perform=add,
        done="The recommendation is added.",
    )
