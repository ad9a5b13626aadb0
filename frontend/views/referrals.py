"""Referrals on the web: the referral form, the triage list, the referral page and its sections
(screening, the notifications, the rapid review, the decision), files, and the agencies'
rapid-review contributions. Every rule is the casework services'; these views parse and render.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework import selectors, services
from casework.models import Circumstance, Outcome
from casework.working_days import working_days_between
from frontend.decorators import member_required
from frontend.forms.referral_sections import (
    AgenciesToAskForm,
    AttachmentForm,
    ContributionForm,
    DecisionForm,
    DecisionNoticesForm,
    PanelNotificationForm,
    PanelResponseForm,
    RapidReviewForm,
    RapidReviewSendForm,
    ScreeningForm,
    SosOfstedNotificationForm,
)
from frontend.forms.referrals import ReferralEntry, TriageFilterForm
from frontend.sections import section_answer
from tenants.agencies.selectors import access_agency, agency_list
from tenants.clock import today
from tenants.roles import MANAGERS, REVIEW_GROUP, Role

PAGE = "referrals/referral.html"
# Parts of the referral page that any change may alter; an htmx answer sends them out of band.
ALWAYS_REFRESHED = ("status", "clocks", "timeline")


def _require_referral_reader(actor) -> None:
    """The triage list is the review group's; an agency sees its own referrals there."""
    if not (actor.is_agency or actor.has_role(*REVIEW_GROUP)):
        raise PermissionDenied("Referrals are for the review group and the referring agencies.")


def _partnership_agencies():
    return selectors.referral_agency_choices()


# --- Presentation of clocks and the timeline ---------------------------------------------------


def clock_row(clock, day: datetime.date) -> dict:
    """What a clock shows: its state on ``day``, whether it is due soon, working days left
    (negative when overdue) and, once stopped, whether it stopped in time."""
    days_left = None if clock.stopped_on else working_days_between(day, clock.due)
    return {
        "clock": clock,
        "state": clock.state_on(day),
        "due_soon": clock.due_soon_on(day),
        "days_left": days_left,
        "days_overdue": -days_left if days_left is not None and days_left < 0 else 0,
        "met": clock.stopped_on <= clock.due if clock.stopped_on else None,
    }


def _next_open_clock(referral):
    open_clocks = [clock for clock in referral.clocks.all() if clock.stopped_on is None]
    return min(open_clocks, key=lambda clock: (clock.due, clock.pk), default=None)


TIMELINE_TITLES = {
    "referral.created": "Referral received",
    "attachment.added": "File added",
    "attachment.downloaded": "File downloaded",
    "screening.recorded": "Screened against the criteria",
    "screening.changed": "Screening changed",
    "panel_notification.recorded": "Panel notified",
    "sos_ofsted_notification.recorded": "Secretary of State and Ofsted notified",
    "rapid_review.started": "Rapid review started",
    "contribution.requested": "Contribution requested",
    "contribution.submitted": "Contribution received",
    "contribution.changed": "Contribution changed",
    "rapid_review.changed": "Rapid review updated",
    "rapid_review.sent": "Rapid review sent to the Panel",
    "panel_response.recorded": "Panel's response recorded",
    "decision.recorded": "Decision recorded",
    "decision.notices_recorded": "Recorded who was told of the decision",
    "review.commissioned": "Review commissioned",
    "clock.reminder_sent": "Reminder sent",
}


def _yes_no(value) -> str:
    return "met" if value else "not met"


def _timeline_description(event) -> str:
    detail = event.detail or {}
    action = event.action
    if action == "referral.created":
        return f"From {detail.get('agency', 'an agency')}."
    if action.startswith("screening."):
        text = (
            f"The criteria are {_yes_no(detail.get('criteria_met'))}; the review group finds "
            f"them {_yes_no(detail.get('view_met'))}."
        )
        return text + (" The group departed from the criteria." if detail.get("overridden") else "")
    if action == "panel_notification.recorded":
        return (
            f"Submitted on {detail.get('submitted_on', '')}, "
            f"Panel reference {detail.get('panel_reference', '')}."
        )
    if action == "sos_ofsted_notification.recorded":
        return f"Told on {detail.get('notified_on', '')}."
    if action == "contribution.requested":
        return f"{detail.get('agency', '')}, due {detail.get('due', '')}."
    if action.startswith("contribution."):
        return f"From {detail.get('agency', '')}."
    if action == "rapid_review.sent":
        missing = detail.get("contributions_missing") or []
        text = f"Sent on {detail.get('sent_on', '')}."
        return text + (f" Contributions missing: {', '.join(missing)}." if missing else "")
    if action == "decision.recorded":
        outcome = detail.get("outcome", "")
        label = Outcome(outcome).label if outcome in Outcome.values else outcome
        return f"{label}, decided on {detail.get('decided_on', '')}."
    if action == "review.commissioned":
        return f"Review {event.object_ref}."
    if action == "clock.reminder_sent":
        return "Overdue." if detail.get("kind") == "overdue" else "Due soon."
    return ""


