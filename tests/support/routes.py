"""Every route of a partnership's host: how to fill its URL's arguments from the route world
(``tests/support/world.py``), and what it is — a read of casework, with who may read it, or not
casework, and why.

- ``partnership_routes()`` lists the patterns as the resolver has them, so a route added to the
  URL confs is seen the day it is added.
- ``ARGUMENTS`` builds a pattern's URL arguments from a ``Scope``: the partnership whose host is
  asked and the review whose objects the URL names.
- ``READS``: each casework page and endpoint, with the people or agency systems who may read it
  (``"croydon.review_group"``: a slot of ``Side.people`` or ``Side.keys``). One GET by each
  leaves exactly one row in the trail of the partnership whose host was asked, and one in the
  trail of each other partnership whose schema it read through the joint-review door.
- ``NOT_CASEWORK``: every other route, with the reason it is not a read of casework (it only
  takes POSTs, it is the public's, it is the person's own account, it administers the
  workspace, it is a blank form, it describes the API) and who asks it in the walk.

Joint routes (``joint-reviews/<uuid:review_uuid>/…``) are the review workspace's pages, and an
action's and an information request's page, served through the joint-review door on a
participant's host (frontend/urls.py makes them from those pages). Each is what its page is:
its arguments are the page's, with the joint review's UUID for the review's reference and the
joint review's objects; it is asked by the page's first reader's role in the participant
(Lewisham), on Lewisham's host.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

from django.urls import URLResolver, get_resolver, reverse

from tests.support.world import ReviewWork, RouteWorld, Side

PARTNERSHIP_URLCONF = "safeguard.urls_partnership"
PLATFORM_URLCONF = "safeguard.urls_public"
JOINT_ROUTE = "joint-reviews/<uuid:review_uuid>/"
PUBLIC = "public"  # the reader who is no one: not signed in, no key


@dataclass(frozen=True)
class Pattern:
    name: str  # qualified: "frontend:review", "api:actions"
    route: str  # "reviews/<str:reference>/"

    @property
    def through_the_door(self) -> bool:
        return self.route.startswith(JOINT_ROUTE)

    @property
    def base(self) -> str:
        """The page a joint route serves through the door (``frontend:joint-review-terms`` is
        ``frontend:review-terms``); the pattern itself otherwise."""
        if self.through_the_door:
            return "frontend:" + self.name.removeprefix("frontend:joint-")
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
    "platform:library-entry",
    "library-api",
    "library-schema",
    "library-docs",
}


# --- Filling the URL's arguments ---------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Whose objects a URL names: ``side``'s (its referral, publication, agency…), asked on
    ``side``'s host, and for a review's pages ``work``, the review and its objects (the joint
    review's through the door)."""

    world: RouteWorld
    side: Side
    work: ReviewWork


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
    "publication-withdraw",
    "publication-reopen",
    "publication-online",
)

