"""Who is acting: a person with a role in this partnership, an agency's system, or the platform.

Every service takes an ``Actor``, so the web and the API check the same rules and write the same
audit rows. An actor belongs to exactly one partnership: the one whose host the request came to.
Only the joint-review door (``casework.joint.door``) makes the one variant, ``JointReviewActor``:
the same person or system, still of their own partnership, working in the lead's schema.
"""

import re
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied

from tenants.models import Membership, Partnership, Role, User

# What a request id may look like, wherever it comes from (a client's X-Request-ID included):
# it goes into the audit trail and response headers, so nothing else is kept.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{8,64}")


def request_id_or_new(supplied: str | None) -> str:
    """``supplied`` when it is a safe request id, else a fresh one."""
    if supplied and REQUEST_ID_PATTERN.fullmatch(supplied):
        return supplied
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Actor:
    partnership: Partnership
    kind: str  # "user", "api_key" or "system"; see tenants.agencies.models.ActorType
    label: str
    role: str = ""
    user: User | None = None
    membership: Membership | None = None
    agency_uuid: uuid.UUID | None = None
    api_key_uuid: uuid.UUID | None = None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    host: str = ""

    @property
    def uuid(self) -> uuid.UUID | None:
        if self.user is not None:
            return self.user.uuid
        return self.api_key_uuid

    @property
    def is_agency(self) -> bool:
        """An agency user or an agency's system: sees only its own agency's casework."""
        return self.role == Role.AGENCY_USER or self.kind == "api_key"

    @property
    def is_joint(self) -> bool:
        """Whether this actor works in another partnership's schema, through the door."""
        return False

    @property
    def schema_name(self) -> str:
        """The schema this actor works in (and whose audit trail records what it does)."""
        return self.partnership.schema_name

    def may(self, permission: str) -> bool:
        """What a joint review's grant lets a participant do; nothing limits an actor at home."""
        return True

    def has_role(self, *roles: str) -> bool:
        return self.kind == "user" and self.role in roles

    def require_role(self, *roles: str) -> None:
        """Raise PermissionDenied (a 403) unless this is a person holding one of ``roles``."""
        if not self.has_role(*roles):
            raise PermissionDenied("Your role in this partnership does not allow this.")


@dataclass(frozen=True)
class JointReviewActor(Actor):
    """A person or agency system of ``partnership`` (a joint review's participant) working in
    ``working_in``'s schema (the lead's) on the reviews the grant names. Their role is the
    one they hold at home; ``agency_uuid`` is their agency's mirror in the lead's schema (so the
    lead's selectors see "their own agency's" rows) and ``home_agency_uuid`` the agency itself.
    Made only by the door, for the duration of one call."""

    working_in: Partnership | None = None
    grant_uuid: uuid.UUID | None = None
    # The reviews it may reach there: the one of a workspace call, or (read-only, for lists)
    # every review that lead holds jointly with the actor's partnership.
    review_uuids: frozenset = frozenset()
    home_agency_uuid: uuid.UUID | None = None
    permissions: frozenset = frozenset()

    @property
    def is_joint(self) -> bool:
        return True

    @property
    def schema_name(self) -> str:
        return self.working_in.schema_name

    def may(self, permission: str) -> bool:
        return permission in self.permissions


def actor_for_member(*, membership: Membership, request_id: str = "", host: str = "") -> Actor:
    return Actor(
        partnership=membership.partnership,
        kind="user",
        label=membership.user.email,
        role=membership.role,
        user=membership.user,
        membership=membership,
        agency_uuid=membership.agency_uuid,
        request_id=request_id or uuid.uuid4().hex,
        host=host,
    )


def api_key_label(api_key) -> str:
    """Who an agency's system is, in the trail and on what it did ("Referred by"): the system's
    name given at issue (``create_agency_key --name``, the workspace's form), then its key."""
    key, agency = f"API key {api_key.prefix}", api_key.agency.name
    return f"{api_key.name} ({key}, {agency})" if api_key.name else f"{key} ({agency})"


def actor_for_api_key(
    *, partnership: Partnership, api_key, request_id: str = "", host: str = ""
) -> Actor:
    return Actor(
        partnership=partnership,
        kind="api_key",
        label=api_key_label(api_key),
        role="agency_system",
        agency_uuid=api_key.agency.uuid,
        api_key_uuid=api_key.uuid,
        request_id=request_id or uuid.uuid4().hex,
        host=host,
    )


def actor_for_platform(*, partnership: Partnership, label: str, request_id: str = "") -> Actor:
    """The platform itself: a management command, a periodic job."""
    return Actor(
        partnership=partnership,
        kind="system",
        label=label,
        request_id=request_id or uuid.uuid4().hex,
    )