def _timeline(referral) -> list[dict]:
    return [
        {
            "title": TIMELINE_TITLES.get(event.action, event.action),
            "description": _timeline_description(event),
            "by": event.actor_label,
            "at": event.occurred_at,
        }
        for event in selectors.referral_timeline(referral=referral)
    ]


# --- The referral page -------------------------------------------------------------------------


def _section_forms(referral, agencies) -> dict:
    """Each section's form, filled in with what is already recorded."""
    screening = getattr(referral, "screening", None)
    rapid_review = getattr(referral, "rapid_review", None)
    decision = getattr(referral, "decision", None)
    requests = list(rapid_review.contribution_requests.all()) if rapid_review else []
    asked = {request.agency_id for request in requests}
    involved = {agency.pk for agency in referral.agencies_involved.all()}
    involved.add(referral.referring_agency_id)
    return {
        "screening_form": ScreeningForm(
            initial={
                "view_met": ("yes" if screening.view_met else "no") if screening else None,
                "rationale": screening.rationale if screening else "",
                "override_reason": screening.override_reason if screening else "",
            }
        ),
        "panel_form": PanelNotificationForm(
            initial={
                "submitted_on": referral.panel_notified_on,
                "panel_reference": referral.panel_reference,
            }
        ),
        "sos_form": SosOfstedNotificationForm(
            initial={"notified_on": referral.sos_ofsted_notified_on}
        ),
        "start_form": AgenciesToAskForm(
            agencies=agencies,
            initial={"agencies": [str(a.uuid) for a in agencies if a.pk in involved]},
        ),
        "ask_form": AgenciesToAskForm(
            agencies=[a for a in agencies if a.pk not in asked],
            prefix="more",
            submit="Ask these agencies",
        ),
        "rapid_review_form": RapidReviewForm(
            initial={
                field: getattr(rapid_review, field)
                for field in (
                    "immediate_actions",
                    "potential_improvements",
                    "racism_inequality_disability",
                    "recommended_next_step",
                )
            }
            if rapid_review
            else None
        ),
        "send_form": RapidReviewSendForm(),
        "panel_response_form": PanelResponseForm(
            initial={
                "response": rapid_review.panel_response,
                "responded_on": rapid_review.panel_responded_on,
            }
            if rapid_review
            else None
        ),
        "decision_form": DecisionForm(),
        "notices_form": DecisionNoticesForm(
            initial={field: getattr(decision, field) for field in DecisionForm.notice_fields}
            if decision
            else None
        ),
        "attachment_form": AttachmentForm(),
    }


def _page_context(request, referral, forms=None, done=None) -> dict:
    actor = request.actor
    day = today()
    in_review_group = actor.has_role(*REVIEW_GROUP)
    agencies = list(agency_list(actor=actor)) if in_review_group else []
    rapid_review = getattr(referral, "rapid_review", None)
    criteria_met, reasons = selectors.referral_screening_rules(referral)
    context = {
        "referral": referral,
        "children": list(referral.children.all()),
        "attachments": list(referral.attachments.all()),
        "circumstances": [Circumstance(c).label for c in referral.circumstances],
        "agencies_involved": [a.name for a in referral.agencies_involved.all()]
        + list(referral.other_agencies_involved),
        "criteria_met": criteria_met,
        "criteria_reasons": reasons,
        "screening": getattr(referral, "screening", None),
        "rapid_review": rapid_review,
        "contribution_requests": [
            {"request": r, "overdue": not r.received and r.due < day}
            for r in (rapid_review.contribution_requests.all() if rapid_review else [])
        ],
        "decision": getattr(referral, "decision", None),
        "review": getattr(referral, "review", None),
        "clocks": [clock_row(clock, day) for clock in referral.clocks.all()],
        "needs_sos_ofsted": referral.looked_after_died or referral.care_leaver_died,
        "today": day,
        "in_review_group": in_review_group,
        "is_manager": actor.has_role(Role.BUSINESS_MANAGER),
        "is_chair": actor.has_role(Role.CHAIR),
        "may_send": actor.has_role(*MANAGERS),
        "may_add_files": in_review_group
        or (actor.is_agency and referral.referring_agency.uuid == actor.agency_uuid),
        "timeline": _timeline(referral) if in_review_group else [],
        "done": done or {},
    }
    context.update(_section_forms(referral, agencies) if in_review_group else {})
    context.setdefault("attachment_form", AttachmentForm())
    context.update(forms or {})
    return context


