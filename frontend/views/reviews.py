"""Reviews on the web: the list of reviews, commissioning a thematic review, and the review
workspace's tabs (overview, terms of reference, information requests, findings and
recommendations, action plan, documents; the chronology is in ``frontend.views.chronology``).

Every page reaches its review through ``access_review``/``review_for_page``: a reviewer not
appointed, an agency and another partnership all get the same 404. Every change is a review
service's; a refusal by role is a 403, a ValidationError is shown in the form's error summary.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework import permissions, selectors, services
from casework import selectors as referral_selectors
from casework.joint import selectors as joint_selectors
from casework.joint import services as joint_services
from casework.joint.models import ParticipantPermission, ParticipantState
from casework.models import InformationRequest
from casework.services import ASKS, DOCUMENT_KINDS
from frontend.decorators import member_required
from frontend.forms.actions import ActionForm
from frontend.forms.base import ButtonForm
from frontend.forms.joint import JointInviteForm, ParticipantSignOffForm, ReasonForm
from frontend.forms.reviews import (
    AppointForm,
    DocumentForm,
    FindingForm,
    InformationRequestForm,
    RecommendationForm,
    ReviewCommissionForm,
    ReviewerChoiceForm,
    ReviewerProfileEntry,
    StageMoveForm,
    TermsForm,
    TermsSignOffForm,
)
from frontend.links import review_path
from frontend.sections import After, section_answer
from frontend.views.referrals import clock_row
from tenants.agencies.selectors import agency_list
from tenants.clock import today
from tenants.roles import MANAGERS, REVIEW_GROUP, REVIEW_GROUP_AND_REVIEWERS, Role
from tenants.selectors import membership_list_for_partnership

TABS = (
    ("overview", "Overview", "review"),
    ("terms", "Terms of reference", "review-terms"),
    ("information", "Information requests", "review-information"),
    ("chronology", "Chronology", "review-chronology"),
    ("findings", "Findings and recommendations", "review-findings"),
    ("actions", "Action plan", "review-actions"),
    ("documents", "Documents", "review-documents"),
)


# --- Shared by every tab -----------------------------------------------------------------------


def workspace_context(request, review, tab: str) -> dict:
    """What every tab shows: the review's heading, its stage and the sub-navigation. Seen through
    the joint-review door, the same tabs, with the lead named and the lead's own parts (its
    reviewers, terms, stages and documents) shown but not offered."""
    actor = request.actor
    passage = getattr(request, "joint", None)
    return {
        "review": review,
        "tab": tab,
        "tabs": [
            {"key": key, "label": label, "url": review_path(request, name, review)}
            for key, label, name in TABS
        ],
        "today": today(),
        "in_review_group": actor.has_role(*REVIEW_GROUP),
        "is_manager": actor.has_role(*MANAGERS) and not actor.is_joint,
        "is_chair": actor.has_role(Role.CHAIR),
        "is_participant": actor.is_joint,
        "lead_partnership": passage.lead if passage else None,
        "may_lead": not actor.is_joint,
        "may_contribute": actor.may(ParticipantPermission.CONTRIBUTE),
        "may_write_findings": actor.may(ParticipantPermission.FINDINGS),
    }


def tab_url(request, review, tab: str, section: str = "") -> str:
    name = next(name for key, _, name in TABS if key == tab)
    url = review_path(request, name, review)
    return f"{url}#{section}" if section else url


def tab_answer(request, review, *, tab: str, template: str, build, **answer):
    """Answer a form on one of the review's tabs (``frontend.sections.section_answer``): the
    tab built by ``build(request, review, forms, done)``, the review read for the page (and so
    audited) when the whole tab is shown with the form's errors."""

    def render_after(after) -> dict:
        shown = review
        if after.whole_page:
            shown = selectors.review_for_page(
                actor=request.actor, reference=review.reference, tab=tab
            )
        return build(request, shown, after.forms, after.done)

    return section_answer(
        request=request,
        page=template,
        render_after=render_after,
        back_to=tab_url(request, review, tab),
        **answer,
    )


