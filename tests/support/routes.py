"""Every route of a partnership's host, and how to fill its URL's arguments from the route world
(``tests/support/route_world.py``); what each route is, a read of casework or not, is in
``tests/support/reads.py``.

- ``partnership_routes()`` lists the patterns as the resolver has them, so a route added to the
  URL confs is seen the day it is added.
- ``ARGUMENTS`` builds a pattern's URL arguments from a ``Scope``: the partnership whose host is
  asked and the review whose objects the URL names; ``url()`` the path.

Joint routes (``joint-reviews/<uuid:review_uuid>/…``) are the review workspace's pages, and an
action's and an information request's page, served through the joint-review door on a
participant's host (frontend/urls.py makes them from those pages): their arguments are the
page's, with the joint review's UUID for the review's reference and the joint review's objects.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLResolver, get_resolver, reverse

from tests.support.route_casework import ReviewWork
from tests.support.route_world import RouteWorld, Side

PARTNERSHIP_URLCONF = "safeguard.urls_partnership"
PLATFORM_URLCONF = "safeguard.urls_public"
JOINT_ROUTE = "joint-reviews/<uuid:review_uuid>/"
PUBLIC = "public"  # the reader who is no one: not signed in, no key


@dataclass(frozen=True)
class Pattern:
    name: str  # qualified: "frontend:review", "api:actions"
    route: str  # "case-reviews/<str:reference>/"

    @property
    def through_the_door(self) -> bool:
        return self.route.startswith(JOINT_ROUTE)

    @property
    def base(self) -> str:
        """The page a joint route serves through the door (``frontend:joint-review-terms`` is
        ``frontend:review-terms``); the pattern itself otherwise."""
        if self.through_the_door:
            from frontend.urls import JOINT_NAME_OF

            home = {joint: name for name, joint in JOINT_NAME_OF.items()}
            return "frontend:" + home[self.name.removeprefix("frontend:")]
        return self.name


def partnership_routes(urlconf: str = PARTNERSHIP_URLCONF) -> list[Pattern]:
    """Every URL pattern of a partnership's host (or of another URL conf), from the
    resolver."""
    found: list[Pattern] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            else:
                route = prefix + str(pattern.pattern)
                name = ":".join(filter(None, [namespace, pattern.name]))
                if not pattern.name:
                    name = f"(unnamed) {route}"
                found.append(Pattern(name, route))

    walk(get_resolver(urlconf).url_patterns, "", "")
    return found


# The bare platform domain: the landing page and the national library (its pages, feed and API),
# which hold the anonymised public records only. None of it is casework; none of it is audited.
PLATFORM_ROUTES = {
    "platform:landing",
    "platform:library",
    "platform:library-feed",
    "platform:library-record",
    "library-api",
    "library-schema",
    "library-docs",
}


# --- Filling the URL's arguments ---------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Whose objects a URL names: ``side``'s (its referral, publication, agency…), asked on
    ``side``'s host, and for a review's pages ``work``, the review and its objects (the joint
    review's through the door). ``made``: what a test made for the request beyond the world
    (tests/support/preparations.py), by name."""

    world: RouteWorld
    side: Side
    work: ReviewWork
    made: dict = field(default_factory=dict, compare=False)


def scope(world: RouteWorld, pattern: Pattern, side: Side) -> Scope:
    """``side`` asking ``pattern`` about its own objects (through the door: the joint review's)."""
    return Scope(world, side, world.joint.work if pattern.through_the_door else side.work)


Arguments = Callable[[Scope], dict]


def _referral(s: Scope) -> dict:
    return {"reference": s.side.referral.reference}


def _review(s: Scope) -> dict:
    return {"reference": s.work.review.reference}


def _joint_review_at_the_lead(s: Scope) -> dict:
    # The lead's own management of its joint review: on the lead's host, by reference.
    return {"reference": s.world.joint.review.reference}


def _publication(s: Scope) -> dict:
    return {"publication_uuid": s.side.publication.uuid}


def _part(s: Scope) -> dict:
    return {"participant_uuid": s.world.joint.part.uuid}


def _with(base: Arguments, **more: Callable[[Scope], object]) -> Arguments:
    return lambda s: {**base(s), **{name: value(s) for name, value in more.items()}}


def _action(s: Scope) -> dict:
    return {"action_uuid": s.work.action.uuid}


def _request(s: Scope) -> dict:
    return {"request_uuid": s.work.information_request.uuid}


REFERRAL_SECTIONS = (
    "referral-attachment-add",
    "referral-screening",
    "referral-panel-notification",
    "referral-sos-ofsted-notification",
    "rapid-review-update",
    "rapid-review-start",
    "rapid-review-ask",
    "rapid-review-send",
    "rapid-review-panel-response",
    "referral-decision",
    "referral-decision-notices",
)
REVIEW_POSTS = (
    "review-stage",
    "review-home-office",
    "review-reviewer-check",
    "review-reviewer-appoint",
    "review-reviewer-profile",
    "review-sign-off",
    "review-terms-write",
    "review-terms-sign-off",
    "review-information-request",
    "review-chronology-add",
    "review-finding-add",
    "review-recommendation-add",
    "review-action-add",
    "review-document-upload",
)
REVIEW_TABS = (
    "review",
    "review-terms",
    "review-information",
    "review-chronology",
    "review-findings",
    "review-actions",
    "review-documents",
)
PUBLICATION_POSTS = (
    "publication-record",
    "publication-identifier-add",
    "publication-document-upload",
    "publication-statement",
    "publication-briefing",
    "publication-briefing-generate",
    "publication-notice",
    "publication-schedule",
    "publication-unschedule",
    "publication-publish",
    "publication-as-published",
    "publication-delay",
    "publication-lift",
    "publication-not-published",
    "publication-reasons-sent",
    "publication-withdraw",
    "publication-reopen",
    "publication-online",
)

