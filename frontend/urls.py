from django.urls import path
from django.views.generic import RedirectView

from casework.selectors.queues import QUEUE_KEYS
from frontend.views import (
    accounts,
    actions,
    clocks,
    dashboard,
    exports,
    information,
    joint,
    notifications,
    public_reviews,
    publications,
    queues,
    referrals,
    reviews,
    search,
    workspace,
)

app_name = "frontend"

REFERRAL_ROUTE = "referrals/<str:reference>/"
REVIEW_ROUTE = "case-reviews/<str:reference>/"

# A referral's page and what its sections post to: (route under the referral, view, URL name).
REFERRAL_PAGES = (
    ("", referrals.referral_detail, "referral"),
    ("attachments/", referrals.attachment_add, "referral-attachment-add"),
    ("attachments/<uuid:attachment_uuid>/", referrals.attachment_download, "referral-attachment"),
    ("screening/", referrals.screening, "referral-screening"),
    ("panel-notification/", referrals.panel_notification, "referral-panel-notification"),
    (
        "sos-ofsted-notification/",
        referrals.sos_ofsted_notification,
        "referral-sos-ofsted-notification",
    ),
    ("rapid-review/", referrals.rapid_review_update, "rapid-review-update"),
    ("rapid-review/start/", referrals.rapid_review_start, "rapid-review-start"),
    (
        "rapid-review/contribution-requests/",
        referrals.contribution_requests_add,
        "rapid-review-ask",
    ),
    ("rapid-review/sent/", referrals.rapid_review_send, "rapid-review-send"),
    ("rapid-review/panel-response/", referrals.panel_response, "rapid-review-panel-response"),
    ("decision/", referrals.decision, "referral-decision"),
    ("decision/notices/", referrals.decision_notices, "referral-decision-notices"),
    ("contribution/", referrals.contribution, "contribution"),
)
PUBLICATION_ROUTE = "publications/<uuid:publication_uuid>/"

# A publication's page and what its panels post to: (route under the publication, view, URL name).
PUBLICATION_PAGES = (
    ("", publications.publication_detail, "publication"),
    ("record/", publications.record_update, "publication-record"),
    ("identifiers/", publications.identifier_add, "publication-identifier-add"),
    ("documents/", publications.document_upload, "publication-document-upload"),
    ("statement/", publications.statement_save, "publication-statement"),
    ("briefing/", publications.briefing_save, "publication-briefing"),
    ("briefing/generate/", publications.briefing_generate, "publication-briefing-generate"),
    ("notice/", publications.notice_record, "publication-notice"),
    ("schedule/", publications.schedule, "publication-schedule"),
    ("unschedule/", publications.unschedule, "publication-unschedule"),
    ("publish/", publications.publish, "publication-publish"),
    ("record-as-published/", publications.record_as_published, "publication-as-published"),
    ("delay/", publications.delay, "publication-delay"),
    ("delay/lift/", publications.delay_lift, "publication-lift"),
    ("not-published/", publications.not_published, "publication-not-published"),
    (
        "not-published/reasons-sent/",
        publications.reasons_sent,
        "publication-reasons-sent",
    ),
    ("withdraw/", publications.withdraw, "publication-withdraw"),
    ("reopen/", publications.reopen, "publication-reopen"),
    ("keep-online/", publications.keep_online, "publication-online"),
    ("redaction-log/", publications.redaction_log, "publication-log"),
    (
        "identifiers/<uuid:identifier_uuid>/remove/",
        publications.identifier_remove,
        "publication-identifier-remove",
    ),
    ("documents/<uuid:document_uuid>/", publications.document_download, "publication-document"),
    ("gate/<uuid:run_uuid>/", publications.gate_run, "publication-gate-run"),
    ("hits/<uuid:hit_uuid>/accept/", publications.gate_hit_accept, "publication-hit-accept"),
)
JOINT_ROUTE = "joint-reviews/<uuid:review_uuid>/"

