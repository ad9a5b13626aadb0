"""The referral page and its sections (screening, the notifications, the rapid review, the
decision, files). Each section's form posts to a view made by ``section_view`` from a line of
the table below: the form, the service, what to say when done. What a section offers is asked
of ``casework.permissions``; every change is a casework service's, which checks the rule again.
"""

from dataclasses import dataclass

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from casework import permissions, selectors, services
from casework.models import Circumstance
from frontend.decorators import member_required
from frontend.downloads import private_file
from frontend.forms.referral_sections import (
    AgenciesToAskForm,
    AttachmentForm,
    DecisionForm,
    DecisionNoticesForm,
    PanelNotificationForm,
    PanelResponseForm,
    RapidReviewForm,
    RapidReviewSendForm,
    ScreeningForm,
    SosOfstedNotificationForm,
)
from frontend.sections import section_answer
from frontend.views.clocks import clock_row
from frontend.views.referrals.timeline import timeline
from tenants.agencies.selectors import agency_list
from tenants.clock import today

PAGE = "referrals/referral.html"
# Parts of the referral page that any change may alter; an htmx answer sends them out of band.
ALWAYS_REFRESHED = ("status", "clocks", "timeline")


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
            next_steps=selectors.rapid_review_next_steps(referral),
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
            else None,
        ),
        "send_form": RapidReviewSendForm(),
        "panel_response_form": PanelResponseForm(
            initial={
                "kind": rapid_review.panel_response_kind,
                "response": rapid_review.panel_response,
                "responded_on": rapid_review.panel_responded_on,
            }
            if rapid_review
            else None
        ),
        "decision_form": DecisionForm(outcomes=selectors.decision_outcomes(referral)),
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
    in_review_group = permissions.may_see_every_case(actor)
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
        "waiting": selectors.referral_waiting(referral),
        "regime": selectors.referral_regime(referral),
        "decide_needs_reason": selectors.step_may_with_reason(referral, "decide"),
        "clocks": [clock_row(clock, day) for clock in referral.clocks.all()],
        "needs_sos_ofsted": referral.looked_after_died or referral.care_leaver_died,
        "today": day,
        "in_review_group": in_review_group,
        "may_notify": permissions.may_notify(actor),
        "may_decide": permissions.may_decide(actor),
        "may_record_decision_notices": permissions.may_record_decision_notices(actor),
        "may_send": permissions.may_send_rapid_review(actor),
        "may_add_files": permissions.may_add_referral_file(actor, referral),
        "timeline": timeline(referral) if in_review_group else [],
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


@dataclass(frozen=True)
class Section:
    """One form of the referral page: the ``section`` it answers, the context key of its form,
    how to read the form from a request, the change it asks for (``perform(actor, referral,
    data)``), what to say when done, and the parts of the page it alters beyond those any change
    does."""

    section: str
    form_key: str
    form: object
    perform: object
    done: str
    also: tuple[str, ...] = ()


def _answer(request, reference, section: Section):
    """Answer a section's form: perform the service on the referral when the form reads. Any
    change may alter the status, the clocks and the timeline: they are refreshed too."""
    referral = selectors.access_referral(actor=request.actor, reference=reference)
    return section_answer(
        request=request,
        page=PAGE,
        section=section.section,
        form=section.form(request),
        form_key=section.form_key,
        perform=lambda data: section.perform(request.actor, referral, data),
        render_after=_after(request, referral.reference),
        done=section.done,
        refresh=(*section.also, *ALWAYS_REFRESHED),
        back_to=reverse("frontend:referral", args=[referral.reference]),
    )


def section_view(section: Section):
    """The POST view answering ``section`` of a referral's page."""

    @member_required
    @require_POST
    def view(request, reference):
        return _answer(request, reference, section)

    view.__name__ = section.form_key.removesuffix("_form")
    return view


def _recorded(service):
    """Perform ``service`` on the referral with the form's data, as the actor."""
    return lambda actor, referral, data: service(actor=actor, referral=referral, **data)


