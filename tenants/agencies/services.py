"""Changes in a partnership's own schema: agencies, API keys, the audit trail, idempotency."""

import datetime
import hashlib
import json
import logging
import uuid as uuid_module
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from tenants import clock
from tenants.actors import Actor
from tenants.agencies.audit import audit_event_record
from tenants.agencies.models import (
    Agency,
    AgencyApiKey,
    AgencyKind,
    IdempotencyRecord,
)
from tenants.agencies.selectors import agency_register, name_key
from tenants.models import Role

logger = logging.getLogger(__name__)


def _require_manager(actor: Actor) -> None:
    if actor.kind != "system":
        actor.require_role(Role.BUSINESS_MANAGER)


def _aliases_clean(aliases, name: str, agency: Agency | None, errors: dict) -> list[str]:
    """The aliases as given (spaces tidied, repeats and the name itself dropped); an alias that
    is already another agency's name or alias is refused, naming that agency."""
    cleaned, seen = [], {name_key(name)}
    others = {
        key: other
        for key, other in agency_register().items()
        if agency is None or other.pk != agency.pk
    }
    for alias in aliases or ():
        alias = " ".join(alias.split())
        key = name_key(alias)
        if not alias or key in seen:
            continue
        if key in others:
            errors.setdefault("aliases", []).append(
                f"'{alias}' is already a name of {others[key].name}."
            )
        elif len(alias) > 200:
            errors.setdefault("aliases", []).append("An alias is at most 200 characters.")
        seen.add(key)
        cleaned.append(alias)
    return cleaned