# A review's workspace: (route under the review, view, URL name, the URL name of the same page
# through the joint-review door). Each name is written out, so that grep finds it.
REVIEW_PAGES = (
    ("", reviews.overview, "review", "joint-review"),
    ("stage/", reviews.stage_move, "review-stage", "joint-review-stage"),
    (
        "home-office/",
        reviews.home_office_submission,
        "review-home-office",
        "joint-review-home-office",
    ),
    (
        "reviewers/check/",
        reviews.reviewer_check,
        "review-reviewer-check",
        "joint-review-reviewer-check",
    ),
    (
        "reviewers/",
        reviews.reviewer_appoint,
        "review-reviewer-appoint",
        "joint-review-reviewer-appoint",
    ),
    (
        "reviewers/profile/",
        reviews.reviewer_profile,
        "review-reviewer-profile",
        "joint-review-reviewer-profile",
    ),
    ("sign-off/", reviews.chair_sign_off, "review-sign-off", "joint-review-sign-off"),
    ("terms/", reviews.terms, "review-terms", "joint-review-terms"),
    ("terms/new/", reviews.terms_write, "review-terms-write", "joint-review-terms-write"),
    (
        "terms/sign-off/",
        reviews.terms_sign_off,
        "review-terms-sign-off",
        "joint-review-terms-sign-off",
    ),
    ("information/", reviews.information, "review-information", "joint-review-information"),
    (
        "information/new/",
        reviews.information_request_create,
        "review-information-request",
        "joint-review-information-request",
    ),
    (
        "information/<uuid:request_uuid>/close/",
        reviews.information_request_close,
        "review-information-close",
        "joint-review-information-close",
    ),
    ("chronology/", reviews.chronology, "review-chronology", "joint-review-chronology"),
    (
        "chronology/entries/",
        reviews.entry_add,
        "review-chronology-add",
        "joint-review-chronology-add",
    ),
    (
        "chronology/print/",
        reviews.chronology_print,
        "review-chronology-print",
        "joint-review-chronology-print",
    ),
    (
        "chronology/<uuid:entry_uuid>/",
        reviews.entry_detail,
        "review-chronology-entry",
        "joint-review-chronology-entry",
    ),
    (
        "chronology/<uuid:entry_uuid>/correct/",
        reviews.entry_correct,
        "review-chronology-correct",
        "joint-review-chronology-correct",
    ),
    (
        "chronology.csv",
        reviews.chronology_csv,
        "review-chronology-csv",
        "joint-review-chronology-csv",
    ),
    ("findings/", reviews.findings, "review-findings", "joint-review-findings"),
    ("findings/new/", reviews.finding_add, "review-finding-add", "joint-review-finding-add"),
    (
        "recommendations/new/",
        reviews.recommendation_add,
        "review-recommendation-add",
        "joint-review-recommendation-add",
    ),
    ("actions/", reviews.action_plan, "review-actions", "joint-review-actions"),
    ("actions/new/", reviews.action_add, "review-action-add", "joint-review-action-add"),
    ("documents/", reviews.documents, "review-documents", "joint-review-documents"),
    (
        "documents/new/",
        reviews.document_upload,
        "review-document-upload",
        "joint-review-document-upload",
    ),
    (
        "documents/<uuid:document_uuid>/",
        reviews.document_download,
        "review-document",
        "joint-review-document",
    ),
)
# A joint review's lead invites partnerships, lets them in, ends a part or the whole: on its own
# host only, never through the door.
LEAD_ONLY_PAGES = (
    ("joint/invite/", reviews.joint_invite, "review-joint-invite"),
    ("joint/end/", reviews.joint_end, "review-joint-end"),
    ("joint/<uuid:participant_uuid>/open/", reviews.joint_part_open, "review-joint-open"),
    ("joint/<uuid:participant_uuid>/end/", reviews.joint_part_end, "review-joint-part-end"),
)
# Pages named by their own UUID at home, found under the joint review through the door:
# (route, view, URL name, URL name through the door).
PAGES_OF_A_JOINT_REVIEW = (
    ("actions/<uuid:action_uuid>/", actions.action_detail, "action", "joint-action"),
    (
        "actions/<uuid:action_uuid>/verify/",
        actions.action_verify,
        "action-verify",
        "joint-action-verify",
    ),
    (
        "actions/<uuid:action_uuid>/updates/<uuid:update_uuid>/evidence/",
        actions.evidence_download,
        "action-evidence",
        "joint-action-evidence",
    ),
    (
        "information-requests/<uuid:request_uuid>/",
        information.information_request,
        "information-request",
        "joint-information-request",
    ),
)


class OldReviewAddress(RedirectView):
    """The review workspace's addresses before it moved from /reviews/ to /case-reviews/
    (so that /reviews/ is only ever the public area): the same page, permanently."""

    permanent = True
    query_string = True
    url = "/case-reviews/%(reference)s/%(rest)s"


