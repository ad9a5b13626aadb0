"""Lists as spreadsheets (CSV or Excel, issue 14): the action tracker, the referrals, the clocks
and the audit trail, each with the filters of its page. Who may have which rows, and the audit
row each download writes, are the selectors'; the files are formula-safe
(``tenants.spreadsheets``). The columns are what the pages show, never a child's name."""

from django.http import Http404
from django.views.decorators.http import require_GET

from casework import permissions, selectors
from casework.selectors import lists
from frontend.decorators import allowed_if, member_required
from frontend.downloads import SPREADSHEET_FORMATS, spreadsheet
from frontend.forms.referrals import TriageFilterForm
from frontend.forms.workspace import AuditFilterForm
from frontend.views.actions import tracker_form
from tenants.agencies import selectors as workspace_selectors
from tenants.agencies.selectors import agency_list


def _format(file_format: str) -> str:
    if file_format not in SPREADSHEET_FORMATS:
        raise Http404("No such format.")
    return file_format


def _day(value) -> str:
    return value.isoformat() if value else ""


def _action_rows(actions, partnership_name: str):
    yield ["Review", "Led by", "Recommendation", "Action", "Owner", "Due", "Status", "RAG"]
    for action in actions:
        review = action.review
        lead = getattr(getattr(review, "lead_partnership", None), "name", partnership_name)
        owner = action.owner_agency.name if action.owner_agency else partnership_name
        yield [
            review.reference,
            lead,
            action.recommendation.number if action.recommendation else "",
            action.description,
            owner,
            _day(action.due),
            action.get_status_display(),
            action.rag.title(),
        ]


@member_required
@require_GET
@allowed_if(
    permissions.may_see_actions, "Actions are for the review group and the agencies that own them."
)
def actions_export(request, file_format):
    """The tracker's actions as filtered, with those in joint reviews other partnerships lead."""
    file_format = _format(file_format)
    tracked = lists.action_tracker_for_page(
        actor=request.actor,
        filters=tracker_form(request).filters(),
        purpose="action tracker download",
        export=file_format,
    )
    actions = [*tracked["board"]["actions"], *tracked["joint"]["actions"]]
    rows = _action_rows(actions, request.partnership.name)
    return spreadsheet(rows, name="actions", file_format=file_format)


def _referral_rows(referrals):
    yield [
        "Reference",
        "Status",
        "Referring agency",
        "Referred by",
        "Incident",
        "Aware",
        "Harm",
        "Abuse or neglect",
        "Open clocks (due)",
    ]
    for referral in referrals:
        clocks = "; ".join(
            f"{clock.label}: {_day(clock.due)}"
            for clock in referral.clocks.all()
            if not clock.stopped_on
        )
        yield [
            referral.reference,
            referral.get_status_display(),
            referral.referring_agency.name,
            referral.referred_by,
            _day(referral.incident_date),
            _day(referral.aware_date),
            referral.get_harm_display(),
            referral.get_abuse_or_neglect_display(),
            clocks,
        ]


@member_required
@require_GET
@allowed_if(permissions.may_see_referrals, "Referrals are the review group's and agencies'.")
def referrals_export(request, file_format):
    """The referrals the person sees, with the triage list's filters."""
    actor = request.actor
    agencies = None if actor.is_agency else agency_list(actor=actor, include_inactive=True)
    form = TriageFilterForm(request.GET or None, agencies=agencies)
    referrals = selectors.referrals_for_export(
        actor=actor, file_format=_format(file_format), **form.filters()
    )
    return spreadsheet(_referral_rows(referrals), name="referrals", file_format=file_format)


def _clock_rows(clocks):
    yield ["Referral", "Clock", "Counted from", "Due", "Length", "Source", "Stopped on"]
    for clock in clocks:
        yield [
            clock.referral.reference,
            clock.label,
            _day(clock.counted_from),
            _day(clock.due),
            clock.length_label,
            clock.source,
            _day(clock.stopped_on),
        ]


@member_required
@require_GET
@allowed_if(permissions.may_see_clock_board, "The clock board is the review group's.")
def clocks_export(request, file_format):
    """Every clock of the referrals the person sees, running and stopped."""
    clocks = selectors.clocks_for_export(actor=request.actor, file_format=_format(file_format))
    return spreadsheet(_clock_rows(clocks), name="clocks", file_format=file_format)


def _audit_rows(events):
    yield [
        "When (UTC)",
        "Who",
        "Role",
        "Partnership",
        "Action",
        "Object type",
        "Object",
        "Detail",
        "Host",
        "Request",
    ]
    for event in events.iterator(chunk_size=2000):
        yield [
            event.occurred_at.isoformat(),
            event.actor_label,
            event.actor_role,
            event.partnership_key,
            event.action,
            event.object_type,
            event.object_ref,
            str(event.detail) if event.detail else "",
            event.host,
            event.request_id,
        ]


@member_required
@require_GET
def audit_trail_export(request, file_format):
    """The audit trail between two dates, with the page's filters (a 404 to anyone but the
    business manager and the chair: the selector's)."""
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = workspace_selectors.audit_event_list(
        actor=request.actor,
        action=filters.get("action", ""),
        actor_label=filters.get("actor", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        export=_format(file_format),
    )
    return spreadsheet(_audit_rows(events), name="audit-trail", file_format=file_format)
