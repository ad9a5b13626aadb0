"""Reviews on the web: the list, the workspace's tabs (overview and reviewers, terms of reference,
information requests, the chronology, findings and recommendations, the action plan, documents),
the agencies' side (information requests, their actions) and the action tracker, for every role,
in Croydon and never in Lewisham."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from casework import services as referral_services
from casework import services as review_services
from casework.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    ChronologyEntry,
    Finding,
    InformationRequest,
    Recommendation,
    Review,
    ReviewDocument,
    ReviewerAppointment,
)
from casework.services import AffiliationInput, EntryInput
from tenants.actors import actor_for_member
from tenants.agencies.models import AuditEvent
from tenants.clock import today
from tenants.files import UploadedFile
from tenants.models import Membership, Role
from tests.support.clients import api_client, replay_on, signed_in_client
from tests.support.isolation import assert_row_only_in, assert_web_isolated
from tests.support.world import inside, make_member

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HOSTILE = "<script>window.__pwned=1</script><b>bold</b>"
TITLE_MARKER = "Quillfeather"
TABS = ["", "terms/", "information/", "chronology/", "findings/", "actions/", "documents/"]


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def actor_of(world, who: str):
    membership = Membership.objects.select_related("user", "partnership").get(
        user=getattr(world, who), partnership=world.croydon
    )
    return actor_for_member(membership=membership)


def client(world, who: str):
    return signed_in_client(getattr(world, who), world.croydon)


def body(response) -> str:
    return response.content.decode()


def htmx(client, path: str, data=None, **extra):
    """A POST (or, without data, a GET) as htmx sends it."""
    if data is None:
        return client.get(path, HTTP_HX_REQUEST="true", **extra)
    return client.post(path, data, HTTP_HX_REQUEST="true", **extra)


@pytest.fixture
def review(world) -> Review:
    """A practice review from a Met Police referral (NHS Croydon involved), decided yesterday."""
    with inside(world.croydon):
        referral = referral_services.referral_create(
            actor=actor_of(world, "bob"),
            incident_date=days(-10),
            aware_date=days(-5),
            harm="died",
            abuse_or_neglect="suspected",
            children=[
                referral_services.ChildInput(
                    "Amara", TITLE_MARKER, datetime.date(2024, 6, 1), "female"
                )
            ],
            summary="A toddler died.",
            agencies_involved=["NHS Croydon Health Services"],
        )
        referral_services.decision_record(
            actor=actor_of(world, "carol"),
            referral=referral,
            outcome="lcspr",
            rationale="Learning for every agency.",
            decided_on=days(-1),
        )
        return Review.objects.get(referral=referral)


def erin_profile(world, affiliations=()):
    with inside(world.croydon):
        return review_services.reviewer_profile_save(
            actor=actor_of(world, "alice"),
            user_uuid=world.erin.uuid,
            name="Erin Reviewer",
            organisation="Independent",
            affiliations=list(affiliations),
        )


@pytest.fixture
def appointed(world, review) -> Review:
    """Erin, independent, appointed to the review today."""
    profile = erin_profile(
        world, [AffiliationInput("Kent County Council", datetime.date(2015, 1, 1))]
    )
    with inside(world.croydon):
        review_services.reviewer_appoint(
            actor=actor_of(world, "alice"), review=review, profile=profile
        )
    return review


def signed_terms(world, review, start=None, end=None):
    with inside(world.croydon):
        terms = review_services.terms_write(
            actor=actor_of(world, "alice"),
            review=review,
            scope="The child's last year.",
            lines_of_enquiry="Information sharing\nRecognising injuries",
            period_start=start or days(-400),
            period_end=end or days(-10),
        )
        return review_services.terms_sign_off(actor=actor_of(world, "carol"), terms=terms)


def add_entry(world, review, what="Call to the address", agency=None, on=None, key=False):
    with inside(world.croydon):
        return review_services.chronology_entry_add(
            actor=actor_of(world, "alice"),
            review=review,
            data=EntryInput(
                on or days(-100),
                agency or world.met_croydon,
                what,
                "police officer",
                key_episode=key,
            ),
        )


def recommendation_with_action(world, review, *, owner=None, status=ActionStatus.NOT_STARTED):
    with inside(world.croydon):
        alice = actor_of(world, "alice")
        recommendation = review_services.recommendation_add(
            actor=alice,
            review=review,
            text="Share records between agencies.",
            to_partnership=False,
            agencies=[world.met_croydon],
        )
        action = review_services.action_add(
            actor=alice,
            recommendation=recommendation,
            description="Train call handlers in information sharing",
            owner_agency=owner or world.met_croydon,
            due=days(60),
        )
        if status != ActionStatus.NOT_STARTED:
            Action.objects.filter(pk=action.pk).update(status=status)
            action.refresh_from_db()
        return recommendation, action


def error_summary(page: str) -> str:
    start = page.index('class="govuk-error-summary"')
    return page[start : page.index("</div>", start)]


# --- The list of reviews and commissioning -----------------------------------------------------


class TestReviewList:
    def test_the_workspace_has_its_own_address_and_the_old_ones_move_there(self, world, review):
        """The review workspace moved from /reviews/ to /case-reviews/ so that /reviews/ is only
        the public area: each old address redirects permanently to the same page, with its query
        string; a signed-in person's /reviews/ sends them on to their list."""
        alice = client(world, "alice")
        ref = review.reference
        for old, new in (
            (f"/reviews/{ref}/", f"/case-reviews/{ref}/"),
            (f"/reviews/{ref}/terms/", f"/case-reviews/{ref}/terms/"),
            (f"/reviews/{ref}/chronology/?page=2", f"/case-reviews/{ref}/chronology/?page=2"),
            (f"/reviews/{ref}/chronology.csv", f"/case-reviews/{ref}/chronology.csv"),
        ):
            response = alice.get(old)
            assert (response.status_code, response["Location"]) == (301, new)
        assert alice.get(f"/case-reviews/{ref}/").status_code == 200
        response = alice.get("/reviews/")
        assert (response.status_code, response["Location"]) == (302, "/case-reviews/")
        assert ref in body(alice.get("/case-reviews/"))
        # The public area keeps /reviews/: signed out, it lists the published reviews.
        assert api_client(world.croydon, None).get("/reviews/").status_code == 200

    def test_the_review_group_sees_every_review_and_a_reviewer_their_own(self, world, review):
        for who in ("alice", "carol", "dave"):
            page = body(client(world, who).get("/case-reviews/"))
            assert review.reference in page and "Commissioned" in page
        assert review.reference not in body(client(world, "erin").get("/case-reviews/"))
        for who in ("bob", "frank"):
            assert client(world, who).get("/case-reviews/").status_code == 403

    def test_a_reviewer_lists_the_review_once_appointed(self, world, appointed):
        page = body(client(world, "erin").get("/case-reviews/"))
        assert appointed.reference in page
        assert appointed.reference in body(client(world, "erin").get("/dashboard/"))

    def test_open_actions_are_counted(self, world, review):
        recommendation_with_action(world, review)
        page = body(client(world, "alice").get("/case-reviews/"))
        row = page[page.index(f">{review.reference}</a>") :]
        assert 'govuk-table__cell--numeric">1</td>' in row[: row.index("</tr>")]

    def test_the_chair_commissions_a_thematic_review(self, world, review):
        with inside(world.croydon):
            referral = review.referral
        carol = client(world, "carol")
        response = carol.post(
            "/case-reviews/",
            {
                "commission-review_type": "thematic",
                "commission-title": "Vulnerable Adolescents Thematic Review 2026",
                "commission-commissioned_on": today().isoformat(),
                "commission-referrals": [referral.reference],
                "commission-agencies": [str(world.met_croydon.uuid)],
            },
        )
        assert response.status_code == 302, body(response)
        with inside(world.croydon):
            thematic = Review.objects.get(review_type="thematic")
            assert response["Location"] == f"/case-reviews/{thematic.reference}/"
            assert list(thematic.related_referrals.all()) == [referral]
        page = body(carol.get(response["Location"]))
        assert "Vulnerable Adolescents Thematic Review 2026" in page
        assert referral.reference in page

    def test_commissioning_needs_a_title_and_the_chair_or_manager(self, world):
        response = client(world, "alice").post(
            "/case-reviews/",
            {
                "commission-review_type": "thematic",
                "commission-commissioned_on": today().isoformat(),
            },
        )
        assert "Give the review a title." in error_summary(body(response))
        assert (
            client(world, "dave").post("/case-reviews/", {"commission-title": "x"}).status_code
            == 403
        )
        with inside(world.croydon):
            assert not Review.objects.exists()