def _after(request, reference: str):
    """The referral page's context once a section is answered, the referral read afresh (for
    the page, and so audited, when the whole page is shown)."""

    def build(after) -> dict:
        read = selectors.referral_for_page if after.whole_page else selectors.access_referral
        referral = read(actor=request.actor, reference=reference)
        return _page_context(request, referral, after.forms, after.done)

    return build


def _act(request, reference, *, section, form_key, form, perform, done, also=()):
    """Answer a section's form: ``perform`` the service on the referral when the form reads.
    Any change may alter the status, the clocks and the timeline: they are refreshed too."""
    referral = selectors.access_referral(actor=request.actor, reference=reference)
    return section_answer(
        request=request,
        page=PAGE,
        section=section,
        form=form,
        form_key=form_key,
        perform=lambda data: perform(referral, data),
        render_after=_after(request, referral.reference),
        done=done,
        refresh=(*also, *ALWAYS_REFRESHED),
        back_to=reverse("frontend:referral", args=[referral.reference]),
    )


@member_required
@require_GET
def referral_detail(request, reference):
    referral = selectors.referral_for_page(actor=request.actor, reference=reference)
    return render(request, PAGE, _page_context(request, referral))


@member_required
@require_POST
def screening(request, reference):
    return _act(
        request,
        reference,
        section="screening",
        form_key="screening_form",
        form=ScreeningForm(request.POST),
        perform=lambda referral, data: services.screening_record(
            actor=request.actor, referral=referral, **data
        ),
        done="The review group's screening is recorded.",
    )


@member_required
@require_POST
def panel_notification(request, reference):
    return _act(
        request,
        reference,
        section="notification",
        form_key="panel_form",
        form=PanelNotificationForm(request.POST),
        perform=lambda referral, data: services.panel_notification_record(
            actor=request.actor, referral=referral, **data
        ),
        done="The notification to the Panel is recorded.",
        also=("rapid_review",),
    )


@member_required
@require_POST
def sos_ofsted_notification(request, reference):
    return _act(
        request,
        reference,
        section="notification",
        form_key="sos_form",
        form=SosOfstedNotificationForm(request.POST),
        perform=lambda referral, data: services.sos_ofsted_notification_record(
            actor=request.actor, referral=referral, **data
        ),
        done="The notification to the Secretary of State and Ofsted is recorded.",
    )


def _chosen_agencies(actor, uuids) -> list:
    return list(agency_list(actor=actor).filter(uuid__in=uuids))


@member_required
@require_POST
def rapid_review_start(request, reference):
    actor = request.actor
    return _act(
        request,
        reference,
        section="rapid_review",
        form_key="start_form",
        form=AgenciesToAskForm(request.POST, agencies=agency_list(actor=actor)),
        perform=lambda referral, data: services.rapid_review_start(
            actor=actor, referral=referral, agencies=_chosen_agencies(actor, data["agencies"])
        ),
        done="The rapid review has started.",
    )


@member_required
@require_POST
def contribution_requests_add(request, reference):
    actor = request.actor
    return _act(
        request,
        reference,
        section="rapid_review",
        form_key="ask_form",
        form=AgenciesToAskForm(
            request.POST,
            agencies=agency_list(actor=actor),
            prefix="more",
            submit="Ask these agencies",
        ),
        perform=lambda referral, data: services.contribution_requests_add(
            actor=actor, referral=referral, agencies=_chosen_agencies(actor, data["agencies"])
        ),
        done="The agencies have been asked.",
    )


@member_required
@require_POST
def rapid_review_update(request, reference):
    return _act(
        request,
        reference,
        section="rapid_review",
        form_key="rapid_review_form",
        form=RapidReviewForm(request.POST),
        perform=lambda referral, data: services.rapid_review_update(
            actor=request.actor, referral=referral, **data
        ),
        done="The rapid review is saved.",
    )


@member_required
@require_POST
def rapid_review_send(request, reference):
    return _act(
        request,
        reference,
        section="rapid_review",
        form_key="send_form",
        form=RapidReviewSendForm(request.POST),
        perform=lambda referral, data: services.rapid_review_send(
            actor=request.actor, referral=referral, **data
        ),
        done="The rapid review is recorded as sent to the Panel.",
    )


@member_required
@require_POST
def panel_response(request, reference):
    return _act(
        request,
        reference,
        section="rapid_review",
        form_key="panel_response_form",
        form=PanelResponseForm(request.POST),
        perform=lambda referral, data: services.panel_response_record(
            actor=request.actor, referral=referral, **data
        ),
        done="The Panel's response is recorded.",
    )