# --- The list of reviews -----------------------------------------------------------------------


def _review_agencies(request, review, *, include_inactive: bool = False):
    """The agencies this review's forms offer (a participant: its own)."""
    return selectors.review_agency_choices(
        actor=request.actor, review=review, include_inactive=include_inactive
    )


def _require_review_reader(actor) -> None:
    if not (actor.has_role(*REVIEW_GROUP_AND_REVIEWERS)):
        raise PermissionDenied("Reviews are for the review group and the appointed reviewers.")


def _commission_form(actor, data=None):
    return ReviewCommissionForm(
        data,
        # Choices for the form, not a read of the list: the page records its own.
        referrals=referral_selectors.referral_list(actor=actor, audit=False),
        agencies=agency_list(actor=actor),
    )


@member_required
@require_http_methods(["GET", "POST"])
def review_list(request):
    actor = request.actor
    _require_review_reader(actor)
    may_commission = actor.has_role(*MANAGERS)
    form = _commission_form(actor) if may_commission else None
    if request.method == "POST":
        if not may_commission:
            raise PermissionDenied("The business manager or the chair commissions a review.")
        form = _commission_form(actor, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                review = services.thematic_review_commission(
                    actor=actor,
                    title=data["title"],
                    commissioned_on=data["commissioned_on"],
                    referrals=list(
                        referral_selectors.referral_list(actor=actor, audit=False).filter(
                            reference__in=data["referrals"]
                        )
                    ),
                    agencies=list(agency_list(actor=actor).filter(uuid__in=data["agencies"])),
                    review_type=data["review_type"] or "thematic",
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"Review {review.reference} commissioned.")
                return redirect("frontend:review", review.reference)
    return render(
        request,
        "reviews/list.html",
        {
            "reviews": selectors.review_list_for_page(actor=actor),
            "is_reviewer": actor.has_role(Role.LEAD_REVIEWER),
            "is_manager": may_commission,
            "form": form,
            "page_error": bool(form is not None and form.errors),
        },
    )


# --- Overview: stage, reviewers, sign-off ------------------------------------------------------


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


def _lead_reviewers(actor) -> list[tuple[str, str]]:
    return [
        (str(m.user.uuid), f"{m.user.full_name or m.user.email} ({m.user.email})")
        for m in membership_list_for_partnership(partnership=actor.partnership)
        if m.role == Role.LEAD_REVIEWER and m.user.is_active
    ]


def _check(actor, review, user_uuid) -> dict:
    """The independence check of one lead reviewer against this review, before appointing."""
    reviewers = dict(_lead_reviewers(actor))
    if str(user_uuid) not in reviewers:
        raise Http404("No such reviewer.")
    profile = selectors.reviewer_profile_for(actor=actor, user_uuid=user_uuid)
    conflicts = services.independence_conflicts(review=review, profile=profile) if profile else []
    return {
        "user_uuid": str(user_uuid),
        "label": reviewers[str(user_uuid)],
        "profile": profile,
        "affiliations": list(profile.affiliations.all()) if profile else [],
        "conflicts": conflicts,
    }


def _overview_context(request, review, forms, done, check=None) -> dict:
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
    if context["is_manager"]:
        reviewers = _lead_reviewers(actor)
        context["reviewers"] = reviewers
        context["check_form"] = ReviewerChoiceForm(
            reviewers=reviewers, initial={"reviewer": check["user_uuid"]} if check else None
        )
        context["profile_entry"] = ReviewerProfileEntry(
            reviewers=reviewers,
            profile=check["profile"] if check else None,
            initial_reviewer=check["user_uuid"] if check else "",
        )
        # A conflicted reviewer can be appointed only by the chair, with a reason: no one else
        # is offered a button that could only be refused.
        if check and check["profile"] and (not check["conflicts"] or context["is_chair"]):
            context["appoint_form"] = AppointForm(
                initial={"reviewer": check["user_uuid"]},
                conflicted=bool(check["conflicts"]),
                may_override=context["is_chair"],
            )
    context.update(_joint_context(request, review, context, forms))
    if context["is_chair"] and context["is_participant"]:
        if actor.partnership.key not in context["sign_offs"]:
            context["sign_off_form"] = ParticipantSignOffForm()
    elif context["is_chair"] and not review.chair_signed_off_at:
        context["sign_off_form"] = ButtonForm(submit="Sign the report off", prefix="sign-off")
    context.update(forms)
    return context


def _joint_context(request, review, context, forms) -> dict:
    """The overview's joint-review section: who takes part and how far, what each may do, the
    history of each part, and the lead's forms (invite, let in, end); each participant's chair's
    sign-off."""
    actor = request.actor
    grant = joint_selectors.grant_for_review(review=review)
    parts = list(grant.participants.all()) if grant else []
    for part in parts:
        part.may_open = permissions.may_open_part(actor, part)
        part.may_end = permissions.may_end_part(actor, part)
        part.is_ours = part.partnership_id == actor.partnership.pk
        if part.may_end:
            # The form with its errors, when it was this part's that was sent.
            part.end_form = forms.get(_end_part_key(part)) or _end_part_form(part)
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
    if context["is_manager"] and (grant is None or grant.ended_at is None):
        joint["invite_form"] = JointInviteForm(
            partnerships=joint_selectors.invitable_partnerships(actor=actor, review=review)
        )
        if grant is not None:
            joint["end_joint_form"] = ReasonForm(
                submit="End the joint review", prefix="end-joint", label="Why does it end?"
            )
    return joint


def _overview_answer(request, review, section, *, check=None, **answer):
    """Answer a form on the overview (``frontend.sections.section_answer``), the review read
    as its page reads it (appointments, clocks) each time. ``check(after)`` is the independence
    check to show with it, if any; the overview's address then names that reviewer."""

    def shown_check(after):
        return check(after) if check is not None else None

    def render_after(after) -> dict:
        shown = selectors.review_for_page(actor=request.actor, reference=review.reference)
        return _overview_context(request, shown, after.forms, after.done, shown_check(after))

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
    if request.GET.get("reviewer") and request.actor.has_role(*MANAGERS):
        check = _check(request.actor, review, request.GET["reviewer"])
    return render(
        request, "reviews/overview.html", _overview_context(request, review, {}, None, check)
    )


@member_required
@require_POST
def stage_move(request, reference):
    review = selectors.access_review(actor=request.actor, reference=reference)
    following = review.definition.next_stage(review.stage)
    return _overview_answer(
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


@member_required
@require_POST
def reviewer_check(request, reference):
    actor = request.actor
    actor.require_role(*MANAGERS)
    review = selectors.access_review(actor=actor, reference=reference)
    return _overview_answer(
        request,
        review,
        "reviewers",
        form=ReviewerChoiceForm(request.POST, reviewers=_lead_reviewers(actor)),
        form_key="check_form",
        perform=lambda data: _check(actor, review, data["reviewer"]),
        check=lambda after: after.result,
    )


@member_required
@require_POST
def reviewer_appoint(request, reference):
    actor = request.actor
    actor.require_role(*MANAGERS)
    review = selectors.access_review(actor=actor, reference=reference)
    check = _check(actor, review, request.POST.get("appoint-reviewer", ""))
    if check["profile"] is None:
        raise Http404("No such reviewer.")
    form = AppointForm(
        request.POST,
        conflicted=bool(check["conflicts"]),
        may_override=actor.has_role(Role.CHAIR),
    )
    return _overview_answer(
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
        ),
        done=f"{check['profile'].name} is appointed.",
        # The check stays in view while its form has errors; once appointed, it has served.
        check=lambda after: check if after.forms else None,
    )


@member_required
@require_POST
def reviewer_profile(request, reference):
    actor = request.actor
    actor.require_role(*MANAGERS)
    review = selectors.access_review(actor=actor, reference=reference)
    reviewers = _lead_reviewers(actor)
    entry = ReviewerProfileEntry(request.POST, reviewers=reviewers)

    def save(data) -> dict:
        profile = services.reviewer_profile_save(
            actor=actor,
            user_uuid=data["reviewer"],
            name=data["name"],
            organisation=data["organisation"],
            affiliations=entry.affiliation_inputs(),
        )
        return _check(actor, review, profile.user_uuid)

    return _overview_answer(
        request,
        review,
        "reviewers",
        form=entry,
        form_key="profile_entry",
        perform=save,
        done=lambda check: f"{check['profile'].name}'s profile is saved.",
        check=lambda after: after.result,
    )


@member_required
@require_POST
def chair_sign_off(request, reference):
    review = selectors.access_review(actor=request.actor, reference=reference)
    if request.actor.is_joint:
        form = ParticipantSignOffForm(request.POST)
    else:
        form = ButtonForm(request.POST, submit="Sign the report off", prefix="sign-off")
    return _overview_answer(
        request,
        review,
        "sign_off",
        form=form,
        form_key="sign_off_form",
        perform=lambda data: services.review_chair_sign_off(
            actor=request.actor, review=review, statement=data.get("statement", "")
        ),
        done="You have signed the report off.",
    )


# --- Joint reviews: the lead's side ----------------------------------------------------------


def _end_part_key(part) -> str:
    return f"end_part_{part.uuid.hex}"


def _end_part_form(part, data=None) -> ReasonForm:
    withdraw = part.state == "invited"
    return ReasonForm(
        data,
        submit=f"{'Withdraw the invitation to' if withdraw else 'End the part of'} "
        f"{part.partnership.name}",
        prefix=f"end-{part.uuid.hex[:8]}",
        label="Why? (optional)" if withdraw else "Why does their part end?",
    )


def _joint_answer(request, review, **answer):
    return _overview_answer(request, review, "joint", **answer)


@member_required
@require_POST
def joint_invite(request, reference):
    """The lead's business manager or chair invites a partnership to hold the review jointly."""
    actor = request.actor
    review = selectors.access_review(actor=actor, reference=reference)
    form = JointInviteForm(
        request.POST,
        partnerships=joint_selectors.invitable_partnerships(actor=actor, review=review),
    )
    return _joint_answer(
        request,
        review,
        form=form,
        form_key="invite_form",
        perform=lambda data: joint_services.joint_review_invite(
            actor=actor,
            review=review,
            partnership_key=data["partnership"],
            permissions=data["permissions"],
            open_on_acceptance=data["open_on_acceptance"],
        ),
        done=lambda part: f"{part.partnership.name} is invited to the review.",
    )


@member_required
@require_POST
def joint_part_open(request, reference, participant_uuid):
    actor = request.actor
    review = selectors.access_review(actor=actor, reference=reference)
    part = joint_selectors.access_participant(
        actor=actor, review=review, participant_uuid=participant_uuid
    )
    try:
        joint_services.joint_review_open(actor=actor, part=part)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(tab_url(request, review, "overview", "joint"))
    return _joint_answer(request, review, done=f"The review is open to {part.partnership.name}.")


@member_required
@require_POST
def joint_part_end(request, reference, participant_uuid):
    """The lead's chair ends a partnership's part (its business manager or chair withdraws an
    invitation not yet answered)."""
    actor = request.actor
    review = selectors.access_review(actor=actor, reference=reference)
    part = joint_selectors.access_participant(
        actor=actor, review=review, participant_uuid=participant_uuid
    )
    return _joint_answer(
        request,
        review,
        form=_end_part_form(part, request.POST),
        form_key=_end_part_key(part),
        perform=lambda data: joint_services.joint_review_part_end(
            actor=actor, part=part, reason=data["reason"]
        ),
        done=f"The part of {part.partnership.name} has ended.",
    )


@member_required
@require_POST
def joint_end(request, reference):
    """The lead's business manager or chair ends the joint review for everyone."""
    actor = request.actor
    review = selectors.access_review(actor=actor, reference=reference)
    form = ReasonForm(
        request.POST, submit="End the joint review", prefix="end-joint", label="Why does it end?"
    )
    return _joint_answer(
        request,
        review,
        form=form,
        form_key="end_joint_form",
        perform=lambda data: joint_services.joint_review_end(
            actor=actor, review=review, reason=data["reason"]
        ),
        done="The joint review has ended.",
    )


# --- Terms of reference ------------------------------------------------------------------------


def _terms_context(request, review, forms, done) -> dict:
    versions = list(selectors.terms_versions(review=review))
    latest = versions[0] if versions else None
    context = {
        **workspace_context(request, review, "terms"),
        "versions": versions,
        "latest": latest,
        "done": done or {},
        "terms_form": TermsForm(
            initial={
                "scope": latest.scope,
                "lines_of_enquiry": latest.lines_of_enquiry,
                "period_start": latest.period_start,
                "period_end": latest.period_end,
            }
            if latest
            else None
        ),
    }
    if latest and not latest.signed_off_at and context["is_chair"]:
        context["terms_sign_off_form"] = TermsSignOffForm(initial={"version": latest.version})
    context.update(forms)
    return context


@member_required
@require_GET
def terms(request, reference):
    review = selectors.review_for_page(actor=request.actor, reference=reference, tab="terms")
    return render(request, "reviews/terms.html", _terms_context(request, review, {}, None))


def _terms_answer(request, review, **answer):
    return tab_answer(
        request,
        review,
        tab="terms",
        template="reviews/terms.html",
        build=_terms_context,
        section="terms",
        **answer,
    )


@member_required
@require_POST
def terms_write(request, reference):
    review = selectors.access_review(actor=request.actor, reference=reference)
    return _terms_answer(
        request,
        review,
        form=TermsForm(request.POST),
        form_key="terms_form",
        perform=lambda data: services.terms_write(actor=request.actor, review=review, **data),
        done="A new version of the terms is saved.",
    )


@member_required
@require_POST
def terms_sign_off(request, reference):
    review = selectors.access_review(actor=request.actor, reference=reference)
    form = TermsSignOffForm(request.POST)

    def sign(data):
        latest = selectors.terms_versions(review=review).first()
        if latest is None or latest.version != data["version"]:
            # Sign off only what was read: a newer version may have been written meanwhile.
            raise ValidationError(["A newer version has been written: read it, then sign it off."])
        services.terms_sign_off(actor=request.actor, terms=latest)

    return _terms_answer(
        request,
        review,
        form=form,
        form_key="terms_sign_off_form",
        perform=sign,
        done="The terms of reference are signed off.",
    )


# --- Information requests ----------------------------------------------------------------------


def _information_context(request, review, forms, done) -> dict:
    day = today()
    requests = list(selectors.information_requests_of_review(review=review))
    context = {
        **workspace_context(request, review, "information"),
        "requests": [
            {
                "request": r,
                "asks": [ASKS.get(ask, ask) for ask in r.asks],
                "overdue": r.status == InformationRequest.Status.OPEN and r.due < day,
                "responses": list(r.responses.all()),
                "may_close": permissions.may_close_request(request.actor, r),
            }
            for r in requests
        ],
        "request_form": InformationRequestForm(agencies=_review_agencies(request, review)),
        "done": done or {},
    }
    context.update(forms)
    return context


@member_required
@require_GET
def information(request, reference):
    review = selectors.review_for_page(actor=request.actor, reference=reference, tab="information")
    return render(
        request, "reviews/information.html", _information_context(request, review, {}, None)
    )


def _information_answer(request, review, **answer):
    return tab_answer(
        request,
        review,
        tab="information",
        template="reviews/information.html",
        build=_information_context,
        section="requests",
        **answer,
    )


@member_required
@require_POST
def information_request_create(request, reference):
    actor = request.actor
    review = selectors.access_review(actor=actor, reference=reference)
    form = InformationRequestForm(request.POST, agencies=_review_agencies(request, review))

    def create(data):
        services.information_request_create(
            actor=actor,
            review=review,
            agency=selectors.access_review_agency(
                actor=actor, review=review, agency_uuid=data["agency"]
            ),
            asks=data["asks"],
            details=data["details"],
            due=data["due"],
        )

    return _information_answer(
        request,
        review,
        form=form,
        form_key="request_form",
        perform=create,
        done="The request is sent to the agency.",
    )


@member_required
@require_POST
def information_request_close(request, reference, request_uuid):
    actor = request.actor
    review = selectors.access_review(actor=actor, reference=reference)
    information_request = selectors.access_information_request(
        actor=actor, request_uuid=request_uuid
    )
    if information_request.review_id != review.pk:
        raise Http404("No such request.")
    services.information_request_close(actor=actor, request=information_request)
    return _information_answer(
        request, review, done=f"The request to {information_request.agency.name} is closed."
    )


# --- Findings and recommendations --------------------------------------------------------------


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
            agencies=_review_agencies(request, review), findings=findings
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
        request.POST, agencies=_review_agencies(request, review), findings=findings_list
    )

    def add(data):
        numbers = {int(n) for n in data["findings"]}
        services.recommendation_add(
            actor=actor,
            review=review,
            text=data["text"],
            to_partnership=data["to_partnership"],
            agencies=list(_review_agencies(request, review).filter(uuid__in=data["agencies"])),
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


# --- The action plan ---------------------------------------------------------------------------


def _actions_context(request, review, forms, done) -> dict:
    day = today()
    recommendations = list(selectors.recommendations_of_review(review=review))
    context = {
        **workspace_context(request, review, "actions"),
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
            agencies=_review_agencies(request, review),
            partnership=request.actor.partnership,
        ),
        "done": done or {},
    }
    context.update(forms)
    return context


