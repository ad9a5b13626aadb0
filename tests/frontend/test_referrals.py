"""Referrals on the web: the form, the triage list, the referral page and its sections, files,
contributions and the clocks board, for every role, in Croydon and never in Lewisham."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from casework import services
from casework.models import (
    Attachment,
    Clock,
    ContributionRequest,
    Decision,
    RapidReview,
    Referral,
    Review,
    Screening,
)
from tenants.actors import actor_for_member
from tenants.agencies.models import AuditEvent
from tenants.clock import today
from tenants.files import UploadedFile
from tenants.models import Membership
from tests.support.clients import replay_on, signed_in_client
from tests.support.isolation import assert_row_only_in, assert_web_isolated
from tests.support.world import inside

pytestmark = pytest.mark.django_db

FAMILY_NAME = "Quillfeather"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def days_ago(days: int) -> str:
    return (today() - datetime.timedelta(days=days)).isoformat()


def child(**overrides) -> dict:
    return {
        "given_name": "Amelia",
        "family_name": FAMILY_NAME,
        "date_of_birth": "2019-03-04",
        "sex": "female",
        "ethnicity": "White British",
        **overrides,
    }


def referral_form(*, children=None, **overrides) -> dict:
    data = {
        "incident_date": days_ago(10),
        "aware_date": days_ago(2),
        "harm": "serious_harm",
        "abuse_or_neglect": "suspected",
        "regime": "wt2023",
        "agencies_involved": ["NHS Croydon Health Services"],
        "other_agencies": "Croydon Schools\n\n",
        "summary": "Found injured at home; taken to hospital.",
    }
    for number, row in enumerate([child()] if children is None else children, start=1):
        for key, value in row.items():
            if value is True:
                value = "on"
            if value is not False:
                data[f"child-{number}-{key}"] = value
    data.update(overrides)
    return data


def actor_of(user, partnership):
    return actor_for_member(
        membership=Membership.objects.select_related("user", "partnership").get(
            user=user, partnership=partnership
        )
    )


def make_referral(world, user=None, *, harm="serious_harm", looked_after=False, attachments=()):
    """A referral of bob's (Met Police), made through the service."""
    with inside(world.croydon):
        return services.referral_create(
            actor=actor_of(user or world.bob, world.croydon),
            incident_date=today() - datetime.timedelta(days=10),
            aware_date=today() - datetime.timedelta(days=2),
            harm=harm,
            abuse_or_neglect="suspected",
            children=[
                services.ChildInput(
                    given_name="Amelia",
                    family_name=FAMILY_NAME,
                    date_of_birth=datetime.date(2019, 3, 4),
                    sex="female",
                    looked_after=looked_after,
                )
            ],
            summary="Found injured at home.",
            agencies_involved=["NHS Croydon Health Services"],
            attachments=list(attachments),
        )


def body(response) -> str:
    return response.content.decode()


def count(model, partnership, **filters) -> int:
    with inside(partnership):
        return model.objects.filter(**filters).count()


