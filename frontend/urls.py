from django.urls import path

from frontend.views import accounts, dashboard, workspace

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
]