# --- Reviewers: independence, the chair's override -------------------------------------------


class TestAppointment:
    def test_a_conflicted_reviewer_is_blocked_until_the_chair_overrides(self, world, review):
        ref = review.reference
        alice = client(world, "alice")
        page = body(alice.get(f"/case-reviews/{ref}/"))
        assert "Appoint a lead reviewer" in page and "No lead reviewer is appointed yet." in page

        # The business manager records erin's declared affiliations on the web.
        response = alice.post(
            f"/case-reviews/{ref}/reviewers/profile/",
            {
                "profile-reviewer": str(world.erin.uuid),
                "profile-name": "Erin Reviewer",
                "profile-organisation": "Independent",
                "affiliation-1-organisation": "met police",
                "affiliation-1-role": "Detective inspector",
                "affiliation-1-started_on": "2019-04-01",
                "affiliation-1-ended_on": "2023-03-31",
                "affiliation-2-organisation": "Kent County Council",
                "affiliation-2-started_on": "2010-01-01",
                "affiliation-2-ended_on": "2012-01-01",
            },
        )
        assert response.status_code == 302
        assert response["Location"] == f"/case-reviews/{ref}/?reviewer={world.erin.uuid}#reviewers"

        # The independence result is shown before confirming.
        page = body(alice.get(response["Location"]))
        assert "Erin Reviewer&#x27;s profile is saved." in page
        assert "Not independent" in page
        assert "Erin Reviewer worked for Met Police (2019-04-01 to 2023-03-31), an agency" in page
        assert "Only the chair can appoint them anyway" in page
        assert "appoint-override_reason" not in page  # not the manager's to give

        response = htmx(
            alice, f"/case-reviews/{ref}/reviewers/check/", {"check-reviewer": str(world.erin.uuid)}
        )
        assert response.content.startswith(b'\n<section id="reviewers"')
        assert "Not independent" in body(response)

        response = alice.post(
            f"/case-reviews/{ref}/reviewers/", {"appoint-reviewer": str(world.erin.uuid)}
        )
        summary = error_summary(body(response))
        assert "an agency involved in the case" in summary
        assert "The chair can appoint them anyway with a written reason." in summary
        with inside(world.croydon):
            assert not ReviewerAppointment.objects.exists()
        assert client(world, "erin").get(f"/case-reviews/{ref}/").status_code == 404

        # The chair overrides with a written reason, shown on the review.
        carol = client(world, "carol")
        page = body(carol.get(f"/case-reviews/{ref}/?reviewer={world.erin.uuid}"))
        assert "appoint-override_reason" in page and "Appoint anyway" in page
        response = carol.post(
            f"/case-reviews/{ref}/reviewers/",
            {"appoint-reviewer": str(world.erin.uuid), "appoint-override_reason": ""},
        )
        assert "The chair can appoint them anyway" in error_summary(body(response))
        response = carol.post(
            f"/case-reviews/{ref}/reviewers/",
            {
                "appoint-reviewer": str(world.erin.uuid),
                "appoint-override_reason": "Left four years ago; no contact with the case.",
            },
        )
        assert response.status_code == 302
        page = body(carol.get(response["Location"]))
        assert "Erin Reviewer is appointed." in page
        appointments = page[page.index('id="appointments"') :]
        assert "Conflict overridden" in appointments
        assert "Left four years ago; no contact with the case." in appointments
        with inside(world.croydon):
            appointment = ReviewerAppointment.objects.get()
            assert appointment.override_by == "carol@croydon.example"
        assert client(world, "erin").get(f"/case-reviews/{ref}/").status_code == 200

    def test_an_independent_reviewer_is_appointed_with_htmx(self, world, review):
        erin_profile(world, [AffiliationInput("Kent County Council", datetime.date(2015, 1, 1))])
        alice = client(world, "alice")
        response = htmx(
            alice,
            f"/case-reviews/{review.reference}/reviewers/check/",
            {"check-reviewer": str(world.erin.uuid)},
        )
        assert "Independent" in body(response) and "Appoint the reviewer" in body(response)
        response = htmx(
            alice,
            f"/case-reviews/{review.reference}/reviewers/",
            {"appoint-reviewer": str(world.erin.uuid)},
        )
        assert "Erin Reviewer is appointed." in body(response)
        assert 'id="appointments"' in body(response)

    def test_profile_errors_go_back_to_their_row(self, world, review):
        response = client(world, "alice").post(
            f"/case-reviews/{review.reference}/reviewers/profile/",
            {
                "profile-reviewer": str(world.erin.uuid),
                "profile-name": "Erin",
                "affiliation-2-organisation": "Met Police",
                "affiliation-2-started_on": "2020-01-01",
                "affiliation-2-ended_on": "2019-01-01",
            },
        )
        summary = error_summary(body(response))
        assert 'href="#id_affiliation-2-ended_on"' in summary
        assert "It cannot end before it began." in summary

    def test_only_the_manager_and_chair_appoint(self, world, appointed):
        for who in ("dave", "erin"):
            response = client(world, who).post(
                f"/case-reviews/{appointed.reference}/reviewers/check/",
                {"check-reviewer": str(world.erin.uuid)},
            )
            assert response.status_code == 403
            assert "Appoint a lead reviewer" not in body(
                client(world, who).get(f"/case-reviews/{appointed.reference}/")
            )


