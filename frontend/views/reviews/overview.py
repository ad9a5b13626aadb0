"""The review's overview tab: its stages and the move to the next, the lead reviewers (with the
independence check before appointing), the joint-review section and the chair's sign-off. The
forms posted from those sections (``reviewers``, ``joint``, ``sign_off``) answer through
``overview_answer``, so the overview is built in one place."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from casework import permissions, selectors, services
from casework.joint import selectors as joint_selectors
from casework.joint.models import ParticipantPermission, ParticipantState
from frontend.decorators import member_required
from frontend.forms.base import ButtonForm, ReasonForm
from frontend.forms.joint import JointInviteForm, ParticipantSignOffForm
from frontend.forms.reviews import (
    AppointForm,
    HomeOfficeForm,
    ReviewerChoiceForm,
    ReviewerProfileEntry,
    StageMoveForm,
)
from frontend.sections import After, section_answer
from frontend.views.clocks import clock_row
from frontend.views.reviews.workspace import review_view, tab_url, workspace_context
from tenants.agencies.selectors import agency_list
from tenants.clock import today
from tenants.selectors import lead_reviewer_choices


def _stages(review) -> list[dict]:
    keys = [stage.key for stage in review.definition.stages]
    current = keys.index(review.stage)
    return [
        {
            "stage": stage,
            "state": "done" if n < current else ("current" if n == current else "to_come"),
        }
        for n, stage in enumerate(review.definition.stages)
    ]


def lead_reviewers(actor) -> list[tuple[str, str]]:
    """The partnership's active lead reviewers, as (user UUID, label) choices."""
    return [
        (str(m.user.uuid), f"{m.user.full_name or m.user.email} ({m.user.email})")
        for m in lead_reviewer_choices(partnership=actor.partnership)
    ]


def independence_check(actor, review, user_uuid) -> dict:
    """The independence check of one lead reviewer against this review, before appointing."""
    reviewers = dict(lead_reviewers(actor))
    if str(user_uuid) not in reviewers:
        raise Http404("No such reviewer.")
    profile = selectors.reviewer_profile_for(actor=actor, user_uuid=user_uuid)
    found = services.independence_check(review=review, profile=profile) if profile else None
    return {
        "user_uuid": str(user_uuid),
        "label": reviewers[str(user_uuid)],
        "profile": profile,
        "affiliations": list(profile.affiliations.all()) if profile else [],
        "conflicts": found.conflicts if found else [],
        "warnings": found.warnings if found else [],
    }


def register_choices(actor) -> list[tuple[str, str]]:
    """The agencies register, as (UUID, name) choices for a reviewer's affiliations."""
    return [(str(agency.uuid), agency.name) for agency in agency_list(actor=actor)]


def end_part_key(part) -> str:
    return f"end_part_{part.uuid.hex}"


def end_part_form(part, data=None) -> ReasonForm:
    withdraw = part.state == "invited"
    return ReasonForm(
        data,
        submit=f"{'Withdraw the invitation to' if withdraw else 'End the part of'} "
        f"{part.partnership.name}",
        prefix=f"end-{part.uuid.hex[:8]}",
        label="Why? (optional)" if withdraw else "Why does their part end?",
    )


def _reviewers_context(actor, check) -> dict:
    """The reviewers section's forms, for those who appoint: check a reviewer, record their
    profile, and appoint them. A conflicted reviewer can be appointed only by the chair, with a
    reason: no one else is offered a button that could only be refused."""
    if not permissions.may_manage_reviewers(actor):
        return {}
    reviewers = lead_reviewers(actor)
    may_override = permissions.may_override_conflict(actor)
    context = {
        "reviewers": reviewers,
        "may_override": may_override,
        "check_form": ReviewerChoiceForm(
            reviewers=reviewers, initial={"reviewer": check["user_uuid"]} if check else None
        ),
        "profile_entry": ReviewerProfileEntry(
            reviewers=reviewers,
            profile=check["profile"] if check else None,
            initial_reviewer=check["user_uuid"] if check else "",
            agencies=register_choices(actor),
        ),
    }
    answered_only_by_chair = check and (check["conflicts"] or check["warnings"])
    if check and check["profile"] and (not answered_only_by_chair or may_override):
        context["appoint_form"] = AppointForm(
            initial={"reviewer": check["user_uuid"]},
            conflicted=bool(check["conflicts"]),
            warned=bool(check["warnings"]),
            may_override=may_override,
        )
    return context


