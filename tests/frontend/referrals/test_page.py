"""The referral page on the web: who sees it (the review group and the referring agency; not a
lead reviewer, another agency or another partnership), and its files, downloaded through an
audited view and added later."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.models import Attachment
from tenants.agencies.models import AuditEvent
from tenants.files import UploadedFile
from tests.support.clients import replay_on, signed_in_client
from tests.support.isolation import assert_web_isolated
from tests.support.referrals import FAMILY_NAME, make_referral
from tests.support.world import inside

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def body(response) -> str:
    return response.content.decode()


def count(model, partnership, **filters) -> int:
    with inside(partnership):
        return model.objects.filter(**filters).count()


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


def test_the_panel_notification_copy_names_each_agency_once(world):
    """Issue 14: the referrer named itself among the agencies involved, and the copy block for
    the Panel's form listed it twice."""
    referral = make_referral(world)
    with inside(world.croydon):
        referral.agencies_involved.add(world.met_croydon)
        referral.other_agencies_involved = ["Croydon Council", "croydon council", "met police"]
        referral.save(update_fields=["other_agencies_involved"])
    page = body(
        signed_in_client(world.alice, world.croydon).get(f"/referrals/{referral.reference}/")
    )
    copy = page.split('id="panel-content"')[1].split("</dl>")[0]
    agencies = copy.split("Agencies involved")[1].split("</dd>")[0]
    assert agencies.count("Met Police") == 1 and agencies.lower().count("met police") == 1
    assert agencies.count("NHS Croydon Health Services") == 1
    assert agencies.lower().count("croydon council") == 1
