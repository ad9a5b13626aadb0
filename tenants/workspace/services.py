"""Changes in a partnership's own schema: agencies, API keys, the audit trail."""

import datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from tenants.actors import Actor
from tenants.models import Role
from tenants.workspace.models import ActorType, Agency, AgencyApiKey, AgencyKind, AuditEvent


def audit_event_record(
    *,
    actor: Actor,
    action: str,
    object_type: str = "",
    object_ref: str = "",
    detail: dict | None = None,
) -> AuditEvent:
    """Append one row to the partnership's audit trail (DESIGN §5: every read and every change
    of casework, who, what, when, from which host). ``detail`` must never hold a child's or a
    family's identifiers: name objects by reference or UUID."""
    if connection.schema_name != actor.partnership.schema_name:
        raise RuntimeError(
            f"Audit row for {actor.partnership.schema_name!r} written on "
            f"{connection.schema_name!r}."
        )
    return AuditEvent.objects.create(
        request_id=actor.request_id,
        host=actor.host,
        partnership_key=actor.partnership.key,
        actor_type=ActorType(actor.kind),
        actor_uuid=actor.uuid,
        actor_label=actor.label,
        actor_role=actor.role,
        action=action,
        object_type=object_type,
        object_ref=object_ref,
        detail=detail or {},
    )


def _require_manager(actor: Actor) -> None:
    if actor.kind != "system":
        actor.require_role(Role.BUSINESS_MANAGER)


def agency_create(*, actor: Actor, name: str, kind: str = AgencyKind.OTHER) -> Agency:
    """Add a partner agency. Business managers (and the platform) only; names are unique in
    the partnership regardless of case."""
    _require_manager(actor)
    name = " ".join((name or "").split())
    errors = {}
    if not name:
        errors["name"] = ["Enter the agency's name."]
    elif Agency.objects.filter(name__iexact=name).exists():
        errors["name"] = [f"There is already an agency called '{name}'."]
    if kind not in AgencyKind.values:
        errors["kind"] = ["Choose what kind of agency this is."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        agency = Agency.objects.create(name=name, kind=kind)
        audit_event_record(
            actor=actor,
            action="agency.created",
            object_type="agency",
            object_ref=str(agency.uuid),
            detail={"name": name, "kind": kind},
        )
    return agency


def agency_update(*, actor: Actor, agency: Agency, name: str, kind: str, is_active: bool) -> Agency:
    _require_manager(actor)
    name = " ".join((name or "").split())
    errors = {}
    if not name:
        errors["name"] = ["Enter the agency's name."]
    elif Agency.objects.filter(name__iexact=name).exclude(pk=agency.pk).exists():
        errors["name"] = [f"There is already an agency called '{name}'."]
    if kind not in AgencyKind.values:
        errors["kind"] = ["Choose what kind of agency this is."]
    if errors:
        raise ValidationError(errors)
    before = {"name": agency.name, "kind": agency.kind, "is_active": agency.is_active}
    with transaction.atomic():
        agency.name, agency.kind, agency.is_active = name, kind, is_active
        agency.save(update_fields=["name", "kind", "is_active"])
        audit_event_record(
            actor=actor,
            action="agency.changed",
            object_type="agency",
            object_ref=str(agency.uuid),
            detail={
                "before": before,
                "after": {"name": name, "kind": kind, "is_active": is_active},
            },
        )
    return agency


def api_key_issue(
    *,
    actor: Actor,
    agency: Agency,
    name: str,
    expires_on: datetime.date | None = None,
) -> tuple[AgencyApiKey, str]:
    """Issue an API key bound to one agency in this partnership. The key itself is returned
    once and only its hash is kept."""
    _require_manager(actor)
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = ["Name the system this key is for, e.g. 'Niche RMS referrals'."]
    if not agency.is_active:
        errors["agency"] = ["This agency is no longer active."]
    if expires_on is not None and expires_on <= timezone.localdate():
        errors["expires_on"] = ["The expiry date must be in the future."]
    if errors:
        raise ValidationError(errors)
    expiry = (
        timezone.make_aware(datetime.datetime.combine(expires_on, datetime.time.max))
        if expires_on
        else None
    )
    with transaction.atomic():
        api_key, key = AgencyApiKey.objects.create_key(
            name=name, agency=agency, expiry_date=expiry, issued_by=actor.label
        )
        audit_event_record(
            actor=actor,
            action="api_key.issued",
            object_type="api_key",
            object_ref=str(api_key.uuid),
            detail={"prefix": api_key.prefix, "agency": agency.name, "name": name},
        )
    return api_key, key


def api_key_revoke(*, actor: Actor, api_key: AgencyApiKey, reason: str = "") -> AgencyApiKey:
    """Revoke a key for good; the next request with it gets a 401. Revoking twice is a no-op."""
    _require_manager(actor)
    if api_key.revoked:
        return api_key
    with transaction.atomic():
        api_key.revoked = True
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked", "revoked_at"])
        audit_event_record(
            actor=actor,
            action="api_key.revoked",
            object_type="api_key",
            object_ref=str(api_key.uuid),
            detail={"prefix": api_key.prefix, "agency": api_key.agency.name, "reason": reason},
        )
    return api_key


def api_keys_revoke_expired(*, actor: Actor) -> int:
    """Mark every key past its expiry date as revoked, with an audit row each. Expired keys are
    already refused at sign-in; this makes the state plain on the keys page. Safe to run twice:
    a revoked key is not revoked again."""
    now = timezone.now()
    count = 0
    expired = AgencyApiKey.objects.select_related("agency").filter(
        revoked=False, expiry_date__lt=now
    )
    for api_key in expired:
        api_key_revoke(actor=actor, api_key=api_key, reason="expired")
        count += 1
    return count