@member_required
@require_GET
def action_plan(request, reference):
    review = selectors.review_for_page(actor=request.actor, reference=reference, tab="actions")
    return render(request, "reviews/actions.html", _actions_context(request, review, {}, None))


@member_required
@require_POST
def action_add(request, reference):
    actor = request.actor
    review = selectors.access_review(actor=actor, reference=reference)
    recommendations = {str(r.uuid): r for r in selectors.recommendations_of_review(review=review)}
    form = ActionForm(
        request.POST,
        recommendations=recommendations.values(),
        agencies=_review_agencies(request, review),
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

    return tab_answer(
        request,
        review,
        tab="actions",
        template="reviews/actions.html",
        build=_actions_context,
        section="plan",
        form=form,
        form_key="action_form",
        perform=add,
        done="The action is added.",
    )


# --- Documents ---------------------------------------------------------------------------------


def _documents_context(request, review, forms, done) -> dict:
    context = {
        **workspace_context(request, review, "documents"),
        "documents": list(selectors.review_documents(review=review)),
        "kinds": DOCUMENT_KINDS,
        "document_form": DocumentForm(),
        "done": done or {},
    }
    context.update(forms)
    return context


@member_required
@require_GET
def documents(request, reference):
    review = selectors.review_for_page(actor=request.actor, reference=reference, tab="documents")
    return render(request, "reviews/documents.html", _documents_context(request, review, {}, None))


@member_required
@require_POST
def document_upload(request, reference):
    review = selectors.access_review(actor=request.actor, reference=reference)
    form = DocumentForm(request.POST, request.FILES)

    def upload(data):
        services.review_document_upload(
            actor=request.actor,
            review=review,
            title=data["title"],
            kind=data["kind"],
            upload=form.upload(),
        )

    return tab_answer(
        request,
        review,
        tab="documents",
        template="reviews/documents.html",
        build=_documents_context,
        section="documents",
        form=form,
        form_key="document_form",
        perform=upload,
        done="The document is uploaded.",
    )


@member_required
@require_GET
def document_download(request, reference, document_uuid):
    """A review document, to those who may open the review; every download is audited. Files
    are never at a public or guessable address."""
    review = selectors.access_review(actor=request.actor, reference=reference)
    document = selectors.review_document_for_download(
        actor=request.actor, review=review, document_uuid=document_uuid
    )
    return private_file(document.file, document.original_name, document.content_type)


def private_file(file, name: str, content_type: str) -> FileResponse:
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
