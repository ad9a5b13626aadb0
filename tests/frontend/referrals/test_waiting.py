"""Work that waits, on the web: the referrals list and the dashboard show each referral's step
and whom it waits for, whether or not a clock runs, in a fixed number of queries; a step out of
order is refused in the page's error summary; a 2015 referral's page follows its own rules."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework import services
from casework.models import Decision
from tests.support.actors import actor_of
from tests.support.clients import signed_in_client
from tests.support.referrals import make_referral
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


def rows(page: str) -> dict[str, str]:
    """Each referral's row of the list, by reference."""
    found = {}
    for chunk in page.split('<tr class="govuk-table__row">')[2:]:
        reference = chunk.split('href="/referrals/')[1].split("/")[0]
        found[reference] = chunk.split("</tr>")[0]
    return found


def asked_for_a_contribution(world):
    referral = make_referral(world, step="notified")
    with inside(world.croydon):
        services.rapid_review_start(
            actor=actor_of(world.dave, world.croydon),
            referral=referral,
            agencies=[world.nhs_croydon],
        )
    return referral


def test_the_list_and_the_dashboard_say_whom_each_referral_waits_for(world):
    received = make_referral(world)
    screened = make_referral(world, step="screened")
    contributing = asked_for_a_contribution(world)
    answered = make_referral(world, step="panel_answered")
    dave = signed_in_client(world.dave, world.croydon)
    listed = rows(body(dave.get("/referrals/")))
    assert "Awaiting screening" in listed[received.reference]
    assert "The review group" in listed[received.reference]
    assert "Awaiting notification" in listed[screened.reference]
    assert "The business manager" in listed[screened.reference]
    assert "Awaiting rapid-review contributions" in listed[contributing.reference]
    assert "NHS Croydon Health Services" in listed[contributing.reference]
    # No clock runs while the chair decides: the referral is still on the list and dashboard.
    assert "Awaiting the chair&#x27;s decision" in listed[answered.reference]
    assert "None running" in listed[answered.reference]
    dashboard = body(dave.get("/dashboard/"))
    waiting = dashboard.split('id="referrals-waiting"')[1].split("</table>")[0]
    assert answered.reference in waiting and "The independent chair" in waiting
    page = body(dave.get(f"/referrals/{answered.reference}/"))
    assert "The independent chair: record the decision" in page


def test_the_list_reads_what_it_waits_for_in_a_fixed_number_of_queries(
    world, django_assert_max_num_queries
):
    for _ in range(2):
        asked_for_a_contribution(world)
    make_referral(world, step="panel_answered")
    alice = signed_in_client(world.alice, world.croydon)
    alice.get("/referrals/")  # warm the session and the host cache
    with CaptureQueriesContext(connection) as three:
        assert alice.get("/referrals/").status_code == 200
    for _ in range(3):
        asked_for_a_contribution(world)
        make_referral(world, step="screened")
    with django_assert_max_num_queries(len(three.captured_queries)):
        page = body(alice.get("/referrals/"))
    assert page.count("Awaiting rapid-review contributions") == 5


def test_a_decision_out_of_order_is_refused_in_the_error_summary(world):
    referral = make_referral(world, step="screened")
    carol = signed_in_client(world.carol, world.croydon)
    response = carol.post(
        f"/referrals/{referral.reference}/decision/",
        {
            "decision-outcome": "lcspr",
            "decision-rationale": "Learning.",
            "decision-decided_on": referral.aware_date.isoformat(),
        },
    )
    page = body(response)
    assert response.status_code == 200 and "<title>Error: Referral " in page
    summary = page.split('class="govuk-error-summary"')[1].split("</div>")[0]
    assert (
        "Recording the decision must wait: first record the notification to the Child "
        "Safeguarding Practice Review Panel." in summary
    )
    with inside(world.croydon):
        assert not Decision.objects.exists()


def test_deciding_before_the_panel_answers_asks_for_the_reason(world):
    answered = make_referral(world, step="panel_answered")
    early = make_referral(world, step="notified")
    dave = actor_of(world.dave, world.croydon)
    with inside(world.croydon):
        services.rapid_review_start(actor=dave, referral=early, agencies=[])
        services.rapid_review_update(
            actor=dave,
            referral=early,
            immediate_actions="a",
            potential_improvements="b",
            racism_inequality_disability="c",
            recommended_next_step="lcspr",
        )
        services.rapid_review_send(
            actor=actor_of(world.alice, world.croydon),
            referral=early,
            sent_on=early.panel_notified_on,
        )
    carol = signed_in_client(world.carol, world.croydon)
    assert 'id="decide-early"' not in body(carol.get(f"/referrals/{answered.reference}/"))
    page = body(carol.get(f"/referrals/{early.reference}/"))
    assert 'id="decide-early"' in page and "Awaiting the Panel" in page
    response = carol.post(
        f"/referrals/{early.reference}/decision/",
        {
            "decision-outcome": "lcspr",
            "decision-rationale": "Learning.",
            "decision-decided_on": early.aware_date.isoformat(),
            "decision-exception_reason": "The family asked us not to wait.",
        },
    )
    assert response.status_code == 302
    page = body(carol.get(f"/referrals/{early.reference}/"))
    assert "Decided before the Panel answered, because" in page


def test_not_notifiable_stops_the_clocks_with_the_reason_and_waits_for_nobody(world):
    referral = make_referral(world)
    dave = signed_in_client(world.dave, world.croydon)
    response = dave.post(
        f"/referrals/{referral.reference}/screening/",
        {
            "screening-view_met": "no",
            "screening-rationale": "An accident at school.",
            "screening-override_reason": "The hospital found the injury accidental.",
        },
    )
    assert response.status_code == 302
    page = body(dave.get(f"/referrals/{referral.reference}/"))
    clock = page.split('data-clock="panel_notification"')[1].split("</tr>")[0]
    assert "Stopped" in clock and "Screened as not notifiable" in clock and "Late" not in clock
    assert "The criteria when screened" in page
    waiting = page.split('id="waiting"')[1].split("</dl>")[0]
    assert "Not notifiable" in waiting and "Nobody" in waiting
    assert referral.reference not in body(dave.get("/dashboard/")).split("referrals-waiting")[-1]


def test_a_2015_referrals_page_follows_its_rules(world):
    with inside(world.croydon):
        referral = services.referral_create(
            actor=actor_of(world.bob, world.croydon),
            incident_date=datetime.date(2016, 1, 20),
            aware_date=datetime.date(2016, 1, 25),
            harm="died",
            abuse_or_neglect="suspected",
            children=[services.ChildInput("Amara", "Okafor", datetime.date(2013, 2, 1), "female")],
            summary="Found at home.",
        )
        services.screening_record(
            actor=actor_of(world.dave, world.croydon),
            referral=referral,
            view_met=True,
            rationale="A death, abuse suspected.",
        )
        services.panel_notification_record(
            actor=actor_of(world.alice, world.croydon),
            referral=referral,
            submitted_on=datetime.date(2016, 1, 27),
            panel_reference="OF-2016-1",
        )
    page = body(
        signed_in_client(world.carol, world.croydon).get(f"/referrals/{referral.reference}/")
    )
    assert "Notification to Ofsted and the LSCB" in page
    assert "rules have no rapid review" in page
    assert 'value="serious_case_review"' in page and 'value="lcspr"' not in page
    assert "The independent chair: record the decision" in page