def agency_create(
    *, actor: Actor, name: str, kind: str = AgencyKind.OTHER, aliases: list[str] | None = None
) -> Agency:
    """Add a partner agency, with the other names it goes by ("Met Police", "MPS"; an NHS
    trust's former names). Business managers (and the platform) only; names are unique in the
    partnership regardless of case, and an alias names one agency only."""
    _require_manager(actor)
    name = " ".join((name or "").split())
    errors = {}
    if not name:
        errors["name"] = ["Enter the agency's name."]
    elif Agency.objects.own().filter(name__iexact=name).exists():
        errors["name"] = [f"There is already an agency called '{name}'."]
    if kind not in AgencyKind.values:
        errors["kind"] = ["Choose what kind of agency this is."]
    aliases = _aliases_clean(aliases, name, None, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        agency = Agency.objects.create(name=name, kind=kind, aliases=aliases)
        audit_event_record(
            actor=actor,
            action="agency.created",
            object_type="agency",
            object_ref=str(agency.uuid),
            detail={"name": name, "kind": kind, "aliases": aliases},
        )
    return agency


@dataclass(frozen=True)
class HomeAgency:
    """A participant's own agency as the joint-review door carries it into the lead's schema:
    no more than its name, kind and state."""

    uuid: uuid_module.UUID
    name: str
    kind: str
    is_active: bool


def mirror_name(name: str, partnership_name: str) -> str:
    """How the lead's schema names a participant's agency: "Met Police (Lewisham)", so that two
    partnerships' Met Police are told apart in one chronology."""
    short = partnership_name.split(" Safeguarding")[0].strip() or partnership_name
    return f"{name} ({short})"[:200]


def agency_mirrors_sync(*, actor: Actor, agencies: list[HomeAgency]) -> dict:
    """Keep this schema's mirrors of a joint review participant's agencies as the participant
    has them: new agencies are added, renamed or deactivated ones follow. ``actor`` is the
    participant's actor working here through the door; only changes are written, each audited.
    Returns the mirrors by their home agency's UUID."""
    if not actor.is_joint or connection.schema_name != actor.schema_name:
        raise RuntimeError("Mirrors are kept only through the joint-review door.")
    key = actor.partnership.key
    mirrors = {m.home_agency_uuid: m for m in Agency.objects.mirrors_of(key)}
    for home in agencies:
        name = mirror_name(home.name, actor.partnership.name)
        mirror = mirrors.get(home.uuid)
        if mirror is None:
            with transaction.atomic():
                mirror = Agency.objects.create(
                    name=name,
                    kind=home.kind,
                    is_active=home.is_active,
                    home_partnership_key=key,
                    home_agency_uuid=home.uuid,
                )
                audit_event_record(
                    actor=actor,
                    action="agency.mirrored",
                    object_type="agency",
                    object_ref=str(mirror.uuid),
                    detail={"home_partnership": key, "home_agency": str(home.uuid)},
                )
            mirrors[home.uuid] = mirror
        elif (mirror.name, mirror.kind, mirror.is_active) != (name, home.kind, home.is_active):
            with transaction.atomic():
                Agency.objects.filter(pk=mirror.pk).update(
                    name=name, kind=home.kind, is_active=home.is_active
                )
                mirror.name, mirror.kind, mirror.is_active = name, home.kind, home.is_active
                audit_event_record(
                    actor=actor,
                    action="agency.mirror_changed",
                    object_type="agency",
                    object_ref=str(mirror.uuid),
                    detail={"home_partnership": key, "home_agency": str(home.uuid)},
                )
    return mirrors


def agency_update(
    *,
    actor: Actor,
    agency: Agency,
    name: str,
    kind: str,
    is_active: bool,
    aliases: list[str] | None = None,
) -> Agency:
    """Change an agency's name, kind, state or aliases (``None`` keeps the aliases), audited
    with what it was."""
    _require_manager(actor)
    name = " ".join((name or "").split())
    errors = {}
    if not name:
        errors["name"] = ["Enter the agency's name."]
    elif Agency.objects.own().filter(name__iexact=name).exclude(pk=agency.pk).exists():
        errors["name"] = [f"There is already an agency called '{name}'."]
    if kind not in AgencyKind.values:
        errors["kind"] = ["Choose what kind of agency this is."]
    aliases = agency.aliases if aliases is None else _aliases_clean(aliases, name, agency, errors)
    if errors:
        raise ValidationError(errors)
    before = {
        "name": agency.name,
        "kind": agency.kind,
        "is_active": agency.is_active,
        "aliases": agency.aliases,
    }
    with transaction.atomic():
        agency.name, agency.kind, agency.is_active = name, kind, is_active
        agency.aliases = aliases
        agency.save(update_fields=["name", "kind", "is_active", "aliases"])
        audit_event_record(
            actor=actor,
            action="agency.changed",
            object_type="agency",
            object_ref=str(agency.uuid),
            detail={
                "before": before,
                "after": {
                    "name": name,
                    "kind": kind,
                    "is_active": is_active,
                    "aliases": aliases,
                },
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
    if expires_on is not None and expires_on <= clock.today():
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
        api_key.revoked_at = clock.now()
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
    now = clock.now()
    count = 0
    expired = AgencyApiKey.objects.select_related("agency").filter(
        revoked=False, expiry_date__lt=now
    )
    for api_key in expired:
        api_key_revoke(actor=actor, api_key=api_key, reason="expired")
        count += 1
    return count


# --- Idempotency -------------------------------------------------------------------------------
# An agency's system may resend a POST it got no answer to (a timeout, a dropped connection).
# With an ``Idempotency-Key`` the resend gets the first answer and changes nothing (IETF
# draft-ietf-httpapi-idempotency-key-header): the key names one request, and reusing it for a
# different one is refused.

IDEMPOTENCY_KEY_MAX_LENGTH = 255
IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
# How long a key is remembered: retries come within minutes, a day covers a night's batch.
IDEMPOTENCY_RETENTION = datetime.timedelta(hours=24)


class IdempotencyKeyReused(Exception):
    """The key was used before for a different request (another body, method or path)."""


def idempotency_key_check(*, key: str) -> str:
    """A key is 1 to 255 printable ASCII characters (a UUID is the usual choice)."""
    readable = key.isascii() and key.isprintable()
    if not key or len(key) > IDEMPOTENCY_KEY_MAX_LENGTH or not readable:
        raise ValidationError(
            {
                IDEMPOTENCY_KEY_HEADER: [
                    f"Send 1 to {IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters, "
                    "e.g. a UUID, unique to this request."
                ]
            }
        )
    return key


def idempotency_body_sha256(*, body) -> str:
    """SHA-256 of the parsed JSON body in canonical form (keys sorted, no spacing), so that
    the same request resent with other whitespace or key order counts as the same."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotency_record_match(
    *, record: IdempotencyRecord, method: str, path: str, body_sha256: str
) -> IdempotencyRecord:
    """The record, if it answers this very request; ``IdempotencyKeyReused`` if the key was
    first sent with another body, method or path."""
    if (record.method, record.path, record.body_sha256) != (method, path, body_sha256):
        raise IdempotencyKeyReused(
            f"This {IDEMPOTENCY_KEY_HEADER} was already used for a different request; "
            "send a new key for a new request."
        )
    return record


def idempotency_record_create(
    *,
    api_key_uuid,
    key: str,
    method: str,
    path: str,
    body_sha256: str,
    response_status: int,
    response_body,
) -> IdempotencyRecord:
    """Remember the answer to a request. Must run in the transaction that made the change, so
    the two commit together or not at all; a concurrent request with the same key then fails
    on the unique constraint (IntegrityError) once this one commits, and replays it."""
    if not connection.in_atomic_block:
        raise RuntimeError("Record an idempotent answer inside the change's transaction.")
    return IdempotencyRecord.objects.create(
        api_key_uuid=api_key_uuid,
        key=key,
        method=method,
        path=path,
        body_sha256=body_sha256,
        response_status=response_status,
        response_body=response_body,
    )


def idempotency_records_purge(*, now: datetime.datetime | None = None) -> int:
    """Forget keys older than the retention period. Safe to run twice."""
    cutoff = (now or clock.now()) - IDEMPOTENCY_RETENTION
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def idempotency_record_replayed(*, actor: Actor, record: IdempotencyRecord) -> None:
    """A resent request was answered from its record: nothing changed, but the answer shows
    casework again, so the read is in the audit trail like any other."""
    audit_event_record(
        actor=actor,
        action="request.replayed",
        object_type="api_request",
        detail={"method": record.method, "path": record.path, "status": record.response_status},
    )
