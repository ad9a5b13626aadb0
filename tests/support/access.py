"""Who may do what on each route of a partnership's host, and the answer due to everyone else.

A route names one kind of thing (``Access.thing``: a referral, a review, an action…) of the
partnership whose host it is asked on (``Access.owner``), or none (a list, a blank form). Who
may ask it (``Access.may``) is a set of *slots* of that partnership (``Side.people`` and
``Side.keys`` in tests/support/route_world.py):

    business_manager  chair  review_group  lead_reviewer (appointed)  unappointed_reviewer
    agency_user (the referring agency, asked and owning)  other_agency_user
    agency_key  other_agency_key

The answer due to a slot that may not (``refusal``), by the rule of this test suite: **404 when
the person cannot see the thing at all, 403 when they can see it but may not do this**. Who can
see each kind of thing is ``SEES``, from the selectors that reach it (``access_referral``,
``visible_reviews``, ``access_action``…), written out here once. A page that names no thing (a
list, a blank form) discloses nothing of anyone's casework by its answer: it is refused by role,
with the answer it states (``refused_with``: 403, "you may not", unless it says otherwise).

Through the joint-review door (``/joint-reviews/<uuid>/…`` on the participant's host) the slots
are the participant's (Lewisham's): the grant admits its review group (business manager, chair,
review group member), its lead reviewers appointed to the review (none is, in the world), and,
with the agencies permission, its agency users and systems, to what is addressed to their
agency (``JOINT_SEES``).

``READS`` (GET) lists who may read every route a GET reaches; tests/support/posts/ has the
same for every route that takes a POST, with the data to send. ``EXEMPT`` lists the routes no
one's casework is behind.
"""

from collections.abc import Callable
from dataclasses import dataclass

from tests.support import preparations
from tests.support.routes import Scope

PEOPLE = (
    "business_manager",
    "chair",
    "review_group",
    "lead_reviewer",
    "unappointed_reviewer",
    "agency_user",
    "other_agency_user",
)
KEYS = ("agency_key", "other_agency_key")

REVIEW_GROUP = frozenset({"business_manager", "chair", "review_group"})
MANAGERS = frozenset({"business_manager", "chair"})
WORKERS = REVIEW_GROUP | {"lead_reviewer"}  # the review group and the appointed reviewer

SEES: dict[str, frozenset[str]] = {
    # casework.selectors._visible_referrals: the review group; the referring agency's users and
    # systems. Lead reviewers reach reviews, not referrals.
    "referral": REVIEW_GROUP | {"agency_user", "agency_key"},
    # casework.selectors.access_contribution_request: the request to the asker's own agency on
    # the referral; the contribution's routes are asked of a referral whose rapid review asked
    # the referring agency alone (tests/support/preparations.py), so nobody else has one.
    "contribution": frozenset({"agency_user", "agency_key"}),
    # casework.selectors.reviews.visible_reviews: the review group; the lead reviewer appointed.
    "review": WORKERS,
    # The joint review, at the lead: no lead reviewer is appointed to it in the world.
    "joint_review": REVIEW_GROUP,
    # The review's workers, and the agency the request is addressed to / that owns the action.
    "information_request": WORKERS | {"agency_user", "agency_key"},
    "action": WORKERS | {"agency_user", "agency_key"},
    # publishing.selectors._visible: the review group; the reviewer appointed to its review.
    "publication": WORKERS,
    # A review published before the platform, entered directly: it has no review, so no
    # reviewer sees it.
    "entered_publication": REVIEW_GROUP,
    # publishing.selectors.access_copy_request: the business manager's.
    "copy_request": frozenset({"business_manager"}),
    # Every member sees the partnership's agencies' names (the referral form lists them); the
    # workspace that edits them is the business manager's.
    "agency": frozenset(PEOPLE),
    # tenants.agencies.selectors.access_api_key: only the business manager sees the keys.
    "api_key": frozenset({"business_manager"}),
    # casework.joint.selectors.access_invitation: the invited partnership's business manager
    # and chair.
    "invitation": MANAGERS,
    # tenants.notifications.selectors: agencies' webhooks and their deliveries are the
    # business manager's to see in the workspace (an agency's system sees its own by the API).
    "webhook": frozenset({"business_manager"}),
}
# Through the door, in the participant's slots (the world's participant has every permission).
JOINT_SEES: dict[str, frozenset[str]] = {
    "review": REVIEW_GROUP,
    "information_request": REVIEW_GROUP | {"agency_user"},
    "action": REVIEW_GROUP | {"agency_user"},
}


