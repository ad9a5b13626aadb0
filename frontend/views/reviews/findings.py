"""The findings and recommendations tab: numbered findings with the key practice episodes that
support them, and recommendations addressed to the partnership or to agencies
(``casework.permissions.may_write_findings``; the services check it again)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from casework import selectors, services
from frontend.decorators import member_required
from frontend.forms.reviews import FindingForm, RecommendationForm
from frontend.views.reviews.workspace import review_agencies, tab_answer, workspace_context


def _findings_context(request, review, forms, done) -> dict:
    findings = list(selectors.findings_of_review(review=review))
    context = {
        **workspace_context(request, review, "findings"),
        "findings": findings,
        "recommendations": list(selectors.recommendations_of_review(review=review)),
        "finding_form": FindingForm(
            entries=selectors.chronology_entries(review=review, key_only=True)
        ),
        "recommendation_form": RecommendationForm(
            agencies=review_agencies(request, review), findings=findings
        ),
        "done": done or {},
    }
    context.update(forms)
    return context


@member_required
@require_GET
def findings(request, reference):
    review = selectors.review_for_page(actor=request.actor, reference=reference, tab="findings")
    return render(request, "reviews/findings.html", _findings_context(request, review, {}, None))


def _findings_answer(request, review, section, **answer):
    return tab_answer(
        request,
        review,
        tab="findings",
        template="reviews/findings.html",
        build=_findings_context,
        section=section,
        **answer,
    )


@member_required
@require_POST
def finding_add(request, reference):
    review = selectors.access_review(actor=request.actor, reference=reference)
    key_episodes = selectors.chronology_entries(review=review, key_only=True)
    form = FindingForm(request.POST, entries=key_episodes)

    def add(data):
        services.finding_add(
            actor=request.actor,
            review=review,
            text=data["text"],
            evidence=list(key_episodes.filter(uuid__in=data["evidence"])),
        )

    return _findings_answer(
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


@member_required
@require_POST
def recommendation_add(request, reference):
    actor = request.actor
    review = selectors.access_review(actor=actor, reference=reference)
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

    return _findings_answer(
        request,
        review,
        "recommendations",
        form=form,
        form_key="recommendation_form",
        perform=add,
        done="The recommendation is added.",
    )
