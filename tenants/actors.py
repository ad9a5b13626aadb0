"""Who is acting: a person with a role in this partnership, an agency's system, or the platform.

Every service takes an ``Actor``, so the web and the API check the same rules and write the same
audit rows. An actor belongs to exactly one partnership: the one whose host the request came to.
"""

import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied

from tenants.models import Membership, Partnership, Role, User


@dataclass(frozen=True)
class Actor:
    partnership: Partnership
    kind: str  # "user", "api_key" or "system"; see workspace.models.ActorType
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

    def has_role(self, *roles: str) -> bool:
        return self.kind == "user" and self.role in roles

    def require_role(self, *roles: str) -> None:
        """Raise PermissionDenied (a 403) unless this is a person holding one of ``roles``."""
        if not self.has_role(*roles):
            raise PermissionDenied("Your role in this partnership does not allow this.")


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


def actor_for_api_key(
    *, partnership: Partnership, api_key, request_id: str = "", host: str = ""
) -> Actor:
    return Actor(
        partnership=partnership,
        kind="api_key",
        label=f"API key {api_key.prefix} ({api_key.agency.name})",
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