@dataclass(frozen=True)
class Access:
    """Who may (``may``, slots of ``owner``'s partnership) do this to ``thing`` (None: the page
    names nothing), once the world is in the state ``prepare`` makes (tests/support/
    preparations.py; None: as the world is)."""

    thing: str | None
    may: frozenset[str]
    owner: str = "croydon"
    through_the_door: bool = False
    prepare: Callable[[Scope], Scope] | None = None
    refused_with: int = 403  # a page that names no thing

    def sees(self, slot: str) -> bool:
        if self.thing is None:
            return True
        table = JOINT_SEES if self.through_the_door else SEES
        return slot in table[self.thing]

    def refusal(self, slot: str) -> int:
        """The answer due to ``slot``, who may not: 403 if they see the thing, else 404."""
        if self.thing is None:
            return self.refused_with
        return 403 if self.sees(slot) else 404

    @property
    def names_a_thing(self) -> bool:
        return self.thing is not None


def access(
    thing: str | None, *may: str, owner: str = "croydon", prepare=None, refused_with: int = 403
) -> Access:
    return Access(thing, frozenset(may), owner, prepare=prepare, refused_with=refused_with)


def through_the_door(thing: str, *may: str, prepare=None) -> Access:
    """A joint route, asked on the participant's (Lewisham's) host by its people."""
    return Access(thing, frozenset(may), "lewisham", through_the_door=True, prepare=prepare)


REVIEW_TABS = (
    "review",
    "review-terms",
    "review-information",
    "review-chronology",
    "review-findings",
    "review-actions",
    "review-documents",
    "review-chronology-print",
    "review-chronology-csv",
    "review-chronology-entry",
    "review-chronology-correct",
    "review-document",
)

# Their GET is the inline form htmx asks for (without htmx: a redirect to the entry's page).
ASKED_BY_HTMX = {"frontend:review-chronology-correct", "frontend:joint-review-chronology-correct"}

