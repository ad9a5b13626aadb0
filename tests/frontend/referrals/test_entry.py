"""The referral form and the triage list on the web: who may refer and for which agency, errors
shown where they belong and nothing saved, files checked and stored with the referral, the
list's filters with htmx and without, in the same queries however many referrals."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from casework.models import Attachment, Clock, Referral
from tenants.clock import today
from tests.support.clients import signed_in_client
from tests.support.isolation import assert_row_only_in
from tests.support.referrals import FAMILY_NAME, child, days_ago, make_referral, referral_form
from tests.support.world import inside

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


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
                "id_aware_date_0",
            ),
            (
                {"incident_date": days_ago(-3)},
                None,
                "The date of the incident cannot be in the future.",
                "id_incident_date_0",
            ),
            ({}, [], "Name at least one child.", "id_child-1-given_name"),
            (
                {},
                [child(date_of_birth=days_ago(5))],
                "Child 1 was born after the incident: check both dates.",
                "id_child-1-date_of_birth",
            ),
            (
                {"incident_date_0": "31", "incident_date_1": "2", "incident_date_2": "2026"},
                None,
                "Date of the incident must be a real date.",
                "id_incident_date_0",
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


class TestTheRules:
    TRANSITION = {
        "incident_date": "2019-09-27",
        "aware_date": "2019-09-29",
        "regime": "scr2015",
        "working_together_concern": "yes",
    }

    def test_the_business_manager_chooses_the_transitions_other_rules_with_a_reason(self, world):
        alice = signed_in_client(world.alice, world.croydon)
        assert 'name="regime"' in body(alice.get("/referrals/new/"))
        data = referral_form(
            agency=str(world.met_croydon.uuid),
            children=[child(date_of_birth="2012-01-01")],
            **self.TRANSITION,
        )
        page = body(alice.post("/referrals/new/", data))
        assert '<a href="#id_regime_reason">Give the reason for choosing these rules.</a>' in page
        assert count(Referral, world.croydon) == 0
        data["regime_reason"] = "The LSCB began the serious case review before it was replaced."
        assert alice.post("/referrals/new/", data).status_code == 302
        with inside(world.croydon):
            referral = Referral.objects.get()
            assert (referral.regime, referral.working_together_concern) == ("scr2015", True)
        page = body(alice.get(f"/referrals/{referral.reference}/"))
        assert "Chosen by the business manager: The LSCB began" in page

    def test_an_agency_user_is_not_offered_the_rules(self, world):
        bob = signed_in_client(world.bob, world.croydon)
        assert 'name="regime"' not in body(bob.get("/referrals/new/"))
        data = referral_form(children=[child(date_of_birth="2012-01-01")], **self.TRANSITION)
        assert bob.post("/referrals/new/", data).status_code == 302
        with inside(world.croydon):
            assert Referral.objects.get().regime == "csprr2018"  # the default that day
