"""Lists that gather a partnership's part in joint reviews other partnerships lead: the joint
reviews it takes part in, its agency's information requests, the actions it owns. Each is read
through the door with one crossing per lead partnership (``door.across``), whatever the number
of reviews, and each object read comes back marked ``through_door`` with its review's
``lead_partnership``, so that links and the API name the review the right way.

Each comes back ``Gathered``, with the joint reviews read: the page that shows the list records
its one row in the actor's own trail, naming them (``casework.selectors.lists``)."""

from casework.joint import door
from casework.joint.door import Gathered
from casework.selectors import actions as action_selectors
from casework.selectors import information as information_selectors
from casework.selectors import reviews as review_selectors
from tenants.actors import Actor


def _leads(parts) -> dict:
    return {part.grant.review_uuid: part.grant.lead for part in parts}


def _mark(reviews, parts):
    leads = _leads(parts)
    for review in reviews:
        review.through_door = True
        review.lead_partnership = leads.get(review.uuid)
    return reviews


def joint_reviews_taking_part(*, actor: Actor, purpose: str) -> Gathered:
    """The reviews led by other partnerships that the actor's partnership takes part in (those
    the actor may open), with the open actions its partnership owns in each."""
    return door.across(
        actor=actor,
        purpose=purpose,
        work=lambda visitor, parts: _mark(review_selectors.joint_review_list(actor=visitor), parts),
    )


def joint_information_requests(*, actor: Actor, purpose: str, limit: int | None = None) -> Gathered:
    """The information requests to the actor's agency in joint reviews other partnerships lead
    (none when the grant does not let the participant's agencies in)."""

    def work(visitor, parts):
        requests = information_selectors.information_requests_for_agency(actor=visitor)
        requests = list(requests[:limit] if limit else requests)
        _mark([request.review for request in requests], parts)
        return requests

    return door.across(actor=actor, purpose=purpose, work=work)


def joint_action_boards(*, actor: Actor, filters: dict, purpose: str) -> dict:
    """The actions the actor's partnership (or agency) owns in joint reviews other partnerships
    lead, soonest due first, with counts by RAG and status, as ``action_tracker`` gives them for
    the partnership's own reviews, and the joint reviews read (``reviews``)."""

    def work(visitor, parts):
        board = action_selectors.action_tracker(actor=visitor, **filters)
        actions = list(board["actions"])
        _mark([action.review for action in actions], parts)
        return [{**board, "actions": actions}]

    gathered = door.across(actor=actor, purpose=purpose, work=work)
    boards = gathered.items
    actions = sorted(
        (action for board in boards for action in board["actions"]),
        key=lambda action: (action.due, str(action.uuid)),
    )
    counts_by_rag: dict[str, int] = {}
    counts_by_status: dict[str, int] = {}
    for board in boards:
        for key, count in board["counts_by_rag"].items():
            counts_by_rag[key] = counts_by_rag.get(key, 0) + count
        for key, count in board["counts_by_status"].items():
            counts_by_status[key] = counts_by_status.get(key, 0) + count
    return {
        "actions": actions,
        "counts_by_rag": counts_by_rag,
        "counts_by_status": counts_by_status,
        "reviews": gathered.reviews,
    }


def joint_review_choices(*, actor: Actor) -> list:
    """The grants of the joint reviews (led by others) open to the actor, from the public schema
    alone (nothing crosses), for a filter's choices."""
    return [part.grant for part in door.open_parts(actor=actor)]
