"""Absolute addresses on the platform, for emails, printed output, feeds and links between hosts.

Each partnership is served at its own host (``croydon.<platform domain>``); the bare platform
domain serves the landing page and the national library (DESIGN §3). Both are written here, side
by side, from ``PLATFORM_SCHEME``, ``PLATFORM_DOMAIN`` and ``PLATFORM_PORT``.
"""

from django.conf import settings

from tenants.models import Partnership

DEFAULT_PORTS = {"http": "80", "https": "443"}


def _origin(scheme: str, host: str, port: str | None) -> str:
    """``scheme://host``, with the port unless it is the scheme's own."""
    suffix = f":{port}" if port and port != DEFAULT_PORTS.get(scheme) else ""
    return f"{scheme}://{host}{suffix}"


def partnership_primary_host(*, partnership: Partnership) -> str:
    """The host name the partnership is served at (``croydon.localhost``), or "" if none."""
    domain = partnership.domains.filter(is_primary=True).first()
    return domain.domain if domain else ""


def partnership_url(
    *,
    partnership: Partnership,
    path: str = "/",
    scheme: str | None = None,
    port: str | None = None,
) -> str:
    """An absolute address on the partnership's own host, for emails, printed output and links
    between partnerships. Uses prefetched domains when there are any."""
    domains = [d for d in partnership.domains.all() if d.is_primary]
    host = domains[0].domain if domains else partnership_primary_host(partnership=partnership)
    return (
        _origin(
            scheme or settings.PLATFORM_SCHEME,
            host,
            settings.PLATFORM_PORT if port is None else port,
        )
        + path
    )


def platform_url(path: str = "/") -> str:
    """An absolute address on the bare platform domain (the library, its feed)."""
    return (
        _origin(settings.PLATFORM_SCHEME, settings.PLATFORM_DOMAIN, settings.PLATFORM_PORT) + path
    )