class TestReferralForm:
    def test_an_agency_user_refers_and_it_reaches_croydons_triage_list_only(self, world):
        bob = signed_in_client(world.bob, world.croydon)
        assert bob.get("/referrals/new/").status_code == 200
        response = bob.post(
            "/referrals/new/",
            referral_form(children=[child(), {}, child(given_name="Jack", sex="male"), {}]),
        )
        assert response.status_code == 302, body(response)
        with inside(world.croydon):
            referral = Referral.objects.get()
            assert response["Location"] == f"/referrals/{referral.reference}/"
            assert referral.referring_agency == world.met_croydon
            assert referral.referred_by == "bob@met.example"
            assert [c.given_name for c in referral.children.all()] == ["Amelia", "Jack"]
            assert [a.name for a in referral.agencies_involved.all()] == [
                "NHS Croydon Health Services"
            ]
            assert referral.other_agencies_involved == ["Croydon Schools"]
            assert referral.clocks.get().name == "panel_notification"
        assert_row_only_in("croydon", "casework_referral", "reference", referral.reference)

        page = body(bob.get(response["Location"]))
        assert FAMILY_NAME in page and "Jack" in page
        assert f"Referral {referral.reference} sent." in page

        triage = body(signed_in_client(world.alice, world.croydon).get("/referrals/"))
        assert referral.reference in triage
        assert "Met Police" in triage
        lewisham = body(signed_in_client(world.charlie, world.lewisham).get("/referrals/"))
        assert referral.reference not in lewisham

    def test_the_business_manager_chooses_the_referring_agency(self, world):
        alice = signed_in_client(world.alice, world.croydon)
        response = alice.post("/referrals/new/", referral_form())
        assert "Choose the agency that is referring." in body(response)
        assert count(Referral, world.croydon) == 0
        response = alice.post("/referrals/new/", referral_form(agency=str(world.nhs_croydon.uuid)))
        assert response.status_code == 302
        with inside(world.croydon):
            assert Referral.objects.get().referring_agency == world.nhs_croydon

    @pytest.mark.parametrize("who", ["carol", "dave", "erin"])
    def test_only_agencies_and_the_business_manager_refer(self, world, who):
        client = signed_in_client(getattr(world, who), world.croydon)
        assert client.get("/referrals/new/").status_code == 403
        assert client.post("/referrals/new/", referral_form()).status_code == 403
        assert count(Referral, world.croydon) == 0

    @pytest.mark.parametrize(
        ("overrides", "children", "message", "anchor"),
        [
            (
                {"aware_date": days_ago(20)},
                None,
                "The date you became aware cannot be before the incident.",
                "id_aware_date",
            ),
            (
                {"incident_date": days_ago(-3)},
                None,
                "The date of the incident cannot be in the future.",
                "id_incident_date",
            ),
            ({}, [], "Name at least one child.", "id_child-1-given_name"),
            (
                {},
                [child(date_of_birth=days_ago(5))],
                "Child 1 was born after the incident: check both dates.",
                "id_child-1-date_of_birth",
            ),
            (
                {"incident_date": "30/10/2026"},
                None,
                "Enter the date of the incident as year-month-day, for example 2026-11-02.",
                "id_incident_date",
            ),
            (
                {"harm": ""},
                None,
                "Say whether the child died or was seriously harmed.",
                "id_harm_1",
            ),
        ],
    )
    def test_bad_input_is_shown_in_the_error_summary_and_nothing_is_saved(
        self, world, overrides, children, message, anchor
    ):
        bob = signed_in_client(world.bob, world.croydon)
        response = bob.post("/referrals/new/", referral_form(children=children, **overrides))
        assert response.status_code == 200
        page = body(response)
        summary = page.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
        assert f'<a href="#{anchor}">{escape(message)}</a>' in summary
        assert f'id="{anchor}"' in page
        assert "<title>Error: " in page
        assert count(Referral, world.croydon) == 0

    def test_empty_child_rows_are_ignored_and_errors_go_back_to_their_row(self, world):
        bob = signed_in_client(world.bob, world.croydon)
        response = bob.post(
            "/referrals/new/", referral_form(children=[{}, child(date_of_birth="")])
        )
        page = body(response)
        # Child 1 for the service is the form's row 2: the message is placed on row 2.
        assert '<a href="#id_child-2-date_of_birth">' in page
        assert count(Referral, world.croydon) == 0

    def test_an_attachment_that_is_not_what_its_name_says_is_refused(self, world):
        bob = signed_in_client(world.bob, world.croydon)
        data = referral_form()
        data["attachments"] = [
            SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
        ]
        page = body(bob.post("/referrals/new/", data))
        assert "report.pdf is not a PDF, Word document (.docx) or image" in page
        assert '<a href="#id_attachments">' in page
        assert count(Referral, world.croydon) == 0
        assert count(Attachment, world.croydon) == 0

    def test_files_are_stored_with_the_referral(self, world):
        bob = signed_in_client(world.bob, world.croydon)
        data = referral_form()
        data["attachments"] = [
            SimpleUploadedFile("strategy meeting.pdf", PDF, "application/pdf"),
            SimpleUploadedFile("injury.png", PNG, "image/png"),
        ]
        assert bob.post("/referrals/new/", data).status_code == 302
        with inside(world.croydon):
            names = sorted(Attachment.objects.values_list("original_name", flat=True))
        assert names == ["injury.png", "strategy meeting.pdf"]

    def test_html_typed_into_the_form_is_shown_as_text(self, world):
        bob = signed_in_client(world.bob, world.croydon)
        response = bob.post(
            "/referrals/new/",
            referral_form(
                children=[child(given_name="<b>Bold</b>")],
                summary="<script>alert('x')</script>\nSecond line",
                other_agencies="<img src=x onerror=alert(1)>",
            ),
        )
        page = body(bob.get(response["Location"]))
        assert "<script>alert(" not in page
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;<br>Second line" in page
        assert "<b>Bold</b>" not in page and "&lt;b&gt;Bold&lt;/b&gt;" in page
        assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


