"""Who is told: the people holding a role in a partnership, an agency's users (at home, for a
joint review's participant agency), and which agency's webhooks hear of an event."""

from tenants.handoffs import WebhookEvent
from tenants.models import Membership, Partnership, Role


def role_emails(partnership: Partnership, *roles: str) -> tuple[str, ...]:
    """The active people holding ``roles`` in ``partnership`` (memberships: public schema)."""
    return tuple(
        sorted(
            Membership.objects.filter(
                partnership=partnership, role__in=roles, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )


def agency_recipients(partnership: Partnership, agency) -> tuple[tuple[str, ...], Partnership]:
    """An agency's users, and the partnership whose host they use: a joint review's
    participant agency (a mirror here) has its people at home."""
    home = partnership
    agency_uuid = agency.uuid
    if agency.home_partnership_key:
        home = Partnership.objects.filter(key=agency.home_partnership_key).first() or partnership
        agency_uuid = agency.home_agency_uuid
    emails = Membership.objects.filter(
        partnership=home, agency_uuid=agency_uuid, role=Role.AGENCY_USER, user__is_active=True
    ).values_list("user__email", flat=True)
    return tuple(sorted(emails)), home


def webhook_for(agency, event_type: str, data: dict) -> list[WebhookEvent]:
    """Only an agency of this partnership has webhooks here (a mirror's are at home)."""
    if agency is None or agency.home_partnership_key:
        return []
    return [WebhookEvent(agency_uuid=agency.uuid, type=event_type, data=data)]
