"""Changes to casework, one module a topic (DESIGN §2, step by step). Each change checks who may
make it (``casework.permissions``), keeps the clocks right and writes its audit row in the same
transaction; the audit details name objects by reference, never a child. Callers import
``casework.services``; the modules are:

- ``clocks``: a referral's clocks kept in line with what is recorded, and the daily reminders;
- ``referrals``, ``screening``, ``notifications``, ``rapid_reviews``, ``decisions``: a referral
  from the agency's report to the chair's decision;
- ``review_clocks``: a review's own clocks (its type's) and the Home Office submission;
- ``reviews`` (stages, sign-off, thematic reviews), ``reviewers``, ``terms``, ``information``,
  ``chronology``, ``findings``, ``actions``, ``documents``: the review and its action plan.
"""

from casework.services.actions import (
    action_add,
    action_rag,
    action_update_add,
    action_verify,
    actions_chase,
)
from casework.services.chronology import (
    EntryInput,
    chronology_entry_add,
    chronology_entry_correct,
    entry_outside_period,
)
from casework.services.clocks import (
    clock_reminders_send,
    clocks_sync,
    event_date_check,
    referral_events,
    referral_facts,
)
from casework.services.decisions import (
    decision_notices_record,
    decision_of,
    decision_record,
)
from casework.services.documents import (
    DOCUMENT_KINDS,
    DOCUMENT_MAX_BYTES,
    review_document_upload,
)
from casework.services.findings import (
    finding_add,
    recommendation_add,
)
from casework.services.information import (
    ASKS,
    agency_emails,
    home_partnership,
    information_request_close,
    information_request_create,
    information_requests_chase,
    information_requests_create_for_involved,
    information_response_submit,
)
from casework.services.notifications import (
    panel_notification_record,
    sos_ofsted_notification_record,
)
from casework.services.rapid_reviews import (
    CONTRIBUTION_MAX_LENGTH,
    CONTRIBUTION_WORKING_DAYS,
    contribution_requests_add,
    contribution_submit,
    panel_response_record,
    rapid_review_of,
    rapid_review_send,
    rapid_review_start,
    rapid_review_update,
)
from casework.services.referrals import (
    ATTACHMENT_MAX_BYTES,
    MAX_AGENCIES_INVOLVED,
    MAX_CHILDREN,
    SUMMARY_MAX_LENGTH,
    ChildInput,
    attachment_add,
    reference_next,
    referral_create,
)
from casework.services.review_clocks import (
    home_office_submission_record,
    review_clocks_sync,
    review_events,
)
from casework.services.reviewers import (
    CONFIRM_HINT,
    INDEPENDENCE_LOOKBACK_YEARS,
    NEAR_MATCH_SCORE,
    OVERRIDE_HINT,
    AffiliationInput,
    Independence,
    independence_check,
    independence_conflicts,
    review_partnership_names,
    reviewer_appoint,
    reviewer_appointment_end,
    reviewer_profile_save,
)
from casework.services.reviews import (
    PREREQUISITES,
    agency_check,
    review_audit,
    review_chair_sign_off,
    review_stage_move,
    stage_missing,
    thematic_review_commission,
)
from casework.services.screening import (
    screening_record,
)
from casework.services.terms import (
    terms_sign_off,
    terms_write,
)

__all__ = [
    "ASKS",
    "ATTACHMENT_MAX_BYTES",
    "CONFIRM_HINT",
    "CONTRIBUTION_MAX_LENGTH",
    "CONTRIBUTION_WORKING_DAYS",
    "DOCUMENT_KINDS",
    "DOCUMENT_MAX_BYTES",
    "INDEPENDENCE_LOOKBACK_YEARS",
    "MAX_AGENCIES_INVOLVED",
    "MAX_CHILDREN",
    "NEAR_MATCH_SCORE",
    "OVERRIDE_HINT",
    "PREREQUISITES",
    "SUMMARY_MAX_LENGTH",
    "AffiliationInput",
    "ChildInput",
    "EntryInput",
    "Independence",
    "action_add",
    "action_rag",
    "action_update_add",
    "action_verify",
    "actions_chase",
    "agency_check",
    "agency_emails",
    "attachment_add",
    "chronology_entry_add",
    "chronology_entry_correct",
    "clock_reminders_send",
    "clocks_sync",
    "contribution_requests_add",
    "contribution_submit",
    "decision_notices_record",
    "decision_of",
    "decision_record",
    "entry_outside_period",
    "event_date_check",
    "finding_add",
    "home_office_submission_record",
    "home_partnership",
    "independence_check",
    "independence_conflicts",
    "information_request_close",
    "information_request_create",
    "information_requests_chase",
    "information_requests_create_for_involved",
    "information_response_submit",
    "panel_notification_record",
    "panel_response_record",
    "rapid_review_of",
    "rapid_review_send",
    "rapid_review_start",
    "rapid_review_update",
    "recommendation_add",
    "reference_next",
    "referral_create",
    "referral_events",
    "referral_facts",
    "review_audit",
    "review_chair_sign_off",
    "review_clocks_sync",
    "review_document_upload",
    "review_events",
    "review_partnership_names",
    "review_stage_move",
    "reviewer_appoint",
    "reviewer_appointment_end",
    "reviewer_profile_save",
    "screening_record",
    "sos_ofsted_notification_record",
    "stage_missing",
    "terms_sign_off",
    "terms_write",
    "thematic_review_commission",
]