# The rapid review's forms offer any of the partnership's active agencies (those the review group
# is offered): whether the asker may ask them is the service's to answer (a 403), not the form's.
def _asking(service):
    """Perform ``service`` on the referral with the agencies the form chose."""
    return lambda actor, referral, data: service(
        actor=actor,
        referral=referral,
        agencies=list(agency_list(actor=actor).filter(uuid__in=data["agencies"])),
    )


def _posted(form_class):
    return lambda request: form_class(request.POST)


@member_required
@require_GET
def referral_detail(request, reference):
    referral = selectors.referral_for_page(actor=request.actor, reference=reference)
    return render(request, PAGE, _page_context(request, referral))


screening = section_view(
    Section(
        "screening",
        "screening_form",
        _posted(ScreeningForm),
        _recorded(services.screening_record),
        "The review group's screening is recorded.",
    )
)
panel_notification = section_view(
    Section(
        "notification",
        "panel_form",
        _posted(PanelNotificationForm),
        _recorded(services.panel_notification_record),
        "The notification to the Panel is recorded.",
        also=("rapid_review",),
    )
)
sos_ofsted_notification = section_view(
    Section(
        "notification",
        "sos_form",
        _posted(SosOfstedNotificationForm),
        _recorded(services.sos_ofsted_notification_record),
        "The notification to the Secretary of State and Ofsted is recorded.",
    )
)
rapid_review_start = section_view(
    Section(
        "rapid_review",
        "start_form",
        lambda request: AgenciesToAskForm(
            request.POST, agencies=selectors.referral_agency_choices()
        ),
        _asking(services.rapid_review_start),
        "The rapid review has started.",
    )
)
contribution_requests_add = section_view(
    Section(
        "rapid_review",
        "ask_form",
        lambda request: AgenciesToAskForm(
            request.POST,
            agencies=selectors.referral_agency_choices(),
            prefix="more",
            submit="Ask these agencies",
        ),
        _asking(services.contribution_requests_add),
        "The agencies have been asked.",
    )
)
rapid_review_update = section_view(
    Section(
        "rapid_review",
        "rapid_review_form",
        _posted(RapidReviewForm),
        _recorded(services.rapid_review_update),
        "The rapid review is saved.",
    )
)
rapid_review_send = section_view(
    Section(
        "rapid_review",
        "send_form",
        _posted(RapidReviewSendForm),
        _recorded(services.rapid_review_send),
        "The rapid review is recorded as sent to the Panel.",
    )
)
panel_response = section_view(
    Section(
        "rapid_review",
        "panel_response_form",
        _posted(PanelResponseForm),
        _recorded(services.panel_response_record),
        "The Panel's response is recorded.",
    )
)
decision = section_view(
    Section(
        "decision",
        "decision_form",
        _posted(DecisionForm),
        _recorded(services.decision_record),
        "The decision is recorded.",
        also=("rapid_review",),
    )
)
decision_notices = section_view(
    Section(
        "decision",
        "notices_form",
        _posted(DecisionNoticesForm),
        _recorded(services.decision_notices_record),
        "Who was told of the decision is recorded.",
    )
)
attachment_add = section_view(
    Section(
        "attachments",
        "attachment_form",
        lambda request: AttachmentForm(request.POST, request.FILES),
        lambda actor, referral, data: services.attachment_add(
            actor=actor, referral=referral, upload=AttachmentForm.to_upload(data)
        ),
        "The file is added.",
    )
)


@member_required
@require_GET
def attachment_download(request, reference, attachment_uuid):
    """A referral's file, to those who may see the referral; every download is audited. Files
    are never at a public or guessable address."""
    attachment = selectors.attachment_for_download(
        actor=request.actor, reference=reference, attachment_uuid=attachment_uuid
    )
    return private_file(attachment.file, attachment.original_name, attachment.content_type)
