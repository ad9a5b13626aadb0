"""Reads of casework, one module a topic. Objects are reached through ``access_<thing>`` helpers
that give the same 404 for "missing" and "not yours"; reads for a page (``*_for_page``) and
downloads are recorded in the audit trail. Selectors never import services (the audit writer is
``tenants.agencies.audit``). Callers import ``casework.selectors``; the modules are:

- ``referrals``: referrals, their clocks, contributions asked of an agency, files, timeline;
- ``reviews``: who sees which review (``visible_reviews``), the review and its parts;
- ``chronology``, ``information``, ``actions``: a review's chronology, information requests
  and action plans;
- ``waiting``: each referral's current step and whom it waits for (from ``casework.steps``);
- ``search``: searching referrals and reviews (reference, child's name, agency, dates);
- ``exports``: the referrals and clocks for a download;
- ``lists``: the lists opened most (dashboard, action tracker, joint reviews, an agency's
  requests), gathering the partnership's own casework with its joint reviews'.
"""

from casework.selectors.actions import (
    OPEN_STATUSES,
    access_action,
    action_evidence_for_download,
    action_for_page,
    action_tracker,
    action_updates,
)
from casework.selectors.chronology import (
    CHRONOLOGY_PAGE_SIZE,
    CSV_HEADER,
    access_chronology_entry,
    chronology_agencies,
    chronology_csv,
    chronology_entries,
    chronology_entry_for_page,
    chronology_history,
    chronology_page,
)
from casework.selectors.clocks import clock_board, clock_board_for_page, open_clocks
from casework.selectors.exports import clocks_for_export, referrals_for_export
from casework.selectors.information import (
    access_information_request,
    information_request_for_page,
    information_requests_for_agency,
    information_requests_of_review,
)
from casework.selectors.lists import (
    DASHBOARD_CLOCKS,
    DASHBOARD_CONTRIBUTIONS,
    DASHBOARD_REQUESTS,
    action_tracker_for_page,
    agency_information_requests_for_page,
    dashboard_for_page,
    joint_reviews_for_page,
)
from casework.selectors.referrals import (
    DUE_SOON_WORKING_DAYS,
    access_contribution_request,
    access_referral,
    agencies_involved_besides_referrer,
    attachment_for_download,
    clocks_needing_attention,
    contribution_request_for_page,
    contribution_requests_for_agency,
    referral_agency_choices,
    referral_for_page,
    referral_list,
    referral_screening_rules,
    referral_timeline,
    referrals_with_regime_disagreeing,
)
from casework.selectors.reviews import (
    access_review,
    access_review_agency,
    findings_of_review,
    joint_review_list,
    recommendations_of_review,
    review_agency_choices,
    review_document_for_download,
    review_documents,
    review_for_page,
    review_list,
    review_list_for_page,
    reviewer_profile_for,
    sign_offs_of_review,
    terms_versions,
    visible_reviews,
)
from casework.selectors.search import SearchTerms, casework_search
from casework.selectors.waiting import (
    Waiting,
    open_referrals,
    referral_regime,
    referral_tasks,
    referral_waiting,
)
from casework.steps import (
    decision_outcomes,
    rapid_review_next_steps,
    step_may_with_reason,
)

__all__ = [
    "CHRONOLOGY_PAGE_SIZE",
    "CSV_HEADER",
    "DASHBOARD_CLOCKS",
    "DASHBOARD_CONTRIBUTIONS",
    "DASHBOARD_REQUESTS",
    "DUE_SOON_WORKING_DAYS",
    "OPEN_STATUSES",
    "SearchTerms",
    "Waiting",
    "access_action",
    "access_chronology_entry",
    "access_contribution_request",
    "access_information_request",
    "access_referral",
    "access_review",
    "access_review_agency",
    "action_evidence_for_download",
    "action_for_page",
    "action_tracker",
    "action_tracker_for_page",
    "action_updates",
    "agencies_involved_besides_referrer",
    "agency_information_requests_for_page",
    "attachment_for_download",
    "casework_search",
    "chronology_agencies",
    "chronology_csv",
    "chronology_entries",
    "chronology_entry_for_page",
    "chronology_history",
    "chronology_page",
    "clock_board",
    "clock_board_for_page",
    "clocks_for_export",
    "clocks_needing_attention",
    "contribution_request_for_page",
    "contribution_requests_for_agency",
    "dashboard_for_page",
    "decision_outcomes",
    "findings_of_review",
    "information_request_for_page",
    "information_requests_for_agency",
    "information_requests_of_review",
    "joint_review_list",
    "joint_reviews_for_page",
    "open_clocks",
    "open_referrals",
    "rapid_review_next_steps",
    "recommendations_of_review",
    "referral_agency_choices",
    "referral_for_page",
    "referral_list",
    "referral_regime",
    "referral_screening_rules",
    "referral_tasks",
    "referral_timeline",
    "referral_waiting",
    "referrals_for_export",
    "referrals_with_regime_disagreeing",
    "review_agency_choices",
    "review_document_for_download",
    "review_documents",
    "review_for_page",
    "review_list",
    "review_list_for_page",
    "reviewer_profile_for",
    "sign_offs_of_review",
    "step_may_with_reason",
    "terms_versions",
    "visible_reviews",
]
