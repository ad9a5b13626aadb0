"""Work queues (issue 14, item 1): each person's dashboard counts what waits for them, by their
role's lists; each list is a page of its own, filtered, paginated and audited; the dashboard and
every list answer in the same number of queries whatever the number of referrals."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework import services
from casework.models import ContributionRequest
from casework.selectors.queues import QUEUES
from tenants.agencies.models import AuditEvent
from tenants.clock import today
from tests.support.actors import actor_of
from tests.support.clients import signed_in_client
from tests.support.referrals import make_referral
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


def counts(page: str) -> dict[str, str]:
    """The dashboard's count of each queue, by its key."""
    table = page.split('id="work-queues"')[1].split("</table>")[0]
    found = {}
    for chunk in table.split('data-queue="')[1:]:
        key = chunk.split('"')[0]
        cell = chunk.split("govuk-table__cell--numeric")[1].split("</td>")[0]
        found[key] = "".join(ch for ch in cell if ch.isdigit())
    return found


def listed(page: str) -> str:
    return page.split('id="queue"')[1].split("</table>")[0]


def asked_for_a_late_contribution(world):
    """A referral whose rapid review asked NHS Croydon for a contribution due yesterday."""
    referral = make_referral(world, step="notified")
    with inside(world.croydon):
        services.rapid_review_start(
            actor=actor_of(world.dave, world.croydon),
            referral=referral,
            agencies=[world.nhs_croydon],
        )
        ContributionRequest.objects.filter(rapid_review__referral=referral).update(
            due=today() - datetime.timedelta(days=1)
        )
    return referral


def test_each_role_sees_its_own_queues_with_counts(world):
    received = make_referral(world)
    screened = make_referral(world, step="screened")
    late = asked_for_a_late_contribution(world)
    answered = make_referral(world, step="panel_answered")
    alice = counts(body(signed_in_client(world.alice, world.croydon).get("/dashboard/")))
    assert alice["screening"] == "1" and alice["notification"] == "1"
    assert alice["contributions-overdue"] == "1" and alice["decision-notices"] == "0"
    assert "decisions" not in alice  # the chair decides
    carol = counts(body(signed_in_client(world.carol, world.croydon).get("/dashboard/")))
    assert carol["decisions"] == "1" and "notification" not in carol
    assert {"report-sign-offs", "terms-sign-offs", "invitations"} <= set(carol)
    frank = counts(body(signed_in_client(world.frank, world.croydon).get("/dashboard/")))
    assert frank == {"contribution-requests": "1", "information-requests": "0", "actions-due": "0"}
    bob = counts(body(signed_in_client(world.bob, world.croydon).get("/dashboard/")))
    assert bob["contribution-requests"] == "0"
    # The lists behind the counts.
    alice_client = signed_in_client(world.alice, world.croydon)
    screening = listed(body(alice_client.get("/work/screening/")))
    assert received.reference in screening and screened.reference not in screening
    assert "Record the screening" in screening
    notification = listed(body(alice_client.get("/work/notification/")))
    assert screened.reference in notification and received.reference not in notification
    overdue = listed(body(alice_client.get("/work/contributions-overdue/")))
    assert late.reference in overdue and "NHS Croydon Health Services" in overdue
    decisions = listed(body(signed_in_client(world.carol, world.croydon).get("/work/decisions/")))
    assert answered.reference in decisions
    asked = listed(
        body(signed_in_client(world.frank, world.croydon).get("/work/contribution-requests/"))
    )
    assert late.reference in asked and "Overdue" in asked


def test_a_list_outside_the_role_is_refused(world):
    make_referral(world, step="screened")
    dave = signed_in_client(world.dave, world.croydon)
    assert dave.get("/work/notification/").status_code == 403
    assert signed_in_client(world.bob, world.croydon).get("/work/screening/").status_code == 403
    assert signed_in_client(world.erin, world.croydon).get("/work/decisions/").status_code == 403
    # Another partnership's people do not reach Croydon's lists at all.
    assert signed_in_client(world.charlie, world.croydon).get("/work/screening/").status_code in (
        302,
        404,
    )


def test_a_list_filters_by_agency_and_records_its_read(world):
    ours = make_referral(world)
    theirs = make_referral(world, user=world.frank)
    alice = signed_in_client(world.alice, world.croydon)
    page = listed(body(alice.get(f"/work/screening/?agency={world.nhs_croydon.uuid}")))
    assert theirs.reference in page and ours.reference not in page
    with inside(world.croydon):
        row = AuditEvent.objects.filter(action="queue.listed").latest("id")
    assert row.detail == {"queue": "screening", "agency": str(world.nhs_croydon.uuid)}
    assert "Amelia" not in str(row.detail)


def test_a_long_list_is_paginated(world):
    for _ in range(3):
        make_referral(world)
    alice = signed_in_client(world.alice, world.croydon)
    from frontend.views import queues as queue_views

    size = queue_views.QUEUE_PAGE_SIZE
    queue_views.QUEUE_PAGE_SIZE = 2
    try:
        first = body(alice.get("/work/screening/"))
        second = body(alice.get("/work/screening/?page=2"))
    finally:
        queue_views.QUEUE_PAGE_SIZE = size
    assert "page 1 of 2" in first and 'aria-label="Pages of this list"' in first
    assert listed(second).count('href="/referrals/') == 1


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_the_dashboard_and_every_list_keep_their_queries_as_the_data_grows(world):
    people = {
        "alice": signed_in_client(world.alice, world.croydon),
        "carol": signed_in_client(world.carol, world.croydon),
        "frank": signed_in_client(world.frank, world.croydon),
    }
    pages = [("alice", "/dashboard/"), ("carol", "/dashboard/"), ("frank", "/dashboard/")]
    for queue in QUEUES:
        for who, client in people.items():
            with inside(world.croydon):
                sees = queue.may_see(actor_of(getattr(world, who), world.croydon))
            if sees:
                pages.append((who, f"/work/{queue.key}/"))
                break
    asked_for_a_late_contribution(world)
    make_referral(world)
    make_referral(world, step="screened")
    make_referral(world, step="panel_answered")
    for who, path in pages:
        people[who].get(path)  # warm the session and the host cache
    before = {(who, path): _queries(people[who], path) for who, path in pages}
    for _ in range(3):
        asked_for_a_late_contribution(world)
        make_referral(world)
        make_referral(world, step="screened")
        make_referral(world, step="panel_answered")
    after = {(who, path): _queries(people[who], path) for who, path in pages}
    assert after == before
