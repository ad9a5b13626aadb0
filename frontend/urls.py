from django.urls import path

from frontend.views import (
    accounts,
    actions,
    chronology,
    clocks,
    dashboard,
    information,
    joint,
    public_reviews,
    publications,
    referrals,
    reviews,
    workspace,
)

app_name = "frontend"

urlpatterns = [
    path("", dashboard.home, name="home"),
    path("sign-in/", accounts.sign_in, name="sign-in"),
    path("sign-in/two-factor/", accounts.two_factor, name="two-factor"),
    path("sign-in/two-factor/set-up/", accounts.two_factor_setup, name="two-factor-setup"),
    path("sign-out/", accounts.sign_out, name="sign-out"),
    path("account/recovery-codes/", accounts.recovery_codes, name="recovery-codes"),
    path(
        "account/set-password/<str:uidb64>/<str:token>/",
        accounts.set_password,
        name="set-password",
    ),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("workspace/agencies/", workspace.agency_list, name="agency-list"),
    path("workspace/agencies/<uuid:agency_uuid>/", workspace.agency_edit, name="agency-edit"),
    path("workspace/members/", workspace.member_list, name="member-list"),
    path("workspace/api-keys/", workspace.api_key_list, name="api-key-list"),
    path(
        "workspace/api-keys/<uuid:key_uuid>/revoke/",
        workspace.api_key_revoke,
        name="api-key-revoke",
    ),
    path("workspace/audit/", workspace.audit_trail, name="audit-trail"),
    path("referrals/", referrals.referral_list, name="referral-list"),
    path("referrals/new/", referrals.referral_new, name="referral-new"),
    path("referrals/<str:reference>/", referrals.referral_detail, name="referral"),
    path(
        "referrals/<str:reference>/attachments/",
        referrals.attachment_add,
        name="referral-attachment-add",
    ),
    path(
        "referrals/<str:reference>/attachments/<uuid:attachment_uuid>/",
        referrals.attachment_download,
        name="referral-attachment",
    ),
    path("referrals/<str:reference>/screening/", referrals.screening, name="referral-screening"),
    path(
        "referrals/<str:reference>/panel-notification/",
        referrals.panel_notification,
        name="referral-panel-notification",
    ),
    path(
        "referrals/<str:reference>/sos-ofsted-notification/",
        referrals.sos_ofsted_notification,
        name="referral-sos-ofsted-notification",
    ),
    path(
        "referrals/<str:reference>/rapid-review/",
        referrals.rapid_review_update,
        name="rapid-review-update",
    ),
    path(
        "referrals/<str:reference>/rapid-review/start/",
        referrals.rapid_review_start,
        name="rapid-review-start",
    ),
    path(
        "referrals/<str:reference>/rapid-review/contribution-requests/",
        referrals.contribution_requests_add,
        name="rapid-review-ask",
    ),
    path(
        "referrals/<str:reference>/rapid-review/sent/",
        referrals.rapid_review_send,
        name="rapid-review-send",
    ),
    path(
        "referrals/<str:reference>/rapid-review/panel-response/",
        referrals.panel_response,
        name="rapid-review-panel-response",
    ),
    path("referrals/<str:reference>/decision/", referrals.decision, name="referral-decision"),
    path(
        "referrals/<str:reference>/decision/notices/",
        referrals.decision_notices,
        name="referral-decision-notices",
    ),
    path("referrals/<str:reference>/contribution/", referrals.contribution, name="contribution"),
    path("clocks/", clocks.clock_board, name="clock-board"),
    # /reviews/ is the partnership's public area (its published reviews) for everyone but its
    # signed-in people, who get their review list there; the public list is always at
    # /reviews/published/. Public pages are named by UUID, review workspaces by reference.
    path("reviews/", public_reviews.reviews_index, name="review-list"),
    path("reviews/published/", public_reviews.published_list, name="public-reviews"),
    path("reviews/copies/<str:token>/", public_reviews.copy_link, name="public-copy-link"),
    path("reviews/<uuid:publication_uuid>/", public_reviews.public_review, name="public-review"),
    path(
        "reviews/<uuid:publication_uuid>/documents/<uuid:document_uuid>/",
        public_reviews.public_document,
        name="public-review-document",
    ),
    path(
        "reviews/<uuid:publication_uuid>/request-a-copy/",
        public_reviews.request_copy,
        name="public-review-request",
    ),
    # Reviews: each review's workspace, one URL per tab.
    path("reviews/<str:reference>/", reviews.overview, name="review"),
    path("reviews/<str:reference>/stage/", reviews.stage_move, name="review-stage"),
    path(
        "reviews/<str:reference>/reviewers/check/",
        reviews.reviewer_check,
        name="review-reviewer-check",
    ),
    path(
        "reviews/<str:reference>/reviewers/",
        reviews.reviewer_appoint,
        name="review-reviewer-appoint",
    ),
    path(
        "reviews/<str:reference>/reviewers/profile/",
        reviews.reviewer_profile,
        name="review-reviewer-profile",
    ),
    path("reviews/<str:reference>/sign-off/", reviews.chair_sign_off, name="review-sign-off"),
    path("reviews/<str:reference>/terms/", reviews.terms, name="review-terms"),
    path("reviews/<str:reference>/terms/new/", reviews.terms_write, name="review-terms-write"),
    path(
        "reviews/<str:reference>/terms/sign-off/",
        reviews.terms_sign_off,
        name="review-terms-sign-off",
    ),
    path("reviews/<str:reference>/information/", reviews.information, name="review-information"),
    path(
        "reviews/<str:reference>/information/new/",
        reviews.information_request_create,
        name="review-information-request",
    ),
    path(
        "reviews/<str:reference>/information/<uuid:request_uuid>/close/",
        reviews.information_request_close,
        name="review-information-close",
    ),
    path("reviews/<str:reference>/chronology/", chronology.chronology, name="review-chronology"),
    path(
        "reviews/<str:reference>/chronology/entries/",
        chronology.entry_add,
        name="review-chronology-add",
    ),
    path(
        "reviews/<str:reference>/chronology/print/",
        chronology.chronology_print,
        name="review-chronology-print",
    ),
    path(
        "reviews/<str:reference>/chronology/<uuid:entry_uuid>/",
        chronology.entry_detail,
        name="review-chronology-entry",
    ),
    path(
        "reviews/<str:reference>/chronology/<uuid:entry_uuid>/correct/",
        chronology.entry_correct,
        name="review-chronology-correct",
    ),
    path(
        "reviews/<str:reference>/chronology.csv",
        chronology.chronology_csv,
        name="review-chronology-csv",
    ),
    path("reviews/<str:reference>/findings/", reviews.findings, name="review-findings"),
    path("reviews/<str:reference>/findings/new/", reviews.finding_add, name="review-finding-add"),
    path(
        "reviews/<str:reference>/recommendations/new/",
        reviews.recommendation_add,
        name="review-recommendation-add",
    ),
    path("reviews/<str:reference>/actions/", reviews.action_plan, name="review-actions"),
    path("reviews/<str:reference>/actions/new/", reviews.action_add, name="review-action-add"),
    path("reviews/<str:reference>/documents/", reviews.documents, name="review-documents"),
    path(
        "reviews/<str:reference>/documents/new/",
        reviews.document_upload,
        name="review-document-upload",
    ),
    path(
        "reviews/<str:reference>/documents/<uuid:document_uuid>/",
        reviews.document_download,
        name="review-document",
    ),
    # A joint review's lead: invite partnerships, let them in, end a part or the whole.
    path("reviews/<str:reference>/joint/invite/", reviews.joint_invite, name="review-joint-invite"),
    path("reviews/<str:reference>/joint/end/", reviews.joint_end, name="review-joint-end"),
    path(
        "reviews/<str:reference>/joint/<uuid:participant_uuid>/open/",
        reviews.joint_part_open,
        name="review-joint-open",
    ),
    path(
        "reviews/<str:reference>/joint/<uuid:participant_uuid>/end/",
        reviews.joint_part_end,
        name="review-joint-part-end",
    ),
    # The partnership-wide action tracker and each action's page (agencies update theirs).
    path("actions/", actions.tracker, name="action-tracker"),
    path("actions/<uuid:action_uuid>/", actions.action_detail, name="action"),
    path("actions/<uuid:action_uuid>/verify/", actions.action_verify, name="action-verify"),
    path(
        "actions/<uuid:action_uuid>/updates/<uuid:update_uuid>/evidence/",
        actions.evidence_download,
        name="action-evidence",
    ),
    # Publications: the list, each publication's page and what it posts to, requests for copies.
    path("publications/", publications.publication_list, name="publication-list"),
    path("publications/new/", publications.publication_start, name="publication-start"),
    path("publications/enter/", publications.publication_enter, name="publication-enter"),
    path("publications/copy-requests/", publications.copy_requests, name="copy-requests"),
    path(
        "publications/copy-requests/<uuid:request_uuid>/",
        publications.copy_request_decide,
        name="copy-request",
    ),
    path(
        "publications/<uuid:publication_uuid>/",
        publications.publication_detail,
        name="publication",
    ),
    path(
        "publications/<uuid:publication_uuid>/record/",
        publications.record_update,
        name="publication-record",
    ),
    path(
        "publications/<uuid:publication_uuid>/identifiers/",
        publications.identifier_add,
        name="publication-identifier-add",
    ),
    path(
        "publications/<uuid:publication_uuid>/documents/",
        publications.document_upload,
        name="publication-document-upload",
    ),
    path(
        "publications/<uuid:publication_uuid>/statement/",
        publications.statement_save,
        name="publication-statement",
    ),
    path(
        "publications/<uuid:publication_uuid>/briefing/",
        publications.briefing_save,
        name="publication-briefing",
    ),
    path(
        "publications/<uuid:publication_uuid>/briefing/generate/",
        publications.briefing_generate,
        name="publication-briefing-generate",
    ),
    path(
        "publications/<uuid:publication_uuid>/notice/",
        publications.notice_record,
        name="publication-notice",
    ),
    path(
        "publications/<uuid:publication_uuid>/schedule/",
        publications.schedule,
        name="publication-schedule",
    ),
    path(
        "publications/<uuid:publication_uuid>/unschedule/",
        publications.unschedule,
        name="publication-unschedule",
    ),
    path(
        "publications/<uuid:publication_uuid>/publish/",
        publications.publish,
        name="publication-publish",
    ),
    path(
        "publications/<uuid:publication_uuid>/record-as-published/",
        publications.record_as_published,
        name="publication-as-published",
    ),
    path(
        "publications/<uuid:publication_uuid>/delay/",
        publications.delay,
        name="publication-delay",
    ),
    path(
        "publications/<uuid:publication_uuid>/delay/lift/",
        publications.delay_lift,
        name="publication-lift",
    ),
    path(
        "publications/<uuid:publication_uuid>/not-published/",
        publications.not_published,
        name="publication-not-published",
    ),
    path(
        "publications/<uuid:publication_uuid>/withdraw/",
        publications.withdraw,
        name="publication-withdraw",
    ),
    path(
        "publications/<uuid:publication_uuid>/reopen/",
        publications.reopen,
        name="publication-reopen",
    ),
    path(
        "publications/<uuid:publication_uuid>/keep-online/",
        publications.keep_online,
        name="publication-online",
    ),
    path(
        "publications/<uuid:publication_uuid>/redaction-log/",
        publications.redaction_log,
        name="publication-log",
    ),
    path(
        "publications/<uuid:publication_uuid>/identifiers/<uuid:identifier_uuid>/remove/",
        publications.identifier_remove,
        name="publication-identifier-remove",
    ),
    path(
        "publications/<uuid:publication_uuid>/documents/<uuid:document_uuid>/",
        publications.document_download,
        name="publication-document",
    ),
    path(
        "publications/<uuid:publication_uuid>/gate/<uuid:run_uuid>/",
        publications.gate_run,
        name="publication-gate-run",
    ),
    path(
        "publications/<uuid:publication_uuid>/hits/<uuid:hit_uuid>/accept/",
        publications.gate_hit_accept,
        name="publication-hit-accept",
    ),
    # An agency's side of a review's information request.
    path(
        "information-requests/<uuid:request_uuid>/",
        information.information_request,
        name="information-request",
    ),
]