@member_required
@require_POST
def decision(request, reference):
    return _act(
        request,
        reference,
        section="decision",
        form_key="decision_form",
        form=DecisionForm(request.POST),
        perform=lambda referral, data: services.decision_record(
            actor=request.actor, referral=referral, **data
        ),
        done="The decision is recorded.",
        also=("rapid_review",),
    )


@member_required
@require_POST
def decision_notices(request, reference):
    return _act(
        request,
        reference,
        section="decision",
        form_key="notices_form",
        form=DecisionNoticesForm(request.POST),
        perform=lambda referral, data: services.decision_notices_record(
            actor=request.actor, referral=referral, **data
        ),
        done="Who was told of the decision is recorded.",
    )


# --- Files -------------------------------------------------------------------------------------


@member_required
@require_POST
def attachment_add(request, reference):
    return _act(
        request,
        reference,
        section="attachments",
        form_key="attachment_form",
        form=AttachmentForm(request.POST, request.FILES),
        perform=lambda referral, data: services.attachment_add(
            actor=request.actor, referral=referral, upload=AttachmentForm.to_upload(data)
        ),
        done="The file is added.",
    )


@member_required
@require_GET
def attachment_download(request, reference, attachment_uuid):
    """A referral's file, to those who may see the referral; every download is audited. Files
    are never at a public or guessable address."""
    attachment = selectors.attachment_for_download(
        actor=request.actor, reference=reference, attachment_uuid=attachment_uuid
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The referral form -------------------------------------------------------------------------


@member_required
@require_http_methods(["GET", "POST"])
def referral_new(request):
    actor = request.actor
    choose_agency = actor.has_role(Role.BUSINESS_MANAGER)
    if not (actor.is_agency or choose_agency):
        raise PermissionDenied("Agencies, and the business manager for them, refer cases.")
    agencies = list(_partnership_agencies())
    entry = ReferralEntry(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        agencies=agencies,
        choose_agency=choose_agency,
    )
    if request.method == "POST" and entry.is_valid():
        data = entry.form.cleaned_data
        try:
            referral = services.referral_create(
                actor=actor,
                agency=access_agency(actor=actor, agency_uuid=data["agency"])
                if data.get("agency")
                else None,
                incident_date=data["incident_date"],
                aware_date=data["aware_date"],
                harm=data["harm"],
                abuse_or_neglect=data["abuse_or_neglect"],
                circumstances=data["circumstances"],
                regime=data["regime"] or "wt2023",
                children=entry.child_inputs(),
                agencies_involved=entry.form.agency_names(),
                summary=data["summary"],
                attachments=entry.form.uploads(),
            )
        except ValidationError as error:
            entry.add_service_errors(error)
        else:
            messages.success(request, f"Referral {referral.reference} sent.")
            return redirect("frontend:referral", referral.reference)
    return render(request, "referrals/new.html", {"entry": entry})


# --- The triage list ---------------------------------------------------------------------------


@member_required
@require_GET
def referral_list(request):
    actor = request.actor
    _require_referral_reader(actor)
    agencies = None if actor.is_agency else agency_list(actor=actor, include_inactive=True)
    form = TriageFilterForm(request.GET or None, agencies=agencies)
    day = today()
    rows = []
    for referral in selectors.referral_list(actor=actor, **form.filters()):
        clock = _next_open_clock(referral)
        rows.append({"referral": referral, "clock": clock_row(clock, day) if clock else None})
    context = {
        "form": form,
        "rows": rows,
        "filtered": any(form.filters().values()),
        "may_refer": actor.is_agency or actor.has_role(Role.BUSINESS_MANAGER),
        "contribution_requests": list(selectors.contribution_requests_for_agency(actor=actor))
        if actor.is_agency
        else [],
        "today": day,
    }
    template = "referrals/list.html#results" if request.htmx else "referrals/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- The agency's contribution -----------------------------------------------------------------


@member_required
@require_http_methods(["GET", "POST"])
def contribution(request, reference):
    actor = request.actor
    contribution_request = selectors.contribution_request_for_page(actor=actor, reference=reference)
    form = ContributionForm(
        request.POST or None,
        initial={
            "facts": contribution_request.facts,
            "involvement": contribution_request.involvement,
            "immediate_safety_actions": contribution_request.immediate_safety_actions,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_submit(
                actor=actor, request=contribution_request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                f"Your contribution to {contribution_request.rapid_review.referral.reference} "
                "is sent.",
            )
            return redirect("frontend:contribution", reference=reference)
    return render(
        request,
        "referrals/contribution.html",
        {
            "contribution_request": contribution_request,
            "referral": contribution_request.rapid_review.referral,
            "closed": bool(contribution_request.rapid_review.sent_to_panel_on),
            "form": form,
        },
    )