READS: dict[str, Access] = {
    "frontend:dashboard": access(None, *PEOPLE),
    # Its selector answers anyone else "No such page" (tenants.agencies.selectors).
    "frontend:audit-trail": access(None, *MANAGERS, refused_with=404),
    # The triage list: the review group, and agencies (their own referrals).
    "frontend:referral-list": access(None, *REVIEW_GROUP, "agency_user", "other_agency_user"),
    "frontend:referral-new": access(None, "business_manager", "agency_user", "other_agency_user"),
    "frontend:referral": access("referral", *REVIEW_GROUP, "agency_user"),
    "frontend:referral-attachment": access("referral", *REVIEW_GROUP, "agency_user"),
    "frontend:contribution": access(
        "contribution", "agency_user", prepare=preparations.asked_only_the_referrer
    ),
    "frontend:clock-board": access(None, *REVIEW_GROUP),
    "frontend:review-list": access(None, *WORKERS, "unappointed_reviewer"),
    **{f"frontend:{name}": access("review", *WORKERS) for name in REVIEW_TABS},
    "frontend:action-tracker": access(None, *PEOPLE),
    "frontend:action": access("action", *WORKERS, "agency_user"),
    "frontend:action-evidence": access("action", *WORKERS, "agency_user"),
    "frontend:information-request": access("information_request", *WORKERS, "agency_user"),
    "frontend:publication-list": access(None, *WORKERS, "unappointed_reviewer"),
    "frontend:publication": access("publication", *WORKERS),
    "frontend:publication-log": access("publication", *WORKERS),
    "frontend:publication-document": access("publication", *WORKERS),
    "frontend:publication-gate-run": access("publication", *WORKERS),
    # Its selector answers anyone else "No such page" (publishing.selectors).
    "frontend:copy-requests": access(None, "business_manager", refused_with=404),
    "frontend:copy-request": access("copy_request", "business_manager"),
    "frontend:joint-review-list": access(None, *WORKERS, "unappointed_reviewer"),
    "frontend:joint-invitations": access(None, *MANAGERS),
    "frontend:agency-list": access(None, "business_manager"),
    "frontend:agency-edit": access("agency", "business_manager"),
    "frontend:member-list": access(None, "business_manager"),
    "frontend:api-key-list": access(None, "business_manager"),
    "frontend:api-key-revoke": access("api_key", "business_manager"),
    # Its selectors answer anyone else "No such page" (tenants.notifications.selectors).
    "frontend:message-log": access(None, "business_manager", refused_with=404),
    "frontend:webhook-list": access(None, "business_manager", refused_with=404),
    "frontend:webhook-deliveries": access("webhook", "business_manager"),
    # Every signed-in person chooses how they are told.
    "frontend:notification-preferences": access(None, *PEOPLE),
    # The participant's people, through the door: the review's pages for its review group;
    # the action and the request its agency owns and was sent, for that agency's users too.
    **{f"frontend:joint-{name}": through_the_door("review", *REVIEW_GROUP) for name in REVIEW_TABS},
    "frontend:joint-action": through_the_door("action", *REVIEW_GROUP, "agency_user"),
    "frontend:joint-action-evidence": through_the_door("action", *REVIEW_GROUP, "agency_user"),
    "frontend:joint-information-request": through_the_door(
        "information_request", *REVIEW_GROUP, "agency_user"
    ),
    # The agency API: an agency's own (lists: its own things).
    "api:referrals": access(None, *KEYS),
    "api:referral-detail": access("referral", "agency_key"),
    "api:information-requests": access(None, *KEYS),
    "api:actions": access(None, *KEYS),
    "api:webhooks": access(None, *KEYS),
}

# Routes no one's casework is behind, for anyone to ask, each with the reason: the public's
# pages, signing in and the person's own account, the API's description of itself.
EXEMPT: dict[str, str] = {
    "frontend:home": "the front door: signed out, a page for everyone; signed in, the dashboard",
    "frontend:reviews-index": "the public's published reviews; a signed-in person is sent on to "
    "/case-reviews/, whose own checks answer",
    "frontend:old-review-address": "a permanent redirect to /case-reviews/<ref>/ for any "
    "reference, looked up by no one: the page it names checks access itself",
    "frontend:old-review-page-address": "a permanent redirect to /case-reviews/<ref>/<page> for "
    "any reference, looked up by no one: the page it names checks access itself",
    "frontend:public-reviews": "the public's: the partnership's published reviews",
    "frontend:public-review": "the public's: a published review's page",
    "frontend:public-review-document": "the public's: a published review's document",
    "frontend:public-review-request": "the public's: a request for a copy of a published review",
    "frontend:public-copy-link": "the public's: a single-use link, its token the only key",
    "frontend:sign-in": "signing in names no casework",
    "frontend:two-factor": "the second factor of the one signing in",
    "frontend:two-factor-setup": "the second factor of the one signing in",
    "frontend:sign-out": "the asker's own session",
    "frontend:recovery-codes": "the asker's own recovery codes",
    "frontend:set-password": "a single-use link's own token, checked by Django",
    "api:whoami": "the key's own partnership and agency",
    "api:webhook-detail": "DELETE only, which these tables do not walk (GET and POST answer "
    "405): another agency's or partnership's webhook is the same 404 as none, in "
    "tests/api/test_webhooks.py",
    "api:schema": "the API's description of itself",
    "api:docs": "the API's description of itself",
}
