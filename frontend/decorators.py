"""Who may open a partnership page at all. What a role may do there is the services' rule."""

from functools import wraps
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


def member_required(view):
    """A signed-in (and, where the role needs it, second-factor verified) member of this host's
    partnership. Someone signed in elsewhere gets a 404, as if the page did not exist."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.partnership is None or request.foreign_user:
            raise Http404("No such page.")
        if request.actor is not None:
            return view(request, *args, **kwargs)
        if request.user.is_authenticated and request.membership is not None:
            target = reverse("frontend:two-factor")
        else:
            target = reverse("frontend:sign-in")
        target += "?" + urlencode({"next": request.get_full_path()})
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)

    return wrapper


def allowed_if(may, refusal: str):
    """Inside ``member_required``: the page only for those ``may`` (a domain's ``may_*``) lets
    in; a 403 saying ``refusal`` to anyone else."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not may(request.actor):
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
