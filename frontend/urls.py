from django.urls import path

from frontend.views import accounts, clocks, dashboard, referrals, workspace

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
]
