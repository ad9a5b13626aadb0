"""Actions on the web: the partnership-wide action tracker (every open action across reviews,
by agency, review, status and RAG, with counts) and an action's own page, where its owner
posts progress with evidence and the review group verifies it. An agency sees and updates only
the actions it owns; any other action is a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework import permissions, selectors, services
from casework.joint import listings
from casework.models import ActionStatus
from casework.selectors import lists
from frontend.decorators import allowed_if, member_required
from frontend.downloads import private_file
from frontend.forms.actions import ActionTrackerFilterForm, ActionUpdateForm
from frontend.forms.base import ButtonForm
from frontend.links import review_path
from frontend.views.reviews.chronology import pagination
from tenants.agencies.selectors import agency_list
from tenants.clock import today

TRACKER_PAGE_SIZE = 100
RAG_LABELS = {"red": "Red", "amber": "Amber", "green": "Green"}


@member_required
@require_GET
@allowed_if(
    permissions.may_see_actions, "Actions are for the review group and the agencies that own them."
)
def tracker(request):
    actor = request.actor
    in_review_group = permissions.may_track_every_action(actor)
    reviews = None
    if not actor.is_agency:
        reviews = [(r.reference, r.reference) for r in selectors.review_list(actor=actor)]
        reviews += [
            (grant.review_reference, f"{grant.review_reference} (led by {grant.lead.name})")
            for grant in listings.joint_review_choices(actor=actor)
        ]
    form = ActionTrackerFilterForm(
        request.GET or None,
        agencies=agency_list(actor=actor, include_inactive=True) if in_review_group else None,
        reviews=reviews,
    )
    # Next to its own reviews' actions, those it owns in joint reviews other partnerships lead.
    tracked = lists.action_tracker_for_page(
        actor=actor, filters=form.filters(), purpose="action tracker"
    )
    board, joint = tracked["board"], tracked["joint"]
    paginator = Paginator(board["actions"], TRACKER_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "pages": pagination(page.number, paginator.num_pages),
        "query": query.urlencode(),
        "counts_by_rag": [
            {
                "key": key,
                "label": RAG_LABELS[key],
                "count": count + joint["counts_by_rag"].get(key, 0),
            }
            for key, count in board["counts_by_rag"].items()
        ],
        "counts_by_status": [
            {
                "key": key,
                "label": ActionStatus(key).label,
                "count": count + joint["counts_by_status"].get(key, 0),
            }
            for key, count in board["counts_by_status"].items()
        ],
        "joint_actions": joint["actions"],
        "filtered": bool(request.GET.get("agency") or request.GET.get("review"))
        or bool(request.GET.get("status") or request.GET.get("rag")),
        "in_review_group": in_review_group,
        "today": board["day"],
    }
    response = render(
        request, "actions/tracker.html#results" if request.htmx else "actions/tracker.html", context
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


def _changed(request, form, perform, done: str) -> bool:
    """Whether ``perform(the form's data)`` changed the action (then ``done`` is said);
    otherwise the form carries what was wrong, the service's refusals included."""
    if not form.is_valid():
        return False
    try:
        perform(form.cleaned_data)
    except ValidationError as error:
        form.add_service_errors(error)
        return False
    messages.success(request, done)
    return True


def _action_context(request, action, *, update_form=None, verify_form=None) -> dict:
    actor = request.actor
    in_review_group = permissions.may_see_every_case(actor)
    may_update = action.status != ActionStatus.VERIFIED and permissions.may_update_action(
        actor, action
    )
    return {
        "action": action,
        "rag": services.action_rag(action, today()),
        "recommendation": action.recommendation,
        "updates": list(selectors.action_updates(action=action)),
        "in_review_group": in_review_group,
        # A lead reviewer sees their review's actions; only its workers open the workspace.
        "may_open_review": permissions.may_open_reviews_of_actions(actor),
        "may_update": may_update,
        "update_form": update_form or ActionUpdateForm(initial={"status": action.status}),
        "may_verify": permissions.may_verify_action(actor, action)
        and action.status == ActionStatus.COMPLETE,
        "verify_form": verify_form or ButtonForm(submit="Verify the action", prefix="verify"),
        "today": today(),
    }


@member_required
@require_http_methods(["GET", "POST"])
def action_detail(request, action_uuid):
    actor = request.actor
    if request.method == "GET":
        action = selectors.action_for_page(actor=actor, action_uuid=action_uuid)
    else:
        action = selectors.access_action(actor=actor, action_uuid=action_uuid)
    form = None
    if request.method == "POST":
        form = ActionUpdateForm(request.POST, request.FILES)
        if _changed(
            request,
            form,
            lambda data: services.action_update_add(
                actor=actor,
                action=action,
                status=data["status"],
                note=data["note"],
                evidence=form.evidence_upload(),
            ),
            "Your update is saved.",
        ):
            return redirect(review_path(request, "action", action.review, action.uuid))
    context = _action_context(request, action, update_form=form)
    return render(
        request, "actions/action.html", {**context, "page_error": bool(form and form.errors)}
    )


@member_required
@require_POST
def action_verify(request, action_uuid):
    actor = request.actor
    action = selectors.access_action(actor=actor, action_uuid=action_uuid)
    form = ButtonForm(request.POST, submit="Verify the action", prefix="verify")
    if _changed(
        request,
        form,
        lambda _data: services.action_verify(actor=actor, action=action),
        "The action is verified and closed.",
    ):
        return redirect(review_path(request, "action", action.review, action.uuid))
    context = _action_context(request, action, verify_form=form)
    context["may_verify"] = True
    return render(request, "actions/action.html", {**context, "page_error": True})


@member_required
@require_GET
def evidence_download(request, action_uuid, update_uuid):
    """An update's evidence, to those who may see the action; every download is audited."""
    update = selectors.action_evidence_for_download(
        actor=request.actor, action_uuid=action_uuid, update_uuid=update_uuid
    )
    return private_file(update.evidence, update.evidence_name, update.evidence_type)