class TestWhoSeesAReferral:
    @pytest.mark.parametrize("who", ["alice", "carol", "dave", "bob"])
    def test_the_review_group_and_the_referring_agency_see_it(self, world, who):
        referral = make_referral(world)
        response = signed_in_client(getattr(world, who), world.croydon).get(
            f"/referrals/{referral.reference}/"
        )
        assert response.status_code == 200
        assert FAMILY_NAME in body(response)
        with inside(world.croydon):
            assert AuditEvent.objects.filter(
                action="referral.viewed", object_ref=referral.reference
            ).exists()

    @pytest.mark.parametrize("who", ["erin", "frank"])
    def test_a_lead_reviewer_and_another_agency_get_a_404(self, world, who):
        referral = make_referral(world)
        client = signed_in_client(getattr(world, who), world.croydon)
        response = client.get(f"/referrals/{referral.reference}/")
        assert response.status_code == 404
        assert FAMILY_NAME not in body(response)

    def test_another_agency_does_not_list_it(self, world):
        referral = make_referral(world)
        frank = signed_in_client(world.frank, world.croydon)
        assert referral.reference not in body(frank.get("/referrals/"))
        bob = signed_in_client(world.bob, world.croydon)
        assert referral.reference in body(bob.get("/referrals/"))

    def test_a_lead_reviewer_has_no_triage_list(self, world):
        make_referral(world)
        assert signed_in_client(world.erin, world.croydon).get("/referrals/").status_code == 403

    def test_the_agency_sees_neither_the_screening_nor_the_timeline(self, world):
        referral = make_referral(world)
        page = body(
            signed_in_client(world.bob, world.croydon).get(f"/referrals/{referral.reference}/")
        )
        assert 'id="screening"' not in page and 'id="timeline"' not in page
        assert 'id="clocks"' in page and 'id="decision"' in page

    def test_another_partnership_never_sees_it(self, world):
        referral = make_referral(world)
        path = f"/referrals/{referral.reference}/"
        assert FAMILY_NAME in body(signed_in_client(world.alice, world.croydon).get(path))
        markers = [FAMILY_NAME, "Found injured at home.", referral.reference]
        for page in (path, f"/referrals/{referral.reference}/contribution/"):
            assert_web_isolated(
                path=page,
                owner=world.croydon,
                outsider=world.charlie,
                outsider_partnership=world.lewisham,
                markers=markers,
                object_page=True,
            )
        for page in ("/referrals/", "/clocks/", "/dashboard/"):
            assert_web_isolated(
                path=page,
                owner=world.croydon,
                outsider=world.charlie,
                outsider_partnership=world.lewisham,
                markers=markers,
            )

    def test_an_unknown_reference_is_a_404(self, world):
        alice = signed_in_client(world.alice, world.croydon)
        assert alice.get("/referrals/CRO-1999-9999/").status_code == 404
        assert alice.post("/referrals/CRO-1999-9999/screening/", {}).status_code == 404


class TestAttachments:
    def test_a_download_is_audited_and_served_as_an_attachment(self, world):
        referral = make_referral(
            world, attachments=[UploadedFile(name="strategy.pdf", content=PDF)]
        )
        with inside(world.croydon):
            attachment = Attachment.objects.get()
        path = f"/referrals/{referral.reference}/attachments/{attachment.uuid}/"
        alice = signed_in_client(world.alice, world.croydon)
        page = body(alice.get(f"/referrals/{referral.reference}/"))
        assert f'href="{path}"' in page
        assert "/media/" not in page and attachment.file.name not in page
        response = alice.get(path)
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="strategy.pdf"'
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == PDF
        with inside(world.croydon):
            event = AuditEvent.objects.get(action="attachment.downloaded")
        assert event.actor_label == "alice@croydon.example"
        assert event.object_ref == referral.reference
        assert event.detail == {"attachment": str(attachment.uuid)}

    def test_another_agency_or_partnership_gets_a_404(self, world):
        referral = make_referral(
            world, attachments=[UploadedFile(name="strategy.pdf", content=PDF)]
        )
        with inside(world.croydon):
            attachment = Attachment.objects.get()
        path = f"/referrals/{referral.reference}/attachments/{attachment.uuid}/"
        assert signed_in_client(world.frank, world.croydon).get(path).status_code == 404
        assert signed_in_client(world.erin, world.croydon).get(path).status_code == 404
        charlie = signed_in_client(world.charlie, world.lewisham)
        assert charlie.get(path).status_code == 404
        assert replay_on(charlie, world.croydon).get(path).status_code == 404
        other = f"/referrals/{referral.reference}/attachments/{world.met_lewisham.uuid}/"
        assert signed_in_client(world.alice, world.croydon).get(other).status_code == 404
        assert count(AuditEvent, world.croydon, action="attachment.downloaded") == 0

    def test_the_referrer_adds_a_file_later(self, world):
        referral = make_referral(world)
        bob = signed_in_client(world.bob, world.croydon)
        path = f"/referrals/{referral.reference}/attachments/"
        response = bob.post(path, {"file-attachment": SimpleUploadedFile("x.png", PDF)})
        assert "x.png is not a PDF" in body(response)
        response = bob.post(path, {"file-attachment": SimpleUploadedFile("note.pdf", PDF)})
        assert response.status_code == 302
        assert count(Attachment, world.croydon, original_name="note.pdf") == 1
        frank = signed_in_client(world.frank, world.croydon)
        response = frank.post(path, {"file-attachment": SimpleUploadedFile("n.pdf", PDF)})
        assert response.status_code == 404