# --- Stages and terms of reference ------------------------------------------------------------


class TestStagesAndTerms:
    def test_a_move_without_its_prerequisites_names_what_is_missing(self, world, review):
        alice = client(world, "alice")
        response = alice.post(
            f"/case-reviews/{review.reference}/stage/", {"stage-to_stage": "tor_agreed"}
        )
        summary = error_summary(body(response))
        assert "Appoint a lead reviewer." in summary
        assert "The terms of reference have not been signed off." in summary
        assert 'href="#button-stage"' in summary
        assert body(response).startswith("<!DOCTYPE html>")
        response = htmx(
            alice, f"/case-reviews/{review.reference}/stage/", {"stage-to_stage": "tor_agreed"}
        )
        assert "Appoint a lead reviewer." in error_summary(body(response))
        with inside(world.croydon):
            assert Review.objects.get(pk=review.pk).stage == "commissioned"

    def test_terms_are_written_signed_off_and_the_review_moves_on(self, world, appointed):
        ref = appointed.reference
        erin = client(world, "erin")
        response = erin.post(
            f"/case-reviews/{ref}/terms/new/",
            {
                "terms-scope": "The child's last year.",
                "terms-lines_of_enquiry": "Information sharing\n\nRecognising injuries",
                "terms-period_start": days(-400).isoformat(),
                "terms-period_end": days(-10).isoformat(),
            },
        )
        assert response.status_code == 302
        page = body(erin.get(f"/case-reviews/{ref}/terms/"))
        assert "Version 1" in page and "Not signed off" in page and "Recognising injuries" in page
        assert "Sign off this version" not in page  # the chair's
        assert (
            client(world, "alice")
            .post(f"/case-reviews/{ref}/terms/sign-off/", {"sign-terms-version": "1"})
            .status_code
            == 403
        )

        carol = client(world, "carol")
        response = htmx(carol, f"/case-reviews/{ref}/terms/sign-off/", {"sign-terms-version": "1"})
        assert "The terms of reference are signed off." in body(response)
        assert "Signed off" in body(response)

        response = htmx(
            client(world, "alice"), f"/case-reviews/{ref}/stage/", {"stage-to_stage": "tor_agreed"}
        )
        assert "The review has moved to terms of reference agreed." in body(response)
        assert 'id="review-stage" hx-swap-oob="true"' in body(response)

    def test_signing_off_a_version_not_read(self, world, review):
        signed_terms(world, review)
        with inside(world.croydon):
            review_services.terms_write(
                actor=actor_of(world, "alice"),
                review=review,
                scope="Wider",
                lines_of_enquiry="More",
                period_start=days(-500),
                period_end=days(-10),
            )
        response = client(world, "carol").post(
            f"/case-reviews/{review.reference}/terms/sign-off/", {"sign-terms-version": "1"}
        )
        assert "A newer version has been written" in error_summary(body(response))


