"""Error pages: GOV.UK-styled pages on the web, problem+json under /api/."""

from django.views import defaults

from api.problems import problem_response


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def bad_request(request, exception=None):
    if _is_api(request):
        return problem_response(request, 400, "The request could not be understood.")
    return defaults.bad_request(request, exception, template_name="errors/400.html")


def permission_denied(request, exception=None):
    if _is_api(request):
        return problem_response(request, 403, "You do not have permission to do this.")
    return defaults.permission_denied(request, exception, template_name="errors/403.html")


def page_not_found(request, exception=None):
    if _is_api(request):
        return problem_response(request, 404, "Not found.")
    return defaults.page_not_found(request, exception, template_name="errors/404.html")


def server_error(request):
    if _is_api(request):
        return problem_response(request, 500, "Something went wrong on our side.")
    return defaults.server_error(request, template_name="errors/500.html")


# What each root URLconf (safeguard.urls_partnership, safeguard.urls_public) takes with
# ``from safeguard.errors import *``: Django looks for these names there.
handler400, handler403, handler404 = bad_request, permission_denied, page_not_found
handler500 = server_error
__all__ = ["handler400", "handler403", "handler404", "handler500"]