ARGUMENTS: dict[str, Arguments] = {
    # Accounts and the workspace.
    "frontend:set-password": lambda s: {"uidb64": "MQ", "token": "not-a-token"},
    "frontend:agency-edit": lambda s: {"agency_uuid": s.side.agency.uuid},
    "frontend:api-key-revoke": lambda s: {"key_uuid": s.side.api_key.uuid},
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
    # The agency API.
    "api:referral-detail": _referral,
    "api:referral-contributions": _referral,
    "api:information-responses": lambda s: {"request_id": s.work.information_request.uuid},
    "api:action-updates": lambda s: {"action_id": s.work.action.uuid},
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
    fill = arguments(pattern)
    kwargs = fill(scope(world, pattern, side)) if fill else {}
    return reverse(pattern.name, urlconf=PARTNERSHIP_URLCONF, kwargs=kwargs)


# --- What each route is ------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    """One GET of a read: by ``reader`` (``"<partnership>.<slot>"``), on the reader's own host,
    naming the reader's partnership's objects (through the door: the joint review's), with the
    ``query`` string a list's filters put in the address."""

    reader: str
    htmx: bool = False
    status: int = 200
    query: str = ""

    @property
    def partnership_key(self) -> str:
        return self.reader.split(".")[0]

    @property
    def slot(self) -> str:
        return self.reader.split(".")[1]


@dataclass(frozen=True)
class Read:
    """A read of casework: who may read it (``visits``), and the ``action`` its row records.
    ``gathers_joint``: the page also lists what the reader's partnership has in joint reviews
    other partnerships lead (read through the door, one crossing per lead)."""

    visits: tuple[Visit, ...]
    action: str
    gathers_joint: bool = False


def read(*visits: str | Visit, action: str, gathers_joint: bool = False) -> Read:
    return Read(
        tuple(v if isinstance(v, Visit) else Visit(v) for v in visits),
        action=action,
        gathers_joint=gathers_joint,
    )


def htmx(reader: str) -> Visit:
    """The page's htmx answer (a part of it), as the page asks for it."""
    return Visit(reader, htmx=True)


READS: dict[str, Read] = {
    "frontend:dashboard": read(
        "croydon.review_group",
        "croydon.lead_reviewer",
        "croydon.agency_user",
        "lewisham.review_group",
        "lewisham.agency_user",
        action="dashboard.viewed",
        gathers_joint=True,
    ),
    # The trail itself: reading it is recorded too.
    "frontend:audit-trail": read(
        "croydon.business_manager", "croydon.chair", action="audit_trail.viewed"
    ),
    "frontend:referral-list": read(
        "croydon.review_group",
        "croydon.agency_user",
        htmx("croydon.review_group"),
        Visit("croydon.review_group", query="status=decided&overdue=on"),
        action="referrals.listed",
    ),
    "frontend:referral": read(
        "croydon.review_group", "croydon.agency_user", action="referral.viewed"
    ),
    "frontend:referral-attachment": read(
        "croydon.agency_user", "croydon.business_manager", action="attachment.downloaded"
    ),
    # The agency asked for a contribution, which is not the one that referred.
    "frontend:contribution": read(
        "croydon.other_agency_user", action="contribution_request.viewed"
    ),
    "frontend:clock-board": read("croydon.review_group", action="clocks.viewed"),
    # /reviews/ is the review list for the partnership's signed-in people (the manager's has
    # the commissioning form too).
    "frontend:review-list": read(
        "croydon.review_group",
        "croydon.business_manager",
        "croydon.lead_reviewer",
        action="reviews.listed",
    ),
    **{
        f"frontend:{tab}": read(
            "croydon.review_group", "croydon.lead_reviewer", action="review.viewed"
        )
        for tab in REVIEW_TABS
        if tab != "review-chronology"
    },
    "frontend:review-chronology": read(
        "croydon.review_group",
        "croydon.lead_reviewer",
        htmx("croydon.review_group"),
        action="chronology.viewed",
    ),
    "frontend:review-chronology-print": read("croydon.review_group", action="chronology.printed"),
    "frontend:review-chronology-csv": read("croydon.review_group", action="chronology.exported"),
    "frontend:review-chronology-entry": read(
        "croydon.review_group", htmx("croydon.review_group"), action="chronology_entry.viewed"
    ),
    # Its GET is the inline form (htmx) showing the entry to correct.
    "frontend:review-chronology-correct": read(
        htmx("croydon.review_group"), action="chronology_entry.viewed"
    ),
    "frontend:review-document": read(
        "croydon.review_group", "croydon.lead_reviewer", action="document.downloaded"
    ),
    "frontend:action-tracker": read(
        "croydon.review_group",
        "croydon.lead_reviewer",
        "croydon.agency_user",
        htmx("croydon.review_group"),
        Visit("croydon.review_group", query="rag=amber&status=in_progress"),
        "lewisham.review_group",
        "lewisham.agency_user",
        action="actions.listed",
        gathers_joint=True,
    ),
    "frontend:action": read("croydon.agency_user", "croydon.review_group", action="action.viewed"),
    "frontend:action-evidence": read(
        "croydon.agency_user", "croydon.review_group", action="evidence.downloaded"
    ),
    "frontend:information-request": read(
        "croydon.agency_user", "croydon.review_group", action="information_request.viewed"
    ),
    "frontend:publication-list": read(
        "croydon.business_manager", "croydon.lead_reviewer", action="publications.listed"
    ),
    "frontend:publication": read(
        "croydon.business_manager", "croydon.lead_reviewer", action="publication.viewed"
    ),
    "frontend:publication-document": read(
        "croydon.business_manager", action="publication_document.downloaded"
    ),
    # Polled by the publication's page while the gate works.
    "frontend:publication-gate-run": read(
        "croydon.business_manager", htmx("croydon.business_manager"), action="gate_run.viewed"
    ),
    "frontend:publication-log": read(
        "croydon.chair", "croydon.lead_reviewer", action="redaction_log.viewed"
    ),
    "frontend:copy-requests": read(
        "croydon.business_manager",
        Visit("croydon.business_manager", query="status=pending"),
        action="copy_requests.viewed",
    ),
    "frontend:copy-request": read("croydon.business_manager", action="copy_request.viewed"),
    "frontend:joint-review-list": read(
        "lewisham.review_group",
        "croydon.review_group",
        action="joint_reviews.listed",
        gathers_joint=True,
    ),
    # Invitations received and sent: the joint reviews' references and titles.
    "frontend:joint-invitations": read(
        "lewisham.business_manager", "croydon.business_manager", action="joint_invitations.viewed"
    ),
    "api:referrals": read("croydon.agency_key", action="referrals.listed"),
    "api:referral-detail": read("croydon.agency_key", action="referral.viewed"),
    "api:information-requests": read(
        "croydon.agency_key",
        "lewisham.agency_key",
        action="information_requests.listed",
        gathers_joint=True,
    ),
    "api:actions": read(
        "croydon.agency_key",
        Visit("croydon.agency_key", query="status=in_progress"),
        "lewisham.agency_key",
        action="actions.listed",
        gathers_joint=True,
    ),
}


@dataclass(frozen=True)
class NotCasework:
    """A route that shows no casework, ``why``, and who asks it in the walk."""

    why: str
    asker: str = PUBLIC


POST_ONLY = "POST only: a change, audited by its service; a GET is refused (405)"
PUBLIC_PAGE = "the public's: published reviews, the request-a-copy form and its links"
ACCOUNT = "signing in, and the person's own account"
WORKSPACE = "administering the workspace: agencies, people, API keys (changes audited)"
BLANK_FORM = "a blank form: the partnership's agencies' names, nothing of a case"
API_ABOUT = "the API's own description, or the key's own partnership and agency"


def _posts(asker: str, *names: str) -> dict[str, NotCasework]:
    return {name: NotCasework(POST_ONLY, asker) for name in names}


NOT_CASEWORK: dict[str, NotCasework] = {
    # Signed out, the front door; signed in, a redirect to the dashboard.
    "frontend:home": NotCasework(PUBLIC_PAGE),
    "frontend:public-reviews": NotCasework(PUBLIC_PAGE),
    "frontend:public-copy-link": NotCasework(PUBLIC_PAGE),
    "frontend:public-review": NotCasework(PUBLIC_PAGE),
    "frontend:public-review-document": NotCasework(PUBLIC_PAGE),
    "frontend:public-review-request": NotCasework(PUBLIC_PAGE),
    "frontend:sign-in": NotCasework(ACCOUNT),
    "frontend:two-factor": NotCasework(ACCOUNT),
    "frontend:two-factor-setup": NotCasework(ACCOUNT),
    "frontend:sign-out": NotCasework(ACCOUNT),
    "frontend:set-password": NotCasework(ACCOUNT),
    "frontend:recovery-codes": NotCasework(ACCOUNT, "croydon.business_manager"),
    "frontend:agency-list": NotCasework(WORKSPACE, "croydon.business_manager"),
    "frontend:agency-edit": NotCasework(WORKSPACE, "croydon.business_manager"),
    "frontend:member-list": NotCasework(WORKSPACE, "croydon.business_manager"),
    "frontend:api-key-list": NotCasework(WORKSPACE, "croydon.business_manager"),
    "frontend:api-key-revoke": NotCasework(WORKSPACE, "croydon.business_manager"),
    "frontend:referral-new": NotCasework(BLANK_FORM, "croydon.agency_user"),
    "api:whoami": NotCasework(API_ABOUT, "croydon.agency_key"),
    "api:schema": NotCasework(API_ABOUT),
    "api:docs": NotCasework(API_ABOUT),
    **_posts(
        "croydon.business_manager",
        *(f"frontend:{name}" for name in REFERRAL_SECTIONS + REVIEW_POSTS + PUBLICATION_POSTS),
        "frontend:review-information-close",
        "frontend:review-joint-invite",
        "frontend:review-joint-end",
        "frontend:review-joint-open",
        "frontend:review-joint-part-end",
        "frontend:action-verify",
        "frontend:publication-start",
        "frontend:publication-enter",
        "frontend:publication-identifier-remove",
        "frontend:publication-hit-accept",
    ),
    **_posts(
        "lewisham.business_manager",
        "frontend:joint-invitation-accept",
        "frontend:joint-invitation-decline",
        "frontend:joint-part-end",
    ),
    **_posts(
        "croydon.agency_key",
        "api:referral-contributions",
        "api:information-responses",
        "api:action-updates",
    ),
}


def _on_the_participant(reader: str) -> str:
    """The same role in the joint review's participant (Lewisham)."""
    return reader if reader == PUBLIC else "lewisham." + reader.split(".")[1]


def what_it_is(pattern: Pattern) -> Read | NotCasework | None:
    """The pattern's entry in ``READS`` or ``NOT_CASEWORK``; a joint route is what its page is,
    asked by the page's first reader's role in the participant. None when neither knows it."""
    if not pattern.through_the_door:
        return READS.get(pattern.name) or NOT_CASEWORK.get(pattern.name)
    page = READS.get(pattern.base)
    if page is not None:
        first = page.visits[0]
        return replace(page, visits=(replace(first, reader=_on_the_participant(first.reader)),))
    other = NOT_CASEWORK.get(pattern.base)
    if other is not None:
        return replace(other, asker=_on_the_participant(other.asker))
    return None
