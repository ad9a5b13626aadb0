from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import referrals, reviews, webhooks, whoami

app_name = "api"
# Swagger UI with no inline script (its set-up is fetched as ?script) and its one inline style
# under the Content-Security-Policy's nonce.
DOCS_TEMPLATE = "api/swagger_ui.html"

urlpatterns = [
    path("whoami/", whoami.WhoAmIApi.as_view(), name="whoami"),
    path("referrals/", referrals.ReferralsApi.as_view(), name="referrals"),
    path(
        "referrals/<str:reference>/", referrals.ReferralDetailApi.as_view(), name="referral-detail"
    ),
    path(
        "referrals/<str:reference>/contributions/",
        referrals.ContributionSubmitApi.as_view(),
        name="referral-contributions",
    ),
    path(
        "information-requests/",
        reviews.InformationRequestListApi.as_view(),
        name="information-requests",
    ),
    path(
        "information-requests/<uuid:request_id>/responses/",
        reviews.InformationResponseCreateApi.as_view(),
        name="information-responses",
    ),
    path("actions/", reviews.ActionListApi.as_view(), name="actions"),
    path(
        "actions/<uuid:action_id>/updates/",
        reviews.ActionUpdateCreateApi.as_view(),
        name="action-updates",
    ),
    path("webhooks/", webhooks.WebhooksApi.as_view(), name="webhooks"),
    path("webhooks/<str:webhook_id>/", webhooks.WebhookDetailApi.as_view(), name="webhook-detail"),
    path(
        "schema/",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]),
        name="schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            template_name=DOCS_TEMPLATE,
            url_name="api:schema",
            authentication_classes=[],
            permission_classes=[],
        ),
        name="docs",
    ),
]
