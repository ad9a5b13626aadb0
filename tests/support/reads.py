"""What each route of a partnership's host is (``tests/support/routes.py`` finds them and fills
their URLs):

- ``READS``: each casework page and endpoint, the people or agency systems who may read it
  (``"croydon.review_group"``: a slot of ``Side.people`` or ``Side.keys``), and the action its
  audit row records. One GET by each leaves exactly one row in the trail of the partnership whose
  host was asked, and one in the trail of each other partnership whose schema it read through
  the joint-review door.
- ``NOT_CASEWORK``: every other route, with the reason it is not a read of casework (it only
  takes POSTs, it is the public's, it is the person's own account, it administers the
  workspace, it is a blank form, it describes the API) and who asks it in the walk.

A joint route is what its page is, asked by the page's first reader's role in the participant
(Lewisham), on Lewisham's host (``what_it_is``).
"""

from dataclasses import dataclass, replace

from tests.support.routes import (
    PUBLIC,
    PUBLICATION_POSTS,
    REFERRAL_SECTIONS,
    REVIEW_POSTS,
    REVIEW_TABS,
    Pattern,
)


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
    # /case-reviews/ is the review list for the partnership's signed-in people (the manager's has
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
    # What the platform told people and agencies' systems (tenants.notifications).
    "frontend:message-log": read("croydon.business_manager", action="messages.viewed"),
    "frontend:webhook-list": read("croydon.business_manager", action="webhooks.viewed"),
    "frontend:webhook-deliveries": read(
        "croydon.business_manager", action="webhook_deliveries.viewed"
    ),
    "api:webhooks": read("croydon.agency_key", action="webhooks.listed"),
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
DELETE_ONLY = "DELETE only: a change, audited by its service; a GET is refused (405)"
MOVED = "an old address of the review workspace: a permanent redirect to /case-reviews/"


def _posts(asker: str, *names: str) -> dict[str, NotCasework]:
    return {name: NotCasework(POST_ONLY, asker) for name in names}


NOT_CASEWORK: dict[str, NotCasework] = {
    # Signed out, the front door; signed in, a redirect to the dashboard.
    "frontend:home": NotCasework(PUBLIC_PAGE),
    "frontend:public-reviews": NotCasework(PUBLIC_PAGE),
    "frontend:reviews-index": NotCasework(PUBLIC_PAGE),
    "frontend:old-review-address": NotCasework(MOVED, "croydon.review_group"),
    "frontend:old-review-page-address": NotCasework(MOVED, "croydon.review_group"),
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
    "frontend:notification-preferences": NotCasework(ACCOUNT, "croydon.business_manager"),
    "api:webhook-detail": NotCasework(DELETE_ONLY, "croydon.agency_key"),
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
        "frontend:webhook-delivery-send-again",
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