class TestTriageList:
    def test_filters_apply_with_htmx_and_without(self, world):
        first = make_referral(world)
        second = make_referral(world, world.frank)
        with inside(world.croydon):
            Clock.objects.filter(referral__reference=second.reference).update(
                due=today() - datetime.timedelta(days=3)
            )
        alice = signed_in_client(world.alice, world.croydon)
        page = body(alice.get("/referrals/", {"overdue": "on"}))
        assert second.reference in page and first.reference not in page
        assert "Overdue" in page
        response = alice.get(
            "/referrals/", {"agency": str(world.met_croydon.uuid)}, HTTP_HX_REQUEST="true"
        )
        partial = body(response)
        assert partial.lstrip().startswith('<div id="results">')
        assert "<html" not in partial
        assert first.reference in partial and second.reference not in partial
        assert "HX-Request" in response["Vary"]
        page = body(alice.get("/referrals/", {"status": "decided"}))
        assert first.reference not in page and "No referrals match these filters." in page

    def test_the_query_count_does_not_grow_with_the_referrals(
        self, world, django_assert_max_num_queries
    ):
        for _ in range(3):
            make_referral(world)
        alice = signed_in_client(world.alice, world.croydon)
        alice.get("/referrals/")  # warm the session and the host cache
        with CaptureQueriesContext(connection) as three:
            assert alice.get("/referrals/").status_code == 200
        for _ in range(27):
            make_referral(world)
        with django_assert_max_num_queries(len(three.captured_queries)):
            page = body(alice.get("/referrals/"))
        assert page.count('href="/referrals/CRO-') == 30


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
        referral = make_referral(world)
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
        referral = make_referral(world)
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
            {"response-response": "Agrees with an LCSPR.", "response-responded_on": days_ago(0)},
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
        referral = make_referral(world)
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
        referral = make_referral(world)
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


class TestClocksAndDashboard:
    def test_the_clocks_board_groups_clocks_by_urgency(self, world):
        overdue = make_referral(world)
        later = make_referral(world)
        with inside(world.croydon):
            Clock.objects.filter(referral__reference=overdue.reference).update(
                due=today() - datetime.timedelta(days=7)
            )
            Clock.objects.filter(referral__reference=later.reference).update(
                due=today() + datetime.timedelta(days=30)
            )
        page = body(signed_in_client(world.carol, world.croydon).get("/clocks/"))
        overdue_table = re.search(r'id="clocks-overdue".*?</table>', page, re.S).group(0)
        later_table = re.search(r'id="clocks-later".*?</table>', page, re.S).group(0)
        assert overdue.reference in overdue_table and later.reference not in overdue_table
        assert later.reference in later_table
        assert "working days overdue" in overdue_table

    @pytest.mark.parametrize("who", ["bob", "erin"])
    def test_the_clocks_board_is_the_review_groups(self, world, who):
        assert (
            signed_in_client(getattr(world, who), world.croydon).get("/clocks/").status_code == 403
        )

    def test_the_dashboard_lists_clocks_needing_attention(self, world):
        references = [make_referral(world).reference for _ in range(6)]
        page = body(signed_in_client(world.alice, world.croydon).get("/dashboard/"))
        table = re.search(r'id="needs-attention".*?</table>', page, re.S).group(0)
        assert sum(reference in table for reference in references) == 5

    def test_the_navigation_shows_referrals_and_clocks_to_the_right_roles(self, world):
        def nav(user):
            page = body(signed_in_client(user, world.croydon).get("/dashboard/"))
            return re.search(r'<nav aria-label="Menu".*?</nav>', page, re.S).group(0)

        assert 'href="/referrals/"' in nav(world.dave) and 'href="/clocks/"' in nav(world.dave)
        assert 'href="/referrals/"' in nav(world.bob) and 'href="/clocks/"' not in nav(world.bob)
        assert 'href="/referrals/"' not in nav(world.erin)
