"""The lists people and agency systems open most — the dashboard, the action tracker, the joint
reviews, an agency's information requests — each gathering the partnership's own casework with
what it has in joint reviews other partnerships lead (read through the door, one crossing per
lead: ``casework.joint.listings``).

Each read is recorded once in the actor's own trail (DESIGN §5), with its filters and the joint
reviews it read there, never a name; the door records it once in each lead's trail. The helpers
these use record nothing, so that a page is one read."""

import datetime
import uuid

from casework import permissions
from casework.joint import listings
from casework.joint.door import Gathered
from casework.selectors import actions as action_selectors
from casework.selectors import information as information_selectors
from casework.selectors import referrals as referral_selectors
from casework.selectors import reviews as review_selectors
from casework.selectors import waiting as waiting_selectors
from tenants.actors import Actor
from tenants.agencies.audit import audit_event_record

DASHBOARD_CLOCKS = 5
DASHBOARD_CONTRIBUTIONS = 10
DASHBOARD_REQUESTS = 20
DASHBOARD_WAITING = 20


def _detail(filters: dict, joint: list[str]) -> dict:
    """The filters asked for (identifiers and values, never a name) and the joint reviews read
    through the door, as ``lead:reference``."""
    detail = {
        key: str(value) if isinstance(value, uuid.UUID | datetime.date) else value
        for key, value in filters.items()
        if value not in (None, "")
    }
    if joint:
        detail["joint_reviews"] = joint
    return detail


def _nothing() -> Gathered:
    return Gathered([], [])


def _waiting(actor: Actor) -> list:
    """The open referrals, oldest first, each with where it is and whom it waits for."""
    referrals = waiting_selectors.open_referrals(
        referral_selectors.referral_list(actor=actor, audit=False)
    ).order_by("created_at", "id")[:DASHBOARD_WAITING]
    return [(referral, waiting_selectors.referral_waiting(referral)) for referral in referrals]


def dashboard_for_page(*, actor: Actor) -> dict:
    """What a person's dashboard lists, by role: the review group's clocks needing attention; an
    agency's contribution and information requests (its joint reviews' too); a lead reviewer's
    reviews; the joint reviews the review group and reviewers take part in. The read is
    audited."""
    in_review_group = permissions.may_see_every_case(actor)
    reviewer = permissions.is_reviewer(actor)
    joint_reviews = (
        listings.joint_reviews_taking_part(actor=actor, purpose="dashboard")
        if in_review_group or reviewer
        else _nothing()
    )
    joint_requests = (
        listings.joint_information_requests(
            actor=actor, purpose="dashboard", limit=DASHBOARD_REQUESTS
        )
        if actor.is_agency
        else _nothing()
    )
    page = {
        "attention": referral_selectors.clocks_needing_attention(
            actor=actor, limit=DASHBOARD_CLOCKS
        )
        if in_review_group
        else [],
        "contribution_requests": list(
            referral_selectors.contribution_requests_for_agency(actor=actor)[
                :DASHBOARD_CONTRIBUTIONS
            ]
        )
        if actor.is_agency
        else [],
        "information_requests": list(
            information_selectors.information_requests_for_agency(actor=actor)[:DASHBOARD_REQUESTS]
        )
        if actor.is_agency
        else [],
        "waiting": _waiting(actor) if in_review_group else [],
        "my_reviews": list(review_selectors.review_list(actor=actor)) if reviewer else [],
        "joint_reviews": joint_reviews.items,
        "joint_information_requests": joint_requests.items,
    }
    audit_event_record(
        actor=actor,
        action="dashboard.viewed",
        object_type="dashboard",
        detail=_detail({}, joint_reviews.reviews + joint_requests.reviews),
    )
    return page


def action_tracker_for_page(*, actor: Actor, filters: dict, purpose: str) -> dict:
    """The action tracker (``action_tracker``: ``board``) and the actions the actor's
    partnership or agency owns in joint reviews others lead (``joint``), filtered alike; the
    read is audited with its filters. ``purpose`` names the page or endpoint to the leads."""
    board = action_selectors.action_tracker(actor=actor, **filters)
    joint = listings.joint_action_boards(actor=actor, filters=filters, purpose=purpose)
    audit_event_record(
        actor=actor,
        action="actions.listed",
        object_type="action",
        detail=_detail(filters, joint["reviews"]),
    )
    return {"board": board, "joint": joint}


def joint_reviews_for_page(*, actor: Actor) -> list:
    """The reviews led by other partnerships that the actor's partnership takes part in; the
    read is audited."""
    gathered = listings.joint_reviews_taking_part(actor=actor, purpose="joint reviews")
    audit_event_record(
        actor=actor,
        action="joint_reviews.listed",
        object_type="review",
        detail=_detail({}, gathered.reviews),
    )
    return gathered.items


def agency_information_requests_for_page(*, actor: Actor):
    """The information requests to the actor's agency, in its partnership's reviews and in joint
    reviews others lead, open ones first; the read is audited."""
    requests = information_selectors.information_requests_for_agency(actor=actor)
    joint = listings.joint_information_requests(actor=actor, purpose="API information requests")
    if joint.items:
        requests = sorted([*requests, *joint.items], key=lambda r: (r.status, r.due, str(r.uuid)))
    audit_event_record(
        actor=actor,
        action="information_requests.listed",
        object_type="information_request",
        detail=_detail({}, joint.reviews),
    )
    return requests
