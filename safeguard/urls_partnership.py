"""A partnership's host: the web (frontend) and the agency API (/api/v1/)."""

from django.urls import include, path

# handler400 … handler500, the error pages: GOV.UK-styled on the web, problem+json under /api/.
from safeguard.errors import *  # noqa: F403

urlpatterns = [
    path("api/v1/", include("api.urls")),
    path("", include("frontend.urls")),
]
