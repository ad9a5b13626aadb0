"""The overview's reviewers section: check a lead reviewer's independence, record their profile
(the affiliations they declare) and appoint them (a conflict only by the chair, with a reason).
Who may is ``casework.permissions.may_manage_reviewers`` and ``may_override_conflict``; the
services check it again."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.views.decorators.http import require_POST

from casework import permissions, selectors, services
from frontend.decorators import member_required
from frontend.forms.reviews import AppointForm, ReviewerChoiceForm, ReviewerProfileEntry
from frontend.views.reviews.overview import (
    independence_check,
    lead_reviewers,
    overview_answer,
    register_choices,
)


def _reviewed(request, reference):
    """The review, for those who appoint its reviewers (the lead's business manager or chair).
    Found first: a review the asker cannot see is a 404 whatever their role; one they see but
    may not staff is a 403 (``tests/test_ownership.py``)."""
    review = selectors.access_review(actor=request.actor, reference=reference)
    if not permissions.may_manage_reviewers(request.actor):
        raise PermissionDenied("The business manager or the chair appoints the reviewers.")
    return review


@member_required
@require_POST
def reviewer_check(request, reference):
    actor = request.actor
    review = _reviewed(request, reference)
    return overview_answer(
        request,
        review,
        "reviewers",
        form=ReviewerChoiceForm(request.POST, reviewers=lead_reviewers(actor)),
        form_key="check_form",
        perform=lambda data: independence_check(actor, review, data["reviewer"]),
        check=lambda after: after.result,
    )


@member_required
@require_POST
def reviewer_appoint(request, reference):
    actor = request.actor
    review = _reviewed(request, reference)
    check = independence_check(actor, review, request.POST.get("appoint-reviewer", ""))
    if check["profile"] is None:
        raise Http404("No such reviewer.")
    form = AppointForm(
        request.POST,
        conflicted=bool(check["conflicts"]),
        warned=bool(check["warnings"]),
        may_override=permissions.may_override_conflict(actor),
    )
    return overview_answer(
        request,
        review,
        "reviewers",
        form=form,
        form_key="appoint_form",
        perform=lambda data: services.reviewer_appoint(
            actor=actor,
            review=review,
            profile=check["profile"],
            appointed_on=data["appointed_on"],
            override_reason=data.get("override_reason", ""),
            independence_reason=data.get("independence_reason", ""),
        ),
        done=f"{check['profile'].name} is appointed.",
        # The check stays in view while its form has errors; once appointed, it has served.
        check=lambda after: check if after.forms else None,
    )


@member_required
@require_POST
def reviewer_profile(request, reference):
    actor = request.actor
    review = _reviewed(request, reference)
    entry = ReviewerProfileEntry(
        request.POST, reviewers=lead_reviewers(actor), agencies=register_choices(actor)
    )

    def save(data) -> dict:
        profile = services.reviewer_profile_save(
            actor=actor,
            user_uuid=data["reviewer"],
            name=data["name"],
            organisation=data["organisation"],
            affiliations=entry.affiliation_inputs(),
        )
        return independence_check(actor, review, profile.user_uuid)

    return overview_answer(
        request,
        review,
        "reviewers",
        form=entry,
        form_key="profile_entry",
        perform=save,
        done=lambda check: f"{check['profile'].name}'s profile is saved.",
        check=lambda after: after.result,
    )
