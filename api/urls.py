from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from api import reviews, views

app_name = "api"

urlpatterns = [
    path("whoami/", views.WhoAmIApi.as_view(), name="whoami"),
    path("referrals/", views.ReferralsApi.as_view(), name="referrals"),
    path("referrals/<str:reference>/", views.ReferralDetailApi.as_view(), name="referral-detail"),
    path(
        "referrals/<str:reference>/contributions/",
        views.ContributionSubmitApi.as_view(),
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
    path(
        "schema/",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]),
        name="schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(
            url_name="api:schema", authentication_classes=[], permission_classes=[]
        ),
        name="docs",
    ),
]