# --- Information requests --------------------------------------------------------------------


class TestInformationRequests:
    def test_the_reviewer_asks_and_the_agency_answers_on_the_web(self, world, appointed):
        ref = appointed.reference
        erin = client(world, "erin")
        response = htmx(
            erin,
            f"/case-reviews/{ref}/information/new/",
            {
                "request-agency": str(world.met_croydon.uuid),
                "request-asks": ["chronology", "single_agency_report"],
                "request-details": "From the first call-out.",
            },
        )
        assert "The request is sent to the agency." in body(response)
        with inside(world.croydon):
            request = InformationRequest.objects.get()
        assert request.due > today()

        bob = client(world, "bob")
        dashboard = body(bob.get("/dashboard/"))
        assert f"/information-requests/{request.uuid}/" in dashboard
        page = body(bob.get(f"/information-requests/{request.uuid}/"))
        assert (
            "A chronology of the agency&#x27;s involvement" in page
            and "From the first call-out." in page
        )
        response = bob.post(f"/information-requests/{request.uuid}/", {"response-text": ""})
        assert "Write your agency&#x27;s answer." in error_summary(body(response))
        response = bob.post(
            f"/information-requests/{request.uuid}/",
            {"response-text": f"Three call-outs, listed. {HOSTILE}"},
        )
        assert response.status_code == 302
        assert "Answered" in body(bob.get(response["Location"]))

        page = body(erin.get(f"/case-reviews/{ref}/information/"))
        assert "Answered" in page and escape(HOSTILE) in page and HOSTILE not in page
        # Frank (NHS) cannot see Met's request; the review group cannot answer for the agency.
        assert (
            client(world, "frank").get(f"/information-requests/{request.uuid}/").status_code == 404
        )
        assert (
            client(world, "dave")
            .post(f"/information-requests/{request.uuid}/", {"response-text": "x"})
            .status_code
            == 403
        )

        response = htmx(erin, f"/case-reviews/{ref}/information/{request.uuid}/close/", {})
        assert "The request to Met Police is closed." in body(response)
        assert "This request is closed." in body(bob.get(f"/information-requests/{request.uuid}/"))

    def test_a_request_needs_an_agency_and_what_is_asked(self, world, appointed):
        response = client(world, "erin").post(
            f"/case-reviews/{appointed.reference}/information/new/", {"request-agency": ""}
        )
        summary = error_summary(body(response))
        assert "Choose the agency to ask." in summary
        response = client(world, "erin").post(
            f"/case-reviews/{appointed.reference}/information/new/",
            {"request-agency": str(world.met_croydon.uuid)},
        )
        assert "Choose what you are asking for." in error_summary(body(response))


# --- The chronology --------------------------------------------------------------------------