def _joint_context(actor, review, forms) -> dict:
    """The joint-review section: who takes part and how far, what each may do, the history of
    each part, and the lead's forms (invite, let in, end); each participant's chair's
    sign-off."""
    grant = joint_selectors.grant_for_review(review=review)
    parts = list(grant.participants.all()) if grant else []
    for part in parts:
        part.may_open = permissions.may_open_part(actor, part)
        part.may_end = permissions.may_end_part(actor, part)
        part.is_ours = part.partnership_id == actor.partnership.pk
        if part.may_end:
            # The form with its errors, when it was this part's that was sent.
            part.end_form = forms.get(end_part_key(part)) or end_part_form(part)
    sign_offs = selectors.sign_offs_of_review(review=review) if grant else {}
    signing = [p for p in parts if p.state == ParticipantState.ACTIVE]
    for part in signing:
        part.sign_off = sign_offs.get(part.partnership.key)
    joint = {
        "grant": grant,
        "parts": parts,
        "sign_offs": sign_offs,
        "signing": signing,
        "permission_labels": ParticipantPermission.choices,
    }
    if permissions.may_manage_joint_reviews(actor) and (grant is None or grant.ended_at is None):
        joint["invite_form"] = JointInviteForm(
            partnerships=joint_selectors.invitable_partnerships(actor=actor, review=review)
        )
        if grant is not None:
            joint["end_joint_form"] = ReasonForm(
                submit="End the joint review", prefix="end-joint", label="Why does it end?"
            )
    return joint


def _sign_off_form(actor, review, sign_offs):
    """The chair's sign-off: the lead's once, each participant's chair once for their own."""
    if not permissions.may_sign_off_review(actor, review):
        return None
    if actor.is_joint:
        return ParticipantSignOffForm() if actor.partnership.key not in sign_offs else None
    if review.chair_signed_off_at:
        return None
    return ButtonForm(submit="Sign the report off", prefix="sign-off")


def overview_context(request, review, forms, done, check=None) -> dict:
    actor = request.actor
    day = today()
    following = review.definition.next_stage(review.stage)
    context = {
        **workspace_context(request, review, "overview"),
        "stages": _stages(review),
        "next_stage": following,
        "may_move": bool(following) and permissions.may_move_stage(actor, review, following),
        "appointments": list(review.live_appointments),
        "agencies": list(review.agencies.all()),
        "children": list(review.children.all()),
        "related_referrals": list(review.related_referrals.all())
        if review.definition.thematic
        else [],
        "clocks": [clock_row(clock, day) for clock in review.clocks.all()],
        "check": check,
        "done": done or {},
    }
    if following:
        context["stage_form"] = StageMoveForm(
            initial={"to_stage": following.key}, next_label=following.label.lower()
        )
    context.update(_reviewers_context(actor, check))
    context.update(_joint_context(actor, review, forms))
    if "home_office_submission" in {rule.name for rule in review.definition.clocks} and (
        permissions.may_manage_reviewers(actor)
    ):
        context["home_office_form"] = HomeOfficeForm(
            initial={"sent_on": review.home_office_sent_on}
        )
    sign_off_form = _sign_off_form(actor, review, context["sign_offs"])
    if sign_off_form is not None:
        context["sign_off_form"] = sign_off_form
    context.update(forms)
    return context


def overview_answer(request, review, section, *, check=None, **answer):
    """Answer a form on the overview (``frontend.sections.section_answer``), the review read
    as its page reads it (appointments, clocks) each time. ``check(after)`` is the independence
    check to show with it, if any; the overview's address then names that reviewer."""

    def shown_check(after):
        return check(after) if check is not None else None

    def render_after(after) -> dict:
        shown = selectors.review_for_page(actor=request.actor, reference=review.reference)
        return overview_context(request, shown, after.forms, after.done, shown_check(after))

    def back_to(result) -> str:
        url = tab_url(request, review, "overview")
        checked = shown_check(After(result=result))
        return f"{url}?{urlencode({'reviewer': checked['user_uuid']})}" if checked else url

    return section_answer(
        request=request,
        page="reviews/overview.html",
        section=section,
        render_after=render_after,
        back_to=back_to,
        **answer,
    )


@member_required
@require_GET
def overview(request, reference):
    review = selectors.review_for_page(actor=request.actor, reference=reference)
    check = None
    if request.GET.get("reviewer") and permissions.may_manage_reviewers(request.actor):
        check = independence_check(request.actor, review, request.GET["reviewer"])
    return render(
        request, "reviews/overview.html", overview_context(request, review, {}, None, check)
    )


@review_view("POST")
def stage_move(request, review):
    following = review.definition.next_stage(review.stage)
    return overview_answer(
        request,
        review,
        "stage",
        form=StageMoveForm(request.POST, next_label=following.label.lower() if following else ""),
        form_key="stage_form",
        perform=lambda data: services.review_stage_move(
            actor=request.actor, review=review, to_stage=data["to_stage"]
        ),
        done=lambda _: f"The review has moved to {review.stage_label.lower()}.",
        refresh=("heading_stage",),
    )


@review_view("POST")
def home_office_submission(request, review):
    """A domestic abuse related death review's overview report sent to the Home Office: its
    clock stops (``casework.services.home_office_submission_record``)."""
    return overview_answer(
        request,
        review,
        "clocks",
        form=HomeOfficeForm(request.POST),
        form_key="home_office_form",
        perform=lambda data: services.home_office_submission_record(
            actor=request.actor, review=review, sent_on=data["sent_on"]
        ),
        done=lambda _: "The submission to the Home Office is recorded.",
    )
