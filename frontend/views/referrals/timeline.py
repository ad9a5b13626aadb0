"""The referral page's timeline: everything that happened to the referral (reads left out), in
the users' words, from its audit rows (``casework.selectors.referral_timeline``)."""

from casework import selectors
from casework.models import Outcome, PanelResponse

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
    "decision.communicated": "Decision communicated",
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
    if action == "panel_response.recorded":
        kind = detail.get("kind", "")
        return f"{PanelResponse(kind).label}." if kind in PanelResponse.values else ""
    if action == "decision.recorded":
        outcome = detail.get("outcome", "")
        label = Outcome(outcome).label if outcome in Outcome.values else outcome
        early = " before the Panel answered, with the chair's reason" * bool(
            detail.get("before_the_panel_answered")
        )
        return f"{label}, decided on {detail.get('decided_on', '')}{early}."
    if action == "review.commissioned":
        return f"Review {event.object_ref}."
    if action == "clock.reminder_sent":
        return "Overdue." if detail.get("kind") == "overdue" else "Due soon."
    return ""


def timeline(referral) -> list[dict]:
    return [
        {
            "title": TIMELINE_TITLES.get(event.action, event.action),
            "description": _timeline_description(event),
            "by": event.actor_label,
            "at": event.occurred_at,
        }
        for event in selectors.referral_timeline(referral=referral)
    ]
