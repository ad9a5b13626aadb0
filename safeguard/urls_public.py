"""The bare platform domain: the public landing page, the national library and its API."""

from django.urls import include, path

# handler400 … handler500, the error pages: GOV.UK-styled on the web, problem+json under /api/.
from safeguard.errors import *  # noqa: F403

urlpatterns = [
    path("", include("api.urls_library")),
    path("", include("frontend.urls_public")),
]