urlpatterns = [
    path("", dashboard.home, name="home"),
    path("sign-in/", accounts.sign_in, name="sign-in"),
    path("sign-in/two-factor/", accounts.two_factor, name="two-factor"),
    path("sign-in/two-factor/set-up/", accounts.two_factor_setup, name="two-factor-setup"),
    path("sign-out/", accounts.sign_out, name="sign-out"),
    path("account/recovery-codes/", accounts.recovery_codes, name="recovery-codes"),
    path("account/notifications/", notifications.preferences, name="notification-preferences"),
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
    path("workspace/messages/", notifications.message_log, name="message-log"),
    path("workspace/webhooks/", notifications.webhook_list, name="webhook-list"),
    path(
        "workspace/webhooks/<uuid:webhook_uuid>/",
        notifications.webhook_deliveries,
        name="webhook-deliveries",
    ),
    path(
        "workspace/webhooks/<uuid:webhook_uuid>/deliveries/<uuid:delivery_uuid>/send-again/",
        notifications.webhook_delivery_send_again,
        name="webhook-delivery-send-again",
    ),
    path("referrals/", referrals.referral_list, name="referral-list"),
    path("referrals/new/", referrals.referral_new, name="referral-new"),
    *[path(REFERRAL_ROUTE + route, view, name=name) for route, view, name in REFERRAL_PAGES],
    path("clocks/", clocks.clock_board, name="clock-board"),
    # The work queues, one named address each (casework.selectors.queues).
    *[path(f"work/{key}/", queues.queue, {"key": key}, name=f"work-{key}") for key in QUEUE_KEYS],
    path("search/", search.search, name="search"),
    # Lists as spreadsheets: <format> is csv or xlsx.
    path("actions/export.<str:file_format>", exports.actions_export, name="actions-export"),
    path("referrals/export.<str:file_format>", exports.referrals_export, name="referrals-export"),
    path("clocks/export.<str:file_format>", exports.clocks_export, name="clocks-export"),
    path(
        "workspace/audit/export.<str:file_format>",
        exports.audit_trail_export,
        name="audit-trail-export",
    ),
    # /reviews/ is the partnership's public area: its published reviews (also always at
    # /reviews/published/), each named by UUID. The review workspace is at /case-reviews/,
    # each review named by its reference; its old addresses under /reviews/ redirect there.
    path("reviews/", public_reviews.reviews_index, name="reviews-index"),
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
    path(
        "reviews/<str:reference>/",
        OldReviewAddress.as_view(),
        {"rest": ""},
        name="old-review-address",
    ),
    path(
        "reviews/<str:reference>/<path:rest>",
        OldReviewAddress.as_view(),
        name="old-review-page-address",
    ),
    path("case-reviews/", reviews.review_list, name="review-list"),
    *[path(REVIEW_ROUTE + route, view, name=name) for route, view, name, _ in REVIEW_PAGES],
    *[path(REVIEW_ROUTE + route, view, name=name) for route, view, name in LEAD_ONLY_PAGES],
    # The partnership-wide action tracker and each action's page (agencies update theirs).
    path("actions/", actions.tracker, name="action-tracker"),
    *[path(route, view, name=name) for route, view, name, _ in PAGES_OF_A_JOINT_REVIEW],
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
    *[path(PUBLICATION_ROUTE + route, view, name=name) for route, view, name in PUBLICATION_PAGES],
]


# --- Joint reviews, on a participant's own host --------------------------------------------------
# The same workspace views, through the door, at /joint-reviews/<uuid>/… : each review page
# (REVIEW_PAGES, not the lead's own joint-review management), and an action's and an information
# request's page under the review they belong to (PAGES_OF_A_JOINT_REVIEW).
urlpatterns += [
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
    *[
        path(JOINT_ROUTE + route, joint.through_the_door(view), name=joint_name)
        for route, view, _, joint_name in REVIEW_PAGES
    ],
    *[
        path(
            JOINT_ROUTE + route,
            joint.through_the_door(view, under_the_review=False),
            name=joint_name,
        )
        for route, view, _, joint_name in PAGES_OF_A_JOINT_REVIEW
    ],
]

# Each workspace page's URL name through the door (``frontend.links.review_path``).
JOINT_NAME_OF = {
    name: joint_name for _, _, name, joint_name in (*REVIEW_PAGES, *PAGES_OF_A_JOINT_REVIEW)
}
