"""The partnership a command names by its key, for every command that takes one."""

from django.core.management.base import CommandError

from tenants.models import Partnership
from tenants.selectors import partnership_get, partnership_list


def partnership_named(key: str, *, returncode: int = 1) -> Partnership:
    """The partnership with ``key``; else the command stops with ``returncode``, saying so."""
    partnership = partnership_get(key=key)
    if partnership is None:
        raise CommandError(f"There is no partnership with key '{key}'.", returncode=returncode)
    return partnership


def partnerships_named(key: str | None) -> list[Partnership]:
    """The partnership with ``key`` (exit status 2 when there is none), or every partnership
    when no key is given."""
    return [partnership_named(key, returncode=2)] if key else list(partnership_list())
