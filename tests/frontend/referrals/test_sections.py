"""The referral page's sections on the web: screening, the notifications and the rapid review
from its start to the panel's response, and the decision, each for the roles that may, with
htmx and without."""

import datetime
import re

import pytest

from casework.models import (
    Clock,
    ContributionRequest,
    Decision,
    RapidReview,
    Referral,
    Review,
    Screening,
)
from tenants.clock import today
from tests.support.clients import signed_in_client
from tests.support.referrals import FAMILY_NAME, days_ago, make_referral
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


def count(model, partnership, **filters) -> int:
    with inside(partnership):
        return model.objects.filter(**filters).count()


def screen(client, reference, **data):
    return client.post(
        f"/referrals/{reference}/screening/",
        {f"screening-{key}": value for key, value in data.items()},
        HTTP_HX_REQUEST="true",
    )


class TestScreening:
    def test_the_review_group_records_its_view_with_htmx(self, world):
        referral = make_referral(world)
        dave = signed_in_client(world.dave, world.croydon)
        page = body(dave.get(f"/referrals/{referral.reference}/"))
        assert "Abuse or neglect is suspected and the child was seriously harmed" in page
        assert "Working Together to Safeguard Children 2023, ch. 5" in page
        response = screen(dave, referral.reference, view_met="yes", rationale="Meets the test.")
        assert response.status_code == 200
        partial = body(response)
        assert partial.lstrip().startswith('<section id="screening"')
        assert "The review group&#x27;s screening is recorded." in partial
        clocks = re.search(r'<section id="clocks"[^>]*>', partial).group(0)
        assert 'hx-swap-oob="true"' in clocks
        assert 'id="timeline"' in partial and "Screened against the criteria" in partial
        with inside(world.croydon):
            screening = Screening.objects.get()
            assert screening.view_met and screening.criteria_met
            assert Referral.objects.get().status == "screened"

    def test_departing_from_the_criteria_needs_a_reason(self, world):
        referral = make_referral(world)
        dave = signed_in_client(world.dave, world.croydon)
        partial = body(screen(dave, referral.reference, view_met="no", rationale="Accident."))
        assert "give the reason for overriding them" in partial
        assert '<a href="#id_screening-override_reason">' in partial
        assert count(Screening, world.croydon) == 0
        partial = body(
            screen(
                dave,
                referral.reference,
                view_met="no",
                rationale="Accident.",
                override_reason="The injury was accidental; police agree.",
            )
        )
        assert "Departs from the criteria" in partial
        assert count(Screening, world.croydon) == 1

    def test_without_javascript_it_redirects_back_to_the_section(self, world):
        referral = make_referral(world)
        dave = signed_in_client(world.dave, world.croydon)
        response = dave.post(
            f"/referrals/{referral.reference}/screening/",
            {"screening-view_met": "yes", "screening-rationale": "Meets the test."},
        )
        assert response.status_code == 302
        assert response["Location"] == f"/referrals/{referral.reference}/#screening"

    @pytest.mark.parametrize("who", ["bob", "erin", "frank"])
    def test_others_cannot_screen(self, world, who):
        referral = make_referral(world)
        client = signed_in_client(getattr(world, who), world.croydon)
        response = screen(client, referral.reference, view_met="yes", rationale="x")
        assert response.status_code == (403 if who == "bob" else 404)
        assert count(Screening, world.croydon) == 0


