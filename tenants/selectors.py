"""Reads of the public schema: partnerships by host, people's memberships."""

import threading
import time
from collections.abc import Callable

from django.db import connection
from django.db.models import QuerySet

from tenants.agencies.models import Agency
from tenants.models import Domain, Membership, Partnership, User
from tenants.roles import Role

# host → (expires at, partnership). Hosts change rarely; a change made in this process clears
# the cache at once (tenants.signals), one made elsewhere is seen within this many seconds.
HOST_CACHE_SECONDS = 30.0
_host_cache: dict[str, tuple[float, Partnership]] = {}
_host_cache_lock = threading.Lock()
# The clock the expiry is read from. Tests stop it (tests/support/clock.py), so that how long a
# test takes on a loaded machine never changes how many queries a request makes.
host_cache_clock: Callable[[], float] = time.monotonic


def partnership_for_host(hostname: str) -> Partnership | None:
    """The partnership a host name serves, or None. Answered from memory when recently seen."""
    now = host_cache_clock()
    hit = _host_cache.get(hostname)
    if hit is not None and hit[0] > now:
        return hit[1]
    domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
    if domain is None:
        return None
    with _host_cache_lock:
        _host_cache[hostname] = (now + HOST_CACHE_SECONDS, domain.tenant)
    return domain.tenant


def host_cache_clear() -> None:
    with _host_cache_lock:
        _host_cache.clear()


def partnership_list() -> QuerySet[Partnership]:
    """Every live partnership. The template schema has no row, so it never appears here."""
    return Partnership.objects.order_by("name")


def partnership_get(*, key: str) -> Partnership | None:
    return Partnership.objects.filter(key=key).first()


def membership_for(*, user: User, partnership: Partnership) -> Membership | None:
    """The user's membership of this partnership, or None: a membership elsewhere grants
    nothing here, and an agency user's membership grants nothing once the business manager has
    deactivated their agency (the agency's access ends at once, for its people as for its API
    keys). Every signed-in request passes here (``tenants.middleware.MembershipMiddleware``), and
    so does signing in.

    The agency lives in the partnership's own schema, so this is asked on the partnership's
    host (its schema set); asked anywhere else about an agency user it answers None."""
    if not user.is_active:
        return None
    membership = (
        Membership.objects.select_related("partnership", "user")
        .filter(user=user, partnership=partnership)
        .first()
    )
    if membership is None or membership.agency_uuid is None:
        return membership
    # Fail closed: the agency can only be looked up in its own partnership's schema.
    if connection.schema_name != partnership.schema_name:
        return None
    active = Agency.objects.own().filter(uuid=membership.agency_uuid, is_active=True).exists()
    return membership if active else None


def membership_list_for_user(*, user: User) -> QuerySet[Membership]:
    """All of a person's memberships, with each partnership's primary host, in two queries."""
    return (
        Membership.objects.filter(user=user)
        .select_related("partnership")
        .prefetch_related("partnership__domains")
        .order_by("partnership__name")
    )


def membership_list_for_partnership(*, partnership: Partnership) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(partnership=partnership)
        .select_related("user")
        .order_by("role", "user__email")
    )


def lead_reviewer_choices(*, partnership: Partnership) -> QuerySet[Membership]:
    """The partnership's active lead reviewers, by email: those who may be appointed to its
    reviews."""
    return membership_list_for_partnership(partnership=partnership).filter(
        role=Role.LEAD_REVIEWER, user__is_active=True
    )
