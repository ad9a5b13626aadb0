"""Routing a request to its partnership, and who is asking.

``PartnershipRoutingMiddleware`` replaces django-tenants' ``TenantMainMiddleware``: the same
host → partnership → search_path step, but the host lookup is answered from a small in-process
cache (one query per host per ``HOST_CACHE_SECONDS``, not one per request), the bare platform
domain serves the public site, and an unknown host is a 404 page.
"""

from django.conf import settings
from django.contrib.auth import logout
from django.db import connection
from django.http import Http404
from django.urls import set_urlconf

from tenants.actors import actor_for_member, request_id_or_new
from tenants.selectors import membership_for, partnership_for_host

SESSION_PARTNERSHIP_KEY = "safeguard_partnership"


class PartnershipRoutingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The host is validated against ALLOWED_HOSTS first; an unknown one raises DisallowedHost.
        hostname = request.get_host().split(":")[0].lower()
        request.partnership = None
        request.tenant = None
        if hostname == settings.PLATFORM_DOMAIN:
            connection.set_schema_to_public()
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            set_urlconf(request.urlconf)
        else:
            partnership = partnership_for_host(hostname)
            if partnership is None:
                connection.set_schema_to_public()
                request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
                set_urlconf(request.urlconf)
                raise Http404("There is no partnership at this address.")
            request.partnership = request.tenant = partnership
            connection.set_tenant(partnership)
        return self.get_response(request)


class RequestIdMiddleware:
    """Give every request an id (or keep a well-formed ``X-Request-ID``) for the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_or_new(request.headers.get("X-Request-ID"))
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class MembershipMiddleware:
    """Sets ``request.actor`` for a signed-in member of this host's partnership, else None.

    A session is bound to the partnership it was signed in on: the same cookie replayed on
    another partnership's host finds no actor there (``request.foreign_user`` is then True, and
    casework views answer 404). A session whose access has ended here (membership revoked,
    agency deactivated: ``membership_for``) is signed out on its next request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = None
        request.membership = None
        request.foreign_user = False
        partnership = getattr(request, "partnership", None)
        user = getattr(request, "user", None)
        if partnership is not None and user is not None and user.is_authenticated:
            bound_to = request.session.get(SESSION_PARTNERSHIP_KEY)
            membership = (
                membership_for(user=user, partnership=partnership)
                if bound_to == partnership.schema_name
                else None
            )
            if membership is None and bound_to == partnership.schema_name:
                # Signed in here, but access has ended since (the membership was revoked or
                # the agency deactivated): the session ends now, not when it expires.
                logout(request)
            elif membership is None:
                request.foreign_user = True
            else:
                request.membership = membership
                if not membership.requires_second_factor or user.is_verified():
                    request.actor = actor_for_member(
                        membership=membership,
                        request_id=request.request_id,
                        host=request.get_host(),
                    )
        return self.get_response(request)