class TestChronology:
    def test_inline_add_correct_filter_and_export(self, world, appointed):
        ref = appointed.reference
        signed_terms(world, appointed, start=days(-400), end=days(-10))
        erin = client(world, "erin")
        entry = {
            "entry-occurred_on": days(-100).isoformat(),
            "entry-occurred_at": "14:30",
            "entry-agency": str(world.met_croydon.uuid),
            "entry-what_happened": "Call to the address: no answer",
            "entry-who": "police officer",
            "entry-source_document": "Call log 17",
            "entry-key_episode": "on",
        }
        response = htmx(erin, f"/case-reviews/{ref}/chronology/entries/", entry)
        html = body(response)
        assert html.lstrip().startswith('<section id="add"')
        assert f"Entry added for {days(-100).isoformat()} (Met Police)." in html
        assert '<div id="results" hx-swap-oob="true">' in html and "Call to the address" in html

        # A date outside the period under review is saved, and flagged.
        outside = {
            **entry,
            "entry-occurred_on": days(-500).isoformat(),
            "entry-key_episode": "",
            "entry-agency": str(world.nhs_croydon.uuid),
            "entry-what_happened": "Health visit",
            "entry-who": "health visitor",
        }
        response = htmx(erin, f"/case-reviews/{ref}/chronology/entries/", outside)
        assert "It is outside the period under review, so it is flagged." in body(response)
        page = body(erin.get(f"/case-reviews/{ref}/chronology/"))
        assert page.count("Outside the period under review</strong>") == 1
        assert page.index("Health visit") < page.index("Call to the address")  # in date order

        with inside(world.croydon):
            first = ChronologyEntry.objects.get(what_happened__startswith="Call to")
        row = body(htmx(erin, f"/case-reviews/{ref}/chronology/{first.uuid}/correct/"))
        prefix = f"correct-{first.uuid.hex[:8]}"
        assert row.lstrip().startswith("<tr") and f'name="{prefix}-what_happened"' in row
        assert "Call to the address: no answer" in row
        correction = {key.replace("entry-", f"{prefix}-"): value for key, value in entry.items()}
        correction[f"{prefix}-what_happened"] = (
            "Call to the address: mother answered, child not seen"
        )
        response = htmx(erin, f"/case-reviews/{ref}/chronology/{first.uuid}/correct/", correction)
        row = body(response)
        assert row.lstrip().startswith("<tr")
        assert "Corrected by erin@reviews.example, was:" in row and "no answer" in row
        response = htmx(erin, f"/case-reviews/{ref}/chronology/{first.uuid}/correct/", correction)
        assert "This entry has already been corrected; correct the latest one." in body(response)
        with inside(world.croydon):
            assert (
                ChronologyEntry.objects.get(pk=first.pk).what_happened
                == "Call to the address: no answer"
            )
            current = ChronologyEntry.objects.get(is_current=True, agency=world.met_croydon)
        history = body(erin.get(f"/case-reviews/{ref}/chronology/{current.uuid}/"))
        assert "mother answered" in history and "no answer" in history

        # Filters: by agency, by period, key episodes only.
        page = body(htmx(erin, f"/case-reviews/{ref}/chronology/?agency={world.nhs_croydon.uuid}"))
        assert page.lstrip().startswith('<div id="results">')
        assert (
            "Health visit" in page and "mother answered" not in page and "1 entry matching" in page
        )
        page = body(
            erin.get(
                f"/case-reviews/{ref}/chronology/?start={days(-200).isoformat()}&end={days(-1).isoformat()}"
            )
        )
        assert "Health visit" not in page and "mother answered" in page
        page = body(erin.get(f"/case-reviews/{ref}/chronology/?key_only=on"))
        assert "Health visit" not in page and "mother answered" in page
        page = body(erin.get(f"/case-reviews/{ref}/chronology/?start=yesterday"))
        assert "Enter the first date as year-month-day" in page

        # The CSV export, streamed and audited; filtered like the page.
        response = erin.get(f"/case-reviews/{ref}/chronology.csv")
        assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
        assert f'filename="{ref}-chronology.csv"' in response["Content-Disposition"]
        rows = list(
            csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
        )
        assert rows[0][:3] == ["date", "time", "agency"]
        assert [row[3] for row in rows[1:]] == [
            "Health visit",
            "Call to the address: mother answered, child not seen",
        ]
        assert rows[2][1] == "14:30" and rows[2][6] == "yes"
        response = erin.get(f"/case-reviews/{ref}/chronology.csv?agency={world.met_croydon.uuid}")
        assert (
            len(
                list(
                    csv.reader(
                        io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))
                    )
                )
            )
            == 2
        )
        with inside(world.croydon):
            assert (
                AuditEvent.objects.filter(action="chronology.exported", object_ref=ref).count() == 2
            )

        # The printable page: the whole chronology, no navigation.
        page = body(erin.get(f"/case-reviews/{ref}/chronology/print/"))
        assert "Health visit" in page and "mother answered" in page
        assert "govuk-service-navigation" not in page and "moj-sub-navigation" not in page
        assert "[Outside the period under review]" in page

    def test_the_chronology_pages_by_100(self, world, appointed):
        with inside(world.croydon):
            ChronologyEntry.objects.bulk_create(
                ChronologyEntry(
                    review=appointed,
                    occurred_on=days(-300 + n),
                    agency=world.met_croydon,
                    what_happened=f"Event number {n:03d}",
                    who="officer",
                    entered_by="import",
                )
                for n in range(150)
            )
        erin = client(world, "erin")
        page = body(erin.get(f"/case-reviews/{appointed.reference}/chronology/"))
        assert "150 entries, page 1 of 2" in page
        assert "Event number 099" in page and "Event number 100" not in page
        page = body(htmx(erin, f"/case-reviews/{appointed.reference}/chronology/?page=2"))
        assert "Event number 100" in page and "Event number 099" not in page

    def test_bad_entries_are_shown_and_nothing_is_saved(self, world, appointed):
        response = client(world, "erin").post(
            f"/case-reviews/{appointed.reference}/chronology/entries/",
            {"entry-occurred_on": days(5).isoformat(), "entry-agency": str(world.met_croydon.uuid)},
        )
        summary = error_summary(body(response))
        assert "The date cannot be in the future." in summary
        assert "Say what happened." in summary
        assert "Say who, by role" in summary
        with inside(world.croydon):
            assert not ChronologyEntry.objects.exists()


# --- Findings, recommendations, the action plan ------------------------------------------------


