"""Who may change a joint review's grant (DESIGN §3): answer an invitation, let a participant in,
end a part. Re-exported by ``casework.permissions`` with the rest of casework's rules."""

from django.core.exceptions import PermissionDenied

from casework.joint.models import LIVE_STATES, ParticipantState
from tenants.actors import Actor
from tenants.roles import JOINT_REVIEW_ANSWERERS, Role, refuse_unless


def may_manage_joint_reviews(actor: Actor) -> bool:
    """The business manager or the chair answers invitations and manages their partnership's
    part in joint reviews, on their own host."""
    return not actor.is_joint and actor.has_role(*JOINT_REVIEW_ANSWERERS)


def require_joint_review_manager(actor: Actor) -> None:
    if actor.is_joint:
        raise PermissionDenied("Joint-review grants are changed on your own partnership's host.")
    refuse_unless(actor.has_role(*JOINT_REVIEW_ANSWERERS))


def may_open_part(actor: Actor, part) -> bool:
    """The lead lets an accepted participant in."""
    return (
        may_manage_joint_reviews(actor)
        and part.grant.lead_id == actor.partnership.pk
        and part.state == ParticipantState.ACCEPTED
    )


def may_end_part(actor: Actor, part) -> bool:
    """Either side's chair ends a part; the lead's business manager or chair withdraws an
    invitation not yet answered."""
    if not may_manage_joint_reviews(actor) or part.state not in LIVE_STATES:
        return False
    own = part.partnership_id == actor.partnership.pk
    lead = part.grant.lead_id == actor.partnership.pk
    if not (own or lead):
        return False
    return actor.has_role(Role.CHAIR) or (lead and part.state == ParticipantState.INVITED)
