"""The bare platform domain: the public landing page, the national library and its API."""

from django.urls import include, path

urlpatterns = [
    path("", include("api.urls_library")),
    path("", include("frontend.urls_public")),
]

handler400 = "safeguard.errors.bad_request"
handler403 = "safeguard.errors.permission_denied"
handler404 = "safeguard.errors.page_not_found"
handler500 = "safeguard.errors.server_error"
