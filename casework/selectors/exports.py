"""Reads for downloads of casework lists (CSV and Excel; the files are written by
``tenants.spreadsheets``): the referrals and the clocks an actor sees. Each download is recorded
in the audit trail with its filters and format, never a name (the action tracker's is
``lists.action_tracker_for_page``, the audit trail's ``tenants.agencies.selectors``)."""

from django.db.models import QuerySet

from casework.models import Clock, Referral
from casework.selectors.referrals import referral_list, visible_referrals
from tenants.actors import Actor
from tenants.agencies.audit import audit_event_record


def _downloaded(actor: Actor, what: str, file_format: str, filters: dict) -> None:
    audit_event_record(
        actor=actor,
        action=f"{what}.exported",
        object_type=what.rstrip("s"),
        detail={
            **{key: str(value) for key, value in filters.items() if value},
            "format": file_format,
        },
    )


def referrals_for_export(*, actor: Actor, file_format: str, **filters) -> QuerySet[Referral]:
    """The referrals the actor sees (the triage list's filters: ``referral_list``), newest
    first, with their agency and clocks; the download is audited."""
    referrals = referral_list(actor=actor, audit=False, **filters)
    _downloaded(actor, "referrals", file_format, filters)
    return referrals


def clocks_for_export(*, actor: Actor, file_format: str) -> QuerySet[Clock]:
    """Every clock, running and stopped, of the referrals the actor sees, soonest due first;
    the download is audited."""
    clocks = (
        Clock.objects.filter(referral__in=visible_referrals(actor).values("pk"))
        .select_related("referral")
        .order_by("due", "id")
    )
    _downloaded(actor, "clocks", file_format, {})
    return clocks
