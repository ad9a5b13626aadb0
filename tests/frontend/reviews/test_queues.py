"""The work queues of a review's people (issue 14, item 1): the appointed reviewer's deadlines
and outstanding information, an agency's information requests and actions, the chair's
sign-offs; an unappointed reviewer's lists hold nothing of the review."""

import pytest

from casework import services
from tests.support.actors import actor
from tests.support.clients import signed_in_client
from tests.support.review_pages import client, days, recommendation_with_action
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


def listed(page: str) -> str:
    return page.split('id="queue"')[1].split("</table>")[0]


def test_the_reviewer_the_agency_and_the_chair_each_see_their_part(world, appointed):
    review = appointed
    with inside(world.croydon):
        request = services.information_request_create(
            actor=actor(world, "alice"),
            review=review,
            agency=world.met_croydon,
            asks=["chronology"],
        )
        type(request).objects.filter(pk=request.pk).update(due=days(-1))
        services.terms_write(
            actor=actor(world, "alice"),
            review=review,
            scope="The child's last year.",
            lines_of_enquiry="Information sharing",
            period_start=days(-400),
            period_end=days(-10),
        )
    _, action = recommendation_with_action(world, review)
    erin = client(world, "erin")
    deadlines = listed(body(erin.get("/work/review-deadlines/")))
    assert review.reference in deadlines and "Publish the final report" in deadlines
    outstanding = listed(body(erin.get("/work/review-information/?overdue=on")))
    assert review.reference in outstanding and "Met Police" in outstanding
    bob = client(world, "bob")
    asked = listed(body(bob.get("/work/information-requests/")))
    assert review.reference in asked and "Overdue" in asked
    actions = listed(body(bob.get("/work/actions-due/")))
    assert str(action.uuid) in actions
    assert "Nothing matches these filters" in listed(body(bob.get("/work/actions-due/?overdue=on")))
    terms = listed(body(client(world, "carol").get("/work/terms-sign-offs/")))
    assert review.reference in terms
    # NHS Croydon was asked nothing and owns nothing.
    frank = signed_in_client(world.frank, world.croydon)
    assert "Nothing is waiting here" in listed(body(frank.get("/work/information-requests/")))
    assert "Nothing is waiting here" in listed(body(frank.get("/work/actions-due/")))


def test_an_unappointed_reviewer_lists_nothing_of_the_review(world, review):
    erin = client(world, "erin")
    assert "Nothing is waiting here" in listed(body(erin.get("/work/review-deadlines/")))
    assert review.reference not in body(erin.get("/dashboard/"))


def test_a_report_waiting_for_sign_off_is_the_chairs(world, review):
    with inside(world.croydon):
        type(review).objects.filter(pk=review.pk).update(stage="sign_off")
    carol = client(world, "carol")
    page = body(carol.get("/dashboard/"))
    row = page.split('data-queue="report-sign-offs"')[1].split("</tr>")[0]
    assert ">1<" in row
    assert review.reference in listed(body(carol.get("/work/report-sign-offs/")))