class TestFindingsAndActions:
    def test_findings_recommendations_and_an_action_to_verification(self, world, appointed):
        ref = appointed.reference
        key = add_entry(world, appointed, "Bruise seen at nursery", key=True)
        erin = client(world, "erin")
        response = htmx(
            erin,
            f"/case-reviews/{ref}/findings/new/",
            {
                "finding-text": "Bruising was not shared with children's social care.",
                "finding-evidence": [str(key.uuid)],
            },
        )
        assert "The finding is added." in body(response)
        assert 'aria-labelledby="recommendations-title" hx-swap-oob="true"' in body(response)
        with inside(world.croydon):
            finding = Finding.objects.get()
            assert list(finding.evidence.all()) == [key]
        response = erin.post(
            f"/case-reviews/{ref}/recommendations/new/",
            {
                "recommendation-text": "Agencies share every injury seen on a child under 2.",
                "recommendation-agencies": [str(world.met_croydon.uuid)],
                "recommendation-findings": ["1"],
            },
        )
        assert response.status_code == 302
        page = body(erin.get(f"/case-reviews/{ref}/findings/"))
        assert (
            "Recommendation 1" in page and "Met Police" in page and "Bruise seen at nursery" in page
        )
        with inside(world.croydon):
            recommendation = Recommendation.objects.get()
            assert list(recommendation.findings.all()) == [finding]

        alice = client(world, "alice")
        response = htmx(
            alice,
            f"/case-reviews/{ref}/actions/new/",
            {
                "action-recommendation": str(recommendation.uuid),
                "action-description": "Train nursery staff in the injury protocol",
                "action-owner": str(world.met_croydon.uuid),
                "action-due": days(90).isoformat(),
            },
        )
        assert "The action is added." in body(response)
        with inside(world.croydon):
            action = Action.objects.get()
        assert "Not started" in body(response) and "RAG: </span>Green" in body(response)

        # The owner (bob, Met Police) posts progress with evidence; the review group verifies.
        bob = client(world, "bob")
        assert action.description in body(bob.get("/actions/"))
        response = bob.post(
            f"/actions/{action.uuid}/",
            {
                "update-status": "complete",
                "update-note": "Every member of staff trained.",
                "update-evidence": SimpleUploadedFile(
                    "register.pdf", PDF, content_type="application/pdf"
                ),
            },
        )
        assert response.status_code == 302
        page = body(bob.get(f"/actions/{action.uuid}/"))
        assert "Your update is saved." in page and "Evidence: register.pdf" in page
        assert "Verify the action" not in page
        with inside(world.croydon):
            update = ActionUpdate.objects.get()
        download = bob.get(f"/actions/{action.uuid}/updates/{update.uuid}/evidence/")
        assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
        assert download["Cache-Control"] == "private, no-store"
        assert "/media/" not in page
        assert (
            client(world, "frank")
            .get(f"/actions/{action.uuid}/updates/{update.uuid}/evidence/")
            .status_code
            == 404
        )

        assert bob.post(f"/actions/{action.uuid}/verify/", {}).status_code == 403
        dave = client(world, "dave")
        assert "Verify the action" in body(dave.get(f"/actions/{action.uuid}/"))
        response = dave.post(f"/actions/{action.uuid}/verify/", {})
        assert response.status_code == 302
        page = body(dave.get(response["Location"]))
        assert "The action is verified and closed." in page and "by dave@croydon.example on" in page

        # Editing a verified action is refused, with the reason.
        page = body(bob.get(f"/actions/{action.uuid}/"))
        assert "This action has been verified by the review group and is closed." in page
        assert "Send the update" not in page
        response = bob.post(
            f"/actions/{action.uuid}/", {"update-status": "in_progress", "update-note": "Reopen"}
        )
        assert "This action has been verified by the review group and is closed." in error_summary(
            body(response)
        )
        with inside(world.croydon):
            assert Action.objects.get(pk=action.pk).status == ActionStatus.VERIFIED
            assert ActionUpdate.objects.count() == 1
            assert AuditEvent.objects.filter(action="evidence.downloaded").count() == 1

    def test_evidence_that_is_not_what_it_claims_is_rejected(self, world, review):
        _, action = recommendation_with_action(world, review)
        response = client(world, "bob").post(
            f"/actions/{action.uuid}/",
            {
                "update-status": "complete",
                "update-note": "Done",
                "update-evidence": SimpleUploadedFile(
                    "proof.pdf", PNG, content_type="application/pdf"
                ),
            },
        )
        summary = error_summary(body(response))
        assert (
            "proof.pdf is not a PDF, Word document or image, or its contents do not match its name."
            in summary
        )
        assert 'href="#id_update-evidence"' in summary
        with inside(world.croydon):
            assert not ActionUpdate.objects.exists()
            assert Action.objects.get(pk=action.pk).status == ActionStatus.NOT_STARTED

    def test_an_agency_updates_only_its_own_actions(self, world, review):
        _, met_action = recommendation_with_action(world, review)
        _, nhs_action = recommendation_with_action(world, review, owner=world.nhs_croydon)
        bob, frank = client(world, "bob"), client(world, "frank")
        assert bob.get(f"/actions/{met_action.uuid}/").status_code == 200
        assert frank.get(f"/actions/{met_action.uuid}/").status_code == 404
        assert (
            frank.post(
                f"/actions/{met_action.uuid}/", {"update-status": "in_progress", "update-note": "x"}
            ).status_code
            == 404
        )
        assert bob.get(f"/actions/{nhs_action.uuid}/").status_code == 404
        tracker = body(bob.get("/actions/"))
        assert str(met_action.uuid) in tracker and str(nhs_action.uuid) not in tracker
        response = bob.post(
            f"/actions/{met_action.uuid}/",
            {"update-status": "in_progress", "update-note": "Started"},
        )
        assert response.status_code == 302
        with inside(world.croydon):
            assert Action.objects.get(pk=met_action.pk).status == ActionStatus.IN_PROGRESS
            assert Action.objects.get(pk=nhs_action.pk).status == ActionStatus.NOT_STARTED


# --- Documents -------------------------------------------------------------------------------


