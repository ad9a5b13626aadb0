"""Reads in a partnership's own schema. Objects are reached through ``access_<thing>`` helpers,
which give the same 404 for "missing" and "not yours"."""

import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from tenants.actors import Actor
from tenants.agencies.audit import audit_event_record
from tenants.agencies.models import Agency, AgencyApiKey, AuditEvent, IdempotencyRecord
from tenants.agencies.permissions import may_read_audit_trail, may_run_workspace
from tenants.throttles import throttle_full, throttle_take
from tenants.validation import found_or_404, uuid_or_404


def agency_list(*, actor: Actor, include_inactive: bool = False) -> QuerySet[Agency]:
    """The partnership's agencies; an agency user or system sees only its own. A joint review's
    participant, working in the lead's schema, sees only the mirrors of its own agencies."""
    if actor.is_joint:
        agencies = Agency.objects.mirrors_of(actor.partnership.key)
    else:
        agencies = Agency.objects.own()
    if not include_inactive:
        agencies = agencies.filter(is_active=True)
    if actor.is_agency:
        agencies = agencies.filter(uuid=actor.agency_uuid)
    return agencies.order_by("name")


def agency_get_by_name(*, name: str) -> Agency | None:
    return Agency.objects.own().filter(name__iexact=" ".join(name.split())).first()


def name_key(name: str) -> str:
    """A name as the register compares it: lower case, apostrophes and full stops dropped,
    spaces single ("King's College Hospital" and "kings college hospital" are one)."""
    return " ".join(name.lower().replace("'", "").replace("’", "").replace(".", "").split())


def agency_register() -> dict[str, Agency]:
    """The partnership's own agencies by every name they go by (name and aliases, as
    ``name_key`` compares them): the register a reviewer's affiliations are matched through."""
    register: dict[str, Agency] = {}
    for agency in Agency.objects.own():
        for name in agency.names:
            register.setdefault(name_key(name), agency)
    return register


def access_agency(*, actor: Actor, agency_uuid) -> Agency:
    agency_uuid = uuid_or_404(agency_uuid)
    if actor.is_agency and agency_uuid != actor.agency_uuid:
        raise Http404("No such agency.")
    return found_or_404(
        agency_list(actor=actor, include_inactive=True).filter(uuid=agency_uuid).first(),
        "No such agency.",
    )


def agency_for_actor(*, actor: Actor) -> Agency | None:
    """The agency an agency user or system acts for."""
    if actor.agency_uuid is None:
        return None
    return Agency.objects.filter(uuid=actor.agency_uuid).first()


def api_key_list(*, actor: Actor) -> QuerySet[AgencyApiKey]:
    """Every key (its prefix and state, never the key) for the business manager."""
    if not may_run_workspace(actor):
        raise Http404("No such page.")
    audit_event_record(actor=actor, action="api_keys.viewed", object_type="api_key")
    return AgencyApiKey.objects.select_related("agency").order_by("-created")


def access_api_key(*, actor: Actor, key_uuid) -> AgencyApiKey:
    key_uuid = uuid_or_404(key_uuid)
    if not may_run_workspace(actor):
        raise Http404("No such key.")
    return found_or_404(
        AgencyApiKey.objects.select_related("agency").filter(uuid=key_uuid).first(), "No such key."
    )


def audit_event_list(
    *,
    actor: Actor,
    action: str = "",
    actor_label: str = "",
    object_ref: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    export: str = "",
) -> QuerySet[AuditEvent]:
    """The audit trail, newest first, for the business manager and the chair, between two UK
    dates when given. Reading the trail is itself recorded, and downloading it (``export``: its
    format) as such."""
    if not may_read_audit_trail(actor):
        raise Http404("No such page.")
    asked = (
        ("action", action),
        ("actor", actor_label),
        ("object", object_ref),
        ("date_from", date_from and date_from.isoformat()),
        ("date_to", date_to and date_to.isoformat()),
        ("format", export),
    )
    audit_event_record(
        actor=actor,
        action="audit_trail.exported" if export else "audit_trail.viewed",
        object_type="audit_trail",
        detail={key: value for key, value in asked if value},
    )
    events = AuditEvent.objects.all()
    if date_from:
        events = events.filter(occurred_at__date__gte=date_from)
    if date_to:
        events = events.filter(occurred_at__date__lte=date_to)
    if action:
        events = events.filter(action__startswith=action)
    if actor_label:
        events = events.filter(actor_label__icontains=actor_label)
    if object_ref:
        events = events.filter(object_ref=object_ref)
    return events.order_by("-occurred_at", "-id")


class ApiKeyAttemptsExceeded(Exception):
    """Too many failed API key attempts from one address: refused, key or no key, for a while."""

    def __init__(self, seconds: int):
        super().__init__(f"Too many failed attempts from your address: try in {seconds} s.")
        self.seconds = seconds


def api_key_authenticate(*, key: str, client_address: str) -> AgencyApiKey | None:
    """The key's record if ``key`` is a live key of an active agency in THIS partnership's
    schema; None otherwise. A key of another partnership does not exist here.

    Failed attempts are counted per client address (``tenants.throttles``, shared by every
    process and every partnership's host): past ``API_KEY_FAILURE_LIMIT`` within
    ``API_KEY_FAILURE_MINUTES`` the address is refused (``ApiKeyAttemptsExceeded``) before any
    key it sends is looked at, so keys cannot be guessed or probed at speed."""
    limit, seconds = settings.API_KEY_FAILURE_LIMIT, settings.API_KEY_FAILURE_MINUTES * 60
    if throttle_full(scope="api-key-failures", subject=client_address, limit=limit):
        raise ApiKeyAttemptsExceeded(seconds)
    api_key = _api_key_matching(key)
    if api_key is None:
        throttle_take(
            scope="api-key-failures", subject=client_address, limit=limit, seconds=seconds
        )
    return api_key


def _api_key_matching(key: str) -> AgencyApiKey | None:
    prefix, dot, secret = (key or "").partition(".")
    if not dot or not prefix or not secret or len(key) > 200:
        return None
    api_key = (
        AgencyApiKey.objects.select_related("agency")
        .filter(prefix=prefix, revoked=False, agency__is_active=True)
        .first()
    )
    if api_key is None or api_key.has_expired or not api_key.is_valid(key):
        return None
    return api_key


def idempotency_record_find(*, api_key_uuid, key: str) -> IdempotencyRecord | None:
    """The remembered answer to the request this API key sent with this ``Idempotency-Key``."""
    return IdempotencyRecord.objects.filter(api_key_uuid=api_key_uuid, key=key).first()
