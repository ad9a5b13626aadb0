"""A partnership's host: the web (frontend) and the agency API (/api/v1/)."""

from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("api.urls")),
    path("", include("frontend.urls")),
]

handler400 = "safeguard.errors.bad_request"
handler403 = "safeguard.errors.permission_denied"
handler404 = "safeguard.errors.page_not_found"
handler500 = "safeguard.errors.server_error"