class TestDocuments:
    def test_versions_are_uploaded_and_downloaded_through_an_audited_view(self, world, appointed):
        ref = appointed.reference
        erin = client(world, "erin")
        for name in ("draft.pdf", "draft-2.pdf"):
            response = erin.post(
                f"/case-reviews/{ref}/documents/new/",
                {
                    "document-title": "Overview report",
                    "document-kind": "draft_report",
                    "document-file": SimpleUploadedFile(name, PDF, content_type="application/pdf"),
                },
            )
            assert response.status_code == 302
        response = erin.post(
            f"/case-reviews/{ref}/documents/new/",
            {
                "document-title": "Photo",
                "document-kind": "paper",
                "document-file": SimpleUploadedFile("photo.pdf", PNG),
            },
        )
        assert "photo.pdf is not a PDF or Word (.docx) document" in error_summary(body(response))
        page = body(erin.get(f"/case-reviews/{ref}/documents/"))
        assert page.count("Overview report<span") == 2 and "/media/" not in page
        with inside(world.croydon):
            latest = ReviewDocument.objects.get(version=2)
        response = erin.get(f"/case-reviews/{ref}/documents/{latest.uuid}/")
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
        assert 'filename="draft-2.pdf"' in response["Content-Disposition"]
        with inside(world.croydon):
            assert AuditEvent.objects.filter(action="document.downloaded").count() == 1
        for who in ("bob", "frank"):
            assert (
                client(world, who).get(f"/case-reviews/{ref}/documents/{latest.uuid}/").status_code
                == 404
            )

    def test_the_chair_signs_the_report_off(self, world, appointed):
        ref = appointed.reference
        carol = client(world, "carol")
        response = htmx(carol, f"/case-reviews/{ref}/sign-off/", {})
        summary = error_summary(body(response))
        assert (
            "Record at least one recommendation." in summary
            and "Upload the draft report." in summary
        )
        recommendation_with_action(world, appointed)
        with inside(world.croydon):
            review_services.review_document_upload(
                actor=actor_of(world, "alice"),
                review=appointed,
                title="Report",
                kind="draft_report",
                upload=UploadedFile("r.pdf", PDF),
            )
        response = htmx(carol, f"/case-reviews/{ref}/sign-off/", {})
        assert "You have signed the report off." in body(response)
        assert client(world, "alice").post(f"/case-reviews/{ref}/sign-off/", {}).status_code == 403


# --- Who sees what ---------------------------------------------------------------------------


class TestWhoSeesAReview:
    @pytest.mark.parametrize("tab", TABS)
    def test_every_tab_for_the_review_group_and_the_appointed_reviewer_only(
        self, world, appointed, tab
    ):
        path = f"/case-reviews/{appointed.reference}/{tab}"
        for who in ("alice", "carol", "dave", "erin"):
            response = client(world, who).get(path)
            assert response.status_code == 200, (who, path)
            assert f"Review {appointed.reference}" in body(response)
            assert 'aria-current="page"' in body(response)
        other = make_member(world.croydon, "olga@reviews.example", Role.LEAD_REVIEWER)
        for user in (other, world.bob, world.frank):
            response = signed_in_client(user, world.croydon).get(path)
            assert response.status_code == 404, (user, path)
            assert appointed.reference not in body(response)

    def test_the_other_pages_of_a_review_are_404_for_those_who_cannot_open_it(
        self, world, appointed
    ):
        entry = add_entry(world, appointed)
        ref = appointed.reference
        other = make_member(world.croydon, "olga@reviews.example", Role.LEAD_REVIEWER)
        paths = [
            f"/case-reviews/{ref}/chronology.csv",
            f"/case-reviews/{ref}/chronology/print/",
            f"/case-reviews/{ref}/chronology/{entry.uuid}/",
        ]
        for path in paths:
            assert client(world, "erin").get(path).status_code == 200, path
            for user in (other, world.bob, world.frank):
                assert signed_in_client(user, world.croydon).get(path).status_code == 404, (
                    user,
                    path,
                )
        for user in (other, world.bob):
            response = signed_in_client(user, world.croydon).post(
                f"/case-reviews/{ref}/chronology/entries/", {"entry-what_happened": "x"}
            )
            assert response.status_code == 404
        with inside(world.croydon):
            assert ChronologyEntry.objects.count() == 1

    def test_an_appointment_that_begins_later_shows_nothing_yet(self, world, review):
        profile = erin_profile(world)
        with inside(world.croydon):
            review_services.reviewer_appoint(
                actor=actor_of(world, "alice"), review=review, profile=profile, appointed_on=days(7)
            )
        assert client(world, "erin").get(f"/case-reviews/{review.reference}/").status_code == 404

    def test_the_navigation_offers_reviews_and_actions_to_the_right_roles(self, world):
        def nav(who):
            page = body(client(world, who).get("/dashboard/"))
            menu = page[page.index('aria-label="Menu"') : page.index("</nav>")]
            return ('href="/case-reviews/"' in menu, 'href="/actions/"' in menu)

        for who in ("alice", "carol", "dave"):
            assert nav(who) == (True, True)
        assert nav("erin") == (True, False)
        assert nav("bob") == (False, True)


class TestIsolation:
    def test_lewisham_never_reaches_croydons_reviews(self, world, appointed):
        ref = appointed.reference
        entry = add_entry(world, appointed, what="Isolation marker entry")
        _, action = recommendation_with_action(world, appointed)
        with inside(world.croydon):
            request = review_services.information_request_create(
                actor=actor_of(world, "alice"),
                review=appointed,
                agency=world.met_croydon,
                asks=["documents"],
            )
        markers = [ref, TITLE_MARKER, "Isolation marker entry", action.description]
        for tab in TABS:
            assert_web_isolated(
                path=f"/case-reviews/{ref}/{tab}",
                owner=world.croydon,
                outsider=world.charlie,
                outsider_partnership=world.lewisham,
                markers=markers,
                object_page=True,
            )
        for path in (
            f"/case-reviews/{ref}/chronology.csv",
            f"/case-reviews/{ref}/chronology/print/",
            f"/case-reviews/{ref}/chronology/{entry.uuid}/",
            f"/actions/{action.uuid}/",
            f"/information-requests/{request.uuid}/",
        ):
            assert_web_isolated(
                path=path,
                owner=world.croydon,
                outsider=world.charlie,
                outsider_partnership=world.lewisham,
                markers=markers,
                object_page=True,
            )
        assert_web_isolated(
            path="/actions/",
            owner=world.croydon,
            outsider=world.charlie,
            outsider_partnership=world.lewisham,
            markers=markers,
        )
        # The workspace's list is /case-reviews/; /reviews/ is the public area for anyone.
        lewisham_session = signed_in_client(world.charlie, world.lewisham)
        assert replay_on(lewisham_session, world.croydon).get("/case-reviews/").status_code == 404
        for response in (
            lewisham_session.get("/case-reviews/"),
            api_client(world.croydon, None).get("/reviews/"),
        ):
            assert response.status_code == 200
            assert not [marker for marker in markers if marker in body(response)]
        assert_row_only_in("croydon", "casework_review", "reference", ref)
        assert_row_only_in("croydon", "casework_action", "uuid", str(action.uuid))


