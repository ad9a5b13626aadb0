"""The action plan tab: each recommendation's actions with their RAG status, and a new action
owned by an agency or the partnership (``casework.permissions.may_contribute_to_review``; the
service checks it again). The partnership-wide tracker is ``frontend.views.actions``."""

from casework import selectors, services
from frontend.forms.actions import ActionForm
from frontend.views.reviews.workspace import Tab, review_agencies, review_view
from tenants.clock import today


def _shows(request, review) -> dict:
    day = today()
    recommendations = list(selectors.recommendations_of_review(review=review))
    context = {
        "plan": [
            {
                "recommendation": recommendation,
                "actions": [
                    {"action": action, "rag": services.action_rag(action, day)}
                    for action in recommendation.actions.all()
                ],
            }
            for recommendation in recommendations
        ],
        "action_form": ActionForm(
            recommendations=recommendations,
            agencies=review_agencies(request, review),
            partnership=request.actor.partnership,
        ),
    }
    return context


TAB = Tab("actions", "reviews/actions.html", _shows)


action_plan = TAB.view()


@review_view("POST")
def action_add(request, review):
    actor = request.actor
    recommendations = {str(r.uuid): r for r in selectors.recommendations_of_review(review=review)}
    form = ActionForm(
        request.POST,
        recommendations=recommendations.values(),
        agencies=review_agencies(request, review),
        partnership=actor.partnership,
    )

    def add(data):
        services.action_add(
            actor=actor,
            recommendation=recommendations[data["recommendation"]],
            description=data["description"],
            owner_agency=selectors.access_review_agency(
                actor=actor, review=review, agency_uuid=data["owner"]
            )
            if data["owner"]
            else None,
            due=data["due"],
        )

    return TAB.answer(
        request,
        review,
        "plan",
        form=form,
        form_key="action_form",
        perform=add,
        done="The action is added.",
    )
