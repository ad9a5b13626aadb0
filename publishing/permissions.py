"""Who may do what with a partnership's publications (DESIGN §1 and §2 step 7), declared once.

- The review group (business manager, chair, review group members) sees every publication; an
  independent lead reviewer sees those of the reviews they are appointed to (now); agencies none.
- The partnership's leadership (``tenants.roles.MANAGERS``: the business manager, who runs
  publication, and the chair) starts a publication, writes its public record, records the
  pre-publication notice, edits the 7-minute briefing, and schedules, publishes, delays, does not
  publish, withdraws, reopens or keeps it online.
- Preparing it (uploading documents, adding identifiers for the gate to look for, checking again,
  seeing what the gate found) is also open to the review's appointed lead reviewer, who holds the
  corrected report.
- Only the chair accepts one of the gate's findings with a reason, and writes the chair's
  statement (each partnership's chair their own).
- Only the business manager decides requests for copies of a report no longer online.
- The platform (``actor_for_platform``: the daily job, the demo loader, entering reviews
  published before the partnership used Safeguard) acts for the leadership; it does not accept
  findings or decide requests, which are a person's judgement.

Services call ``require_*`` before they change anything (a refusal is PermissionDenied, a 403);
pages and the API ask ``may_*`` only to decide what to show. Missing and not-yours stay the
selectors' 404 (``publishing.selectors.access_publication``).
"""

from tenants import clock
from tenants.actors import Actor
from tenants.models import Membership, Partnership
from tenants.roles import (  # noqa: F401 (ROLE_REFUSED: the pages' words too)
    MANAGERS,
    REVIEW_GROUP,
    REVIEW_GROUP_AND_REVIEWERS,
    ROLE_REFUSED,
    Role,
    refuse_unless,
)


def is_platform(actor: Actor) -> bool:
    """The platform itself (a scheduled job, a command), not a person or an agency's system."""
    return actor.kind == "system"


# --- Seeing publications -----------------------------------------------------------------------


def may_see_publications(actor: Actor) -> bool:
    """The publications pages are the review group's and the lead reviewers' (each reviewer
    then sees only their reviews' publications)."""
    return actor.has_role(*REVIEW_GROUP_AND_REVIEWERS)


def require_see_publications(actor: Actor) -> None:
    refuse_unless(
        may_see_publications(actor), "Publications are for the review group and the reviewers."
    )


def may_see_every_publication(actor: Actor) -> bool:
    """The review group sees every publication of the partnership."""
    return actor.has_role(*REVIEW_GROUP)


def may_see_appointed_publications(actor: Actor) -> bool:
    """A lead reviewer sees the publications of the reviews they are appointed to."""
    return actor.has_role(Role.LEAD_REVIEWER)


def is_appointed_reviewer(actor: Actor, publication) -> bool:
    """Whether the actor is a lead reviewer appointed (now) to the publication's review."""
    if not may_see_appointed_publications(actor) or publication.review_id is None:
        return False
    return publication.review.appointments.filter(
        profile__user_uuid=actor.user.uuid, ended_on__isnull=True, appointed_on__lte=clock.today()
    ).exists()


# --- The partnership's leadership --------------------------------------------------------------


def _leads(actor: Actor) -> bool:
    return is_platform(actor) or actor.has_role(*MANAGERS)


def may_start_publication(actor: Actor) -> bool:
    """Start the publication of a completed review, or enter one published before Safeguard."""
    return _leads(actor)


def require_start_publication(actor: Actor) -> None:
    refuse_unless(may_start_publication(actor))


def may_edit_publication(actor: Actor, publication) -> bool:
    """Write the public record, and take an identifier off the list the gate looks for."""
    return _leads(actor)


def require_edit_publication(actor: Actor, publication) -> None:
    refuse_unless(may_edit_publication(actor, publication))


def may_record_notice(actor: Actor, publication) -> bool:
    """Record when the report went to the Panel, the Secretary of State and Ofsted."""
    return _leads(actor)


def require_record_notice(actor: Actor, publication) -> None:
    refuse_unless(may_record_notice(actor, publication))


def may_publish_publication(actor: Actor, publication) -> bool:
    """Schedule, publish, delay, not publish, withdraw, reopen, or keep online longer."""
    return _leads(actor)


def require_publish_publication(actor: Actor, publication) -> None:
    refuse_unless(may_publish_publication(actor, publication))


def may_edit_briefing(actor: Actor, publication) -> bool:
    """Write the 7-minute briefing and make its PDF."""
    return _leads(actor)


def require_edit_briefing(actor: Actor, publication) -> None:
    refuse_unless(may_edit_briefing(actor, publication))


# --- Preparing: the leadership and the review's appointed reviewer -----------------------------


def may_prepare_publication(actor: Actor, publication) -> bool:
    """Upload documents and corrected versions, add identifiers to check, check again, and see
    what the gate found: the leadership, and the review's appointed lead reviewer."""
    return _leads(actor) or is_appointed_reviewer(actor, publication)


def require_prepare_publication(actor: Actor, publication) -> None:
    refuse_unless(
        may_prepare_publication(actor, publication),
        "Only the business manager, the chair or the review's reviewer can.",
    )


# --- The chair's own judgement -----------------------------------------------------------------


def may_accept_finding(actor: Actor, publication) -> bool:
    """Accept one of the gate's findings with a written reason: the chair alone, a person."""
    return actor.has_role(Role.CHAIR)


def require_accept_finding(actor: Actor, publication) -> None:
    refuse_unless(may_accept_finding(actor, publication))


def may_write_statement(actor: Actor, publication) -> bool:
    """Write the chair's statement for the chair's own partnership (the platform enters one a
    partnership published before it used Safeguard)."""
    return is_platform(actor) or actor.has_role(Role.CHAIR)


def require_write_statement(actor: Actor, publication) -> None:
    refuse_unless(may_write_statement(actor, publication))


# --- Requests for copies -----------------------------------------------------------------------


def may_decide_copy_requests(actor: Actor) -> bool:
    """See and decide the public's requests for copies: the business manager, who runs
    publication (DESIGN §1)."""
    return actor.has_role(Role.BUSINESS_MANAGER)


def require_decide_copy_requests(actor: Actor) -> None:
    refuse_unless(may_decide_copy_requests(actor))


def publication_runners_emails(partnership: Partnership) -> list[str]:
    """The business managers, who run publication (DESIGN §1) and decide requests for copies:
    told of a request, of a delay due for review and of a scheduled publication that could not
    go out."""
    return sorted(
        Membership.objects.filter(
            partnership=partnership, role=Role.BUSINESS_MANAGER, user__is_active=True
        ).values_list("user__email", flat=True)
    )