# --- Bad input and hostile text --------------------------------------------------------------


def test_html_in_text_fields_is_shown_as_text(world, appointed):
    ref = appointed.reference
    erin = client(world, "erin")
    erin.post(
        f"/case-reviews/{ref}/terms/new/",
        {
            "terms-scope": HOSTILE,
            "terms-lines_of_enquiry": HOSTILE,
            "terms-period_start": days(-400).isoformat(),
            "terms-period_end": days(-10).isoformat(),
        },
    )
    erin.post(
        f"/case-reviews/{ref}/chronology/entries/",
        {
            "entry-occurred_on": days(-50).isoformat(),
            "entry-agency": str(world.met_croydon.uuid),
            "entry-what_happened": HOSTILE,
            "entry-who": HOSTILE,
            "entry-source_document": HOSTILE,
            "entry-key_episode": "on",
        },
    )
    with inside(world.croydon):
        entry = ChronologyEntry.objects.get()
    erin.post(
        f"/case-reviews/{ref}/findings/new/",
        {"finding-text": HOSTILE, "finding-evidence": [str(entry.uuid)]},
    )
    erin.post(
        f"/case-reviews/{ref}/recommendations/new/",
        {"recommendation-text": HOSTILE, "recommendation-to_partnership": "on"},
    )
    with inside(world.croydon):
        recommendation = Recommendation.objects.get()
    erin.post(
        f"/case-reviews/{ref}/actions/new/",
        {
            "action-recommendation": str(recommendation.uuid),
            "action-description": HOSTILE,
            "action-due": days(30).isoformat(),
        },
    )
    with inside(world.croydon):
        action = Action.objects.get()
    erin_profile(world, [AffiliationInput(HOSTILE, datetime.date(2024, 1, 1))])
    alice = client(world, "alice")
    pages = [
        erin.get(f"/case-reviews/{ref}/terms/"),
        erin.get(f"/case-reviews/{ref}/chronology/"),
        erin.get(f"/case-reviews/{ref}/chronology/print/"),
        erin.get(f"/case-reviews/{ref}/chronology/{entry.uuid}/"),
        erin.get(f"/case-reviews/{ref}/findings/"),
        erin.get(f"/case-reviews/{ref}/actions/"),
        alice.get(f"/actions/{action.uuid}/"),
        alice.get("/actions/"),
        alice.get(f"/case-reviews/{ref}/?reviewer={world.erin.uuid}"),
    ]
    for response in pages:
        page = body(response)
        assert response.status_code == 200
        assert HOSTILE not in page, response.request["PATH_INFO"]
        assert escape(HOSTILE) in page or escape(HOSTILE[:60]) in page, response.request[
            "PATH_INFO"
        ]


# --- The action tracker ----------------------------------------------------------------------


def bulk_actions(world, review, recommendation, count: int, *, owner=None, due=None):
    with inside(world.croydon):
        Action.objects.bulk_create(
            Action(
                recommendation=recommendation,
                review=review,
                description=f"Bulk action {n}",
                owner_agency=owner or (world.met_croydon if n % 2 else world.nhs_croydon),
                due=due or days(5 + n % 200),
            )
            for n in range(count)
        )


class TestActionTracker:
    def test_filters_and_counts(self, world, review):
        recommendation, action = recommendation_with_action(world, review)
        bulk_actions(world, review, recommendation, 4, owner=world.nhs_croydon, due=days(-3))
        alice = client(world, "alice")
        page = body(alice.get("/actions/"))
        assert "5 actions" in page
        red = page[page.index('data-rag="red"') :]
        assert 'numeric">4</td>' in red[: red.index("</tr>")]
        page = body(htmx(alice, f"/actions/?agency={world.met_croydon.uuid}"))
        assert page.lstrip().startswith('<div id="results">')
        assert "1 action matching" in page and action.description in page
        page = body(alice.get("/actions/?rag=red"))
        assert "4 actions matching" in page and action.description not in page
        page = body(alice.get(f"/actions/?review={review.reference}&status=not_started"))
        assert "5 actions matching" in page
        page = body(alice.get("/actions/?status=complete"))
        assert "No actions match these filters." in page

    def test_the_number_of_queries_does_not_grow_with_the_actions(
        self, world, review, django_assert_max_num_queries
    ):
        recommendation, _ = recommendation_with_action(world, review)
        alice = client(world, "alice")
        alice.get("/actions/")  # warm the session and the caches

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                response = alice.get("/actions/")
            assert response.status_code == 200
            return len(captured)

        bulk_actions(world, review, recommendation, 1)
        with_two = queries()
        bulk_actions(world, review, recommendation, 198)
        with_two_hundred = queries()
        assert with_two == with_two_hundred
        # The measure: 2,000 open actions, in the same number of queries.
        bulk_actions(world, review, recommendation, 1800)
        with django_assert_max_num_queries(with_two):
            response = alice.get("/actions/")
        assert "2,000 actions" in body(response) or "2000 actions" in body(response)
