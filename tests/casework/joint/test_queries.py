"""The door's cost grows with the number of lead partnerships, not of joint reviews: a
participant's dashboard, joint review list and action tracker listing 50 joint reviews led by 10
partnerships take the same number of queries as with 10 reviews (one each), and a few more per
lead partnership added. Counted, not timed."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework import services as review_services
from casework.joint import services as joint_services
from casework.joint.models import JointReviewParticipant
from tenants.actors import actor_for_member
from tenants.clock import today
from tenants.models import Membership, Role
from tenants.services import partnership_create
from tests.support.clients import signed_in_client
from tests.support.world import inside, make_member

pytestmark = pytest.mark.django_db

PAGES = ("/dashboard/", "/joint-reviews/", "/actions/")


def _lead(number: int):
    connection.set_schema_to_public()  # a request leaves the connection on its host's schema
    partnership = partnership_create(
        key=f"lead-{number:02d}", name=f"Lead {number:02d} Safeguarding Children Partnership"
    )
    manager = make_member(partnership, f"manager{number}@lead.example", Role.BUSINESS_MANAGER)
    connection.set_schema_to_public()
    return partnership, manager


def _joint_reviews(lead, manager, lewisham, how_many: int) -> None:
    membership = Membership.objects.select_related("user", "partnership").get(
        user=manager, partnership=lead
    )
    charlie = Membership.objects.select_related("user", "partnership").get(
        user__email="charlie@lewisham.example", partnership=lewisham
    )
    for n in range(how_many):
        with inside(lead):
            actor = actor_for_member(membership=membership)
            review = review_services.thematic_review_commission(
                actor=actor, title=f"Joint review {n}", commissioned_on=today()
            )
            recommendation = review_services.recommendation_add(
                actor=actor, review=review, text="Share", to_partnership=True
            )
            review_services.action_add(
                actor=actor,
                recommendation=recommendation,
                description=f"Lewisham's action {n}",
                owner_agency=None,
                due=today() + datetime.timedelta(days=30),
            )
            part = joint_services.joint_review_invite(
                actor=actor, review=review, partnership_key="lewisham"
            )
        with inside(lewisham):
            joint_services.joint_review_accept(
                actor=actor_for_member(membership=charlie), part=part
            )
        # Hand one action to Lewisham itself (a partnership-owned action of the participant).
        with inside(lead):
            review.actions.update(owner_partnership_key="lewisham")


def _counts(client) -> dict[str, int]:
    counts = {}
    for page in PAGES:
        client.get(page)  # once first: the host's and the session's first reads are cached
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page)
        assert response.status_code == 200, page
        counts[page] = len(queries)
    return counts


def test_a_participants_lists_cost_queries_per_lead_partnership_not_per_review(world):
    leads = [_lead(n) for n in range(1, 11)]
    for lead, manager in leads:
        _joint_reviews(lead, manager, world.lewisham, 1)
    charlie = signed_in_client(world.charlie, world.lewisham)
    one_each = _counts(charlie)
    for lead, manager in leads:
        _joint_reviews(lead, manager, world.lewisham, 4)
    assert JointReviewParticipant.objects.filter(state="active").count() == 50
    five_each = _counts(charlie)
    assert five_each == one_each, (one_each, five_each)
    dashboard = charlie.get("/dashboard/").content.decode()
    assert dashboard.count('data-review="') == 50
    assert charlie.get("/actions/").content.decode().count("Lewisham&#x27;s action") == 50

    # And the cost is per lead: two more leads, a few more queries for each, not for reviews.
    for lead, manager in [_lead(11), _lead(12)]:
        _joint_reviews(lead, manager, world.lewisham, 3)
    twelve = _counts(charlie)
    for page in PAGES:
        per_lead = (twelve[page] - five_each[page]) / 2
        assert 0 < per_lead <= 6, (page, one_each[page], twelve[page])