# --- Joint reviews, on a participant's own host --------------------------------------------------
# The same workspace views, through the door, at /joint-reviews/<uuid>/… : each review page above
# (but the lead's own joint-review management), and an action's and an information request's
# page under the review they belong to.
REVIEW_ROUTE = "reviews/<str:reference>/"
JOINT_ROUTE = "joint-reviews/<uuid:review_uuid>/"
OWN_PAGES = {
    "action": "actions/<uuid:action_uuid>/",
    "action-verify": "actions/<uuid:action_uuid>/verify/",
    "action-evidence": "actions/<uuid:action_uuid>/updates/<uuid:update_uuid>/evidence/",
    "information-request": "information-requests/<uuid:request_uuid>/",
}

joint_patterns = [
    path("joint-reviews/", joint.joint_review_list, name="joint-review-list"),
    path("joint-reviews/invitations/", joint.invitations, name="joint-invitations"),
    path(
        "joint-reviews/invitations/<uuid:participant_uuid>/accept/",
        joint.invitation_accept,
        name="joint-invitation-accept",
    ),
    path(
        "joint-reviews/invitations/<uuid:participant_uuid>/decline/",
        joint.invitation_decline,
        name="joint-invitation-decline",
    ),
    path(
        "joint-reviews/invitations/<uuid:participant_uuid>/end/",
        joint.part_end,
        name="joint-part-end",
    ),
]
for pattern in list(urlpatterns):
    route, name = str(pattern.pattern), pattern.name
    if route.startswith(REVIEW_ROUTE) and not name.startswith("review-joint-"):
        joint_patterns.append(
            path(
                JOINT_ROUTE + route[len(REVIEW_ROUTE) :],
                joint.through_the_door(pattern.callback),
                name=f"joint-{name}",
            )
        )
    elif name in OWN_PAGES:
        joint_patterns.append(
            path(
                JOINT_ROUTE + OWN_PAGES[name],
                joint.through_the_door(pattern.callback, under_the_review=False),
                name=f"joint-{name}",
            )
        )
urlpatterns += joint_patterns
