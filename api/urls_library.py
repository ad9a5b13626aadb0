"""The bare platform domain's API: the national library, its OpenAPI schema and docs."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.library import LibraryListApi
from api.urls import DOCS_TEMPLATE

urlpatterns = [
    path("api/v1/library/", LibraryListApi.as_view(), name="library-api"),
    path(
        "api/v1/schema/",
        SpectacularAPIView.as_view(
            urlconf="api.urls_library",
            authentication_classes=[],
            permission_classes=[],
            custom_settings={
                "TITLE": "Safeguard national library API",
                "DESCRIPTION": "Published case reviews of every partnership. No key needed.",
            },
        ),
        name="library-schema",
    ),
    path(
        "api/v1/docs/",
        SpectacularSwaggerSplitView.as_view(
            template_name=DOCS_TEMPLATE,
            url_name="library-schema",
            authentication_classes=[],
            permission_classes=[],
        ),
        name="library-docs",
    ),
]
