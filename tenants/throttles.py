"""Throttles every process shares, and the client address they count by.

A throttle counted in one process's memory is no throttle once the web server runs several
(under ``make run``, gunicorn's two workers let 9 copy requests through a limit of 5). Counts
live in the ``throttles`` cache: Redis when ``REDIS_URL`` is set, else the database cache table
``safeguard_cache`` (made by ``tenants/migrations/0002_shared_cache_table.py``), never a
process's own memory.

The address is the client's as the platform's own proxies saw it (``TRUSTED_PROXY_COUNT``), never
whatever ``X-Forwarded-For`` a client chose to send: otherwise a new forged header would be a new
address, and every throttle would reset. django-axes (``AXES_CLIENT_IP_CALLABLE``), the API keys'
throttle and the copy requests' use this one function.
"""

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import caches

THROTTLE_CACHE = "throttles"


def _valid_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request) -> str:
    """The client's address: ``REMOTE_ADDR`` when no proxy is trusted (``TRUSTED_PROXY_COUNT``
    0, the default). Behind N trusted proxies, each of which appends the address it was called
    from to ``X-Forwarded-For``, the client is the N-th entry from the right: entries further
    left were written by the client itself and prove nothing. A header with fewer entries than
    trusted proxies (the request did not come through them all) or a malformed entry counts
    as ``REMOTE_ADDR``."""
    meta = getattr(request, "META", {})
    remote = meta.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    return _valid_address(forwarded[-proxies]) or remote


def _slots(scope: str, subject: str, limit: int) -> list[str]:
    # Hashed: the subject may be an email address, which is not kept in a cache key.
    digest = hashlib.sha256(f"{scope}\0{subject}".encode()).hexdigest()[:40]
    return [f"throttle:{scope}:{digest}:{slot}" for slot in range(1, limit + 1)]


def throttle_take(*, scope: str, subject: str, limit: int, seconds: int) -> bool:
    """Count one more attempt by ``subject`` (an address, an email) at ``scope``; False when
    ``limit`` attempts were already counted in the last ``seconds``.

    Each attempt takes the first free one of ``limit`` slots, with ``cache.add`` (atomic in
    Redis and in the database cache alike), so two processes counting at the same moment
    never take the same slot, as a read-then-write counter could."""
    cache = caches[THROTTLE_CACHE]
    return any(cache.add(key, 1, seconds) for key in _slots(scope, subject, limit))


def throttle_full(*, scope: str, subject: str, limit: int) -> bool:
    """Whether ``subject`` has used all ``limit`` attempts at ``scope``, without counting one."""
    slots = _slots(scope, subject, limit)
    return len(caches[THROTTLE_CACHE].get_many(slots)) >= limit