class TestNotificationsAndRapidReview:
    def test_recording_the_notification_stops_its_clock_and_starts_the_rapid_reviews(self, world):
        referral = make_referral(world, step="screened")
        alice = signed_in_client(world.alice, world.croydon)
        page = body(alice.get(f"/referrals/{referral.reference}/"))
        assert "What to put in the Panel's notification form" in page
        response = alice.post(
            f"/referrals/{referral.reference}/panel-notification/",
            {"panel-submitted_on": days_ago(1), "panel-panel_reference": "CSPRP-123"},
            HTTP_HX_REQUEST="true",
        )
        partial = body(response)
        assert "CSPRP-123" in partial
        assert 'data-clock="rapid_review"' in partial
        with inside(world.croydon):
            clocks = {c.name: c for c in Clock.objects.all()}
        assert clocks["panel_notification"].stopped_on == today() - datetime.timedelta(1)
        assert clocks["rapid_review"].stopped_on is None
        assert f"Stopped {days_ago(1)}" in partial

    def test_only_the_business_manager_records_the_notification(self, world):
        referral = make_referral(world)
        dave = signed_in_client(world.dave, world.croydon)
        response = dave.post(
            f"/referrals/{referral.reference}/panel-notification/",
            {"panel-submitted_on": days_ago(1), "panel-panel_reference": "CSPRP-123"},
        )
        assert response.status_code == 403
        with inside(world.croydon):
            assert Referral.objects.get().panel_notified_on is None

    def test_a_looked_after_childs_death_asks_for_the_sos_and_ofsted_notification(self, world):
        referral = make_referral(world, harm="died", looked_after=True)
        alice = signed_in_client(world.alice, world.croydon)
        page = body(alice.get(f"/referrals/{referral.reference}/"))
        assert "The Secretary of State and Ofsted" in page
        response = alice.post(
            f"/referrals/{referral.reference}/sos-ofsted-notification/",
            {"sos-notified_on": days_ago(1)},
        )
        assert response.status_code == 302
        with inside(world.croydon):
            clock = Clock.objects.get(name="sos_ofsted_notification")
        assert clock.stopped_on is not None

    def test_the_rapid_review_from_start_to_the_panels_response(self, world):
        referral = make_referral(world, step="notified")
        path = f"/referrals/{referral.reference}"
        dave = signed_in_client(world.dave, world.croydon)
        partial = body(
            dave.post(
                f"{path}/rapid-review/start/",
                {"ask-agencies": [str(world.nhs_croydon.uuid)]},
                HTTP_HX_REQUEST="true",
            )
        )
        assert partial.lstrip().startswith('<section id="rapid_review"')
        assert "NHS Croydon Health Services" in partial and "Waiting" in partial

        # Frank's agency was asked: the request is on his dashboard and list, and he answers.
        frank = signed_in_client(world.frank, world.croydon)
        contribution_path = f"{path}/contribution/"
        assert contribution_path in body(frank.get("/dashboard/"))
        assert contribution_path in body(frank.get("/referrals/"))
        assert frank.get(f"{path}/").status_code == 404  # asked, but not the referrer
        page = body(frank.post(contribution_path, {"facts": "", "involvement": ""}))
        assert "Give the facts as your agency knows them." in page
        response = frank.post(
            contribution_path,
            {
                "facts": "Seen in A&E.",
                "involvement": "Health visiting.",
                "immediate_safety_actions": "",
            },
        )
        assert response.status_code == 302
        # Bob's agency referred but was not asked.
        assert signed_in_client(world.bob, world.croydon).get(contribution_path).status_code == 404

        dave.post(
            f"{path}/rapid-review/",
            {
                "rapid-immediate_actions": "Sibling placed with grandparents.",
                "rapid-potential_improvements": "Information sharing at weekends.",
                "rapid-racism_inequality_disability": "None identified so far.",
                "rapid-recommended_next_step": "lcspr",
            },
        )
        # Dave may not send it; Alice may.
        assert (
            dave.post(f"{path}/rapid-review/sent/", {"send-sent_on": days_ago(0)}).status_code
            == 403
        )
        alice = signed_in_client(world.alice, world.croydon)
        response = alice.post(
            f"{path}/rapid-review/sent/", {"send-sent_on": days_ago(0)}, HTTP_HX_REQUEST="true"
        )
        assert "Sent to the Panel" in body(response)
        response = dave.post(
            f"{path}/rapid-review/panel-response/",
            {
                "response-kind": "agrees",
                "response-response": "Agrees with an LCSPR.",
                "response-responded_on": days_ago(0),
            },
            HTTP_HX_REQUEST="true",
        )
        assert "Agrees with an LCSPR." in body(response)
        with inside(world.croydon):
            request = ContributionRequest.objects.get()
            assert request.facts == "Seen in A&E."
            assert request.rapid_review.panel_response == "Agrees with an LCSPR."
        page = body(frank.get(contribution_path))
        assert "contributions can no longer change" in page

    def test_changing_a_rapid_review_not_started_says_so(self, world):
        referral = make_referral(world)
        dave = signed_in_client(world.dave, world.croydon)
        response = dave.post(
            f"/referrals/{referral.reference}/rapid-review/",
            {"rapid-immediate_actions": "x"},
        )
        # Only a hand-made request gets here (the page offers "start" first): it is refused.
        assert "<title>Error: " in response.content.decode()
        with inside(world.croydon):
            assert not RapidReview.objects.exists()


def decide(client, reference, **overrides):
    data = {
        "decision-outcome": "lcspr",
        "decision-rationale": "Learning for several agencies.",
        "decision-decided_on": days_ago(0),
        **overrides,
    }
    return client.post(f"/referrals/{reference}/decision/", data)


class TestDecision:
    @pytest.mark.parametrize("who", ["alice", "dave", "bob"])
    def test_only_the_chair_decides(self, world, who):
        referral = make_referral(world)
        response = decide(signed_in_client(getattr(world, who), world.croydon), referral.reference)
        assert response.status_code == 403
        assert "You cannot do this" in body(response)
        assert count(Decision, world.croydon) == 0
        assert count(Review, world.croydon) == 0

    def test_a_decision_to_review_commissions_the_review(self, world):
        referral = make_referral(world, step="panel_answered")
        carol = signed_in_client(world.carol, world.croydon)
        assert 'name="decision-outcome"' in body(carol.get(f"/referrals/{referral.reference}/"))
        response = decide(carol, referral.reference)
        assert response.status_code == 302
        with inside(world.croydon):
            review = Review.objects.get()
            assert review.referral.reference == referral.reference
            assert review.review_type == "lcspr"
            assert [c.family_name for c in review.children.all()] == [FAMILY_NAME]
            assert {a.name for a in review.agencies.all()} == {
                "Met Police",
                "NHS Croydon Health Services",
            }
            assert Clock.objects.filter(name="publication", review=review).exists()
        page = body(
            signed_in_client(world.dave, world.croydon).get(f"/referrals/{referral.reference}/")
        )
        assert "Local child safeguarding practice review" in page
        assert review.reference in page
        assert 'name="decision-outcome"' not in page  # read-only for the others
        assert "Review commissioned" in page  # on the timeline

    def test_a_bad_decision_shows_its_errors(self, world):
        referral = make_referral(world, step="panel_answered")
        carol = signed_in_client(world.carol, world.croydon)
        response = decide(
            carol, referral.reference, **{"decision-outcome": "", "decision-decided_on": "soon"}
        )
        page = body(response)
        assert response.status_code == 200
        assert "<title>Error: Referral " in page
        assert '<a href="#id_decision-decided_on">' in page
        response = decide(carol, referral.reference, **{"decision-outcome": ""})
        assert '<a href="#id_decision-outcome_1">Choose the decision.</a>' in body(response)
        assert count(Decision, world.croydon) == 0