ARGUMENTS: dict[str, Arguments] = {
    # Accounts and the workspace.
    "frontend:set-password": lambda s: {"uidb64": "MQ", "token": "not-a-token"},
    "frontend:agency-edit": lambda s: {"agency_uuid": s.side.agency.uuid},
    "frontend:api-key-revoke": lambda s: {"key_uuid": s.side.api_key.uuid},
    "frontend:webhook-deliveries": lambda s: {"webhook_uuid": s.side.webhook.uuid},
    "frontend:webhook-delivery-send-again": lambda s: {
        "webhook_uuid": s.side.webhook.uuid,
        "delivery_uuid": s.side.webhook_delivery.uuid,
    },
    # A referral and its sections.
    "frontend:referral": _referral,
    **{f"frontend:{name}": _referral for name in REFERRAL_SECTIONS},
    "frontend:referral-attachment": _with(
        _referral, attachment_uuid=lambda s: s.side.attachment.uuid
    ),
    "frontend:contribution": _referral,
    # The public area.
    "frontend:public-copy-link": lambda s: {"token": "not-a-token"},
    "frontend:public-review": _publication,
    "frontend:public-review-document": _with(
        _publication, document_uuid=lambda s: s.side.publication_document.uuid
    ),
    "frontend:public-review-request": _publication,
    # The review workspace's old addresses, redirected to /case-reviews/.
    "frontend:old-review-address": _review,
    "frontend:old-review-page-address": _with(_review, rest=lambda s: "terms/"),
    # A review's workspace (and, through the door, the joint review's).
    **{f"frontend:{name}": _review for name in REVIEW_TABS + REVIEW_POSTS},
    "frontend:review-information-close": _with(
        _review, request_uuid=lambda s: s.work.information_request.uuid
    ),
    "frontend:review-chronology-print": _review,
    "frontend:review-chronology-csv": _review,
    "frontend:review-chronology-entry": _with(_review, entry_uuid=lambda s: s.work.entry.uuid),
    "frontend:review-chronology-correct": _with(_review, entry_uuid=lambda s: s.work.entry.uuid),
    "frontend:review-document": _with(_review, document_uuid=lambda s: s.work.document.uuid),
    "frontend:review-joint-invite": _joint_review_at_the_lead,
    "frontend:review-joint-end": _joint_review_at_the_lead,
    "frontend:review-joint-open": _with(
        _joint_review_at_the_lead, participant_uuid=lambda s: s.world.joint.part.uuid
    ),
    "frontend:review-joint-part-end": _with(
        _joint_review_at_the_lead, participant_uuid=lambda s: s.world.joint.part.uuid
    ),
    # Actions and information requests (their own pages, and through the door).
    "frontend:action": _action,
    "frontend:action-verify": _action,
    "frontend:action-evidence": _with(_action, update_uuid=lambda s: s.work.update.uuid),
    "frontend:information-request": _request,
    # Publications and requests for copies.
    "frontend:copy-request": lambda s: {"request_uuid": s.side.copy_request.uuid},
    "frontend:publication": _publication,
    "frontend:publication-log": _publication,
    **{f"frontend:{name}": _publication for name in PUBLICATION_POSTS},
    "frontend:publication-identifier-remove": _with(
        _publication, identifier_uuid=lambda s: s.side.identifier.uuid
    ),
    "frontend:publication-document": _with(
        _publication, document_uuid=lambda s: s.side.publication_document.uuid
    ),
    "frontend:publication-gate-run": _with(_publication, run_uuid=lambda s: s.side.gate_run.uuid),
    "frontend:publication-hit-accept": _with(_publication, hit_uuid=lambda s: s.side.gate_hit.uuid),
    # Invitations to a joint review, on the invited partnership's host.
    "frontend:joint-invitation-accept": _part,
    "frontend:joint-invitation-decline": _part,
    "frontend:joint-part-end": _part,
    # Lists as spreadsheets (one format walked; the other is the same view).
    **{
        f"frontend:{name}-export": lambda s: {"file_format": "xlsx"}
        for name in ("actions", "referrals", "clocks", "audit-trail")
    },
    # The agency API.
    "api:referral-detail": _referral,
    "api:referral-contributions": _referral,
    "api:information-responses": lambda s: {"request_id": s.work.information_request.uuid},
    "api:action-updates": lambda s: {"action_id": s.work.action.uuid},
    "api:webhook-detail": lambda s: {"webhook_id": s.side.webhook.uuid},
}


def arguments(pattern: Pattern) -> Arguments | None:
    """How to fill the pattern's URL arguments; None when the table does not know (a route with
    no arguments needs none)."""
    if not pattern.through_the_door:
        return ARGUMENTS.get(pattern.name)
    page = ARGUMENTS.get(pattern.base)
    if page is None:
        return None

    def through(s: Scope) -> dict:
        inner = {k: v for k, v in page(s).items() if k != "reference"}
        return {"review_uuid": s.work.review.uuid, **inner}

    return through


def url(world: RouteWorld, pattern: Pattern, side: Side) -> str:
    """The path of ``pattern`` naming ``side``'s objects."""
    return path_for(pattern, scope(world, pattern, side))


def path_for(pattern: Pattern, named: Scope) -> str:
    """The path of ``pattern`` naming the objects of ``named``."""
    fill = arguments(pattern)
    kwargs = fill(named) if fill else {}
    return reverse(pattern.name, urlconf=PARTNERSHIP_URLCONF, kwargs=kwargs)
