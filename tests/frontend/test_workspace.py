"""The business manager's workspace: agencies, members, API keys, the audit trail pages."""

import re

import pytest
from django.core import mail

from tenants.agencies.models import Agency, AgencyApiKey, AuditEvent
from tenants.models import Membership, User
from tests.support.clients import issue_key, signed_in_client
from tests.support.isolation import assert_row_only_in, assert_web_isolated
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def audit_actions(partnership) -> list[str]:
    with inside(partnership):
        return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


class TestAgencies:
    def test_business_manager_adds_an_agency_and_it_is_audited(self, world):
        client = signed_in_client(world.alice, world.croydon)
        response = client.post(
            "/workspace/agencies/", {"name": "  Croydon   Schools  ", "kind": "education"}
        )
        assert response.status_code == 302
        with inside(world.croydon):
            agency = Agency.objects.get(name="Croydon Schools")
            event = AuditEvent.objects.get(action="agency.created", object_ref=str(agency.uuid))
        assert event.actor_label == "alice@croydon.example"
        assert event.actor_role == "business_manager"
        assert event.host == "croydon.localhost"
        assert event.partnership_key == "croydon"
        assert event.request_id
        assert_row_only_in("croydon", "workspace_agency", "uuid", agency.uuid)

    def test_htmx_add_returns_only_the_section(self, world):
        client = signed_in_client(world.alice, world.croydon)
        response = client.post(
            "/workspace/agencies/",
            {"name": "Safer London", "kind": "voluntary"},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        body = response.content.decode()
        assert body.lstrip().startswith('<div id="agencies">')
        assert "Safer London" in body
        assert "<html" not in body

    def test_a_duplicate_name_is_refused_whatever_its_case(self, world):
        client = signed_in_client(world.alice, world.croydon)
        response = client.post("/workspace/agencies/", {"name": "met police", "kind": "police"})
        assert response.status_code == 200
        assert "There is already an agency called" in response.content.decode()
        with inside(world.croydon):
            assert Agency.objects.filter(name__iexact="met police").count() == 1

    def test_an_empty_name_shows_the_error_summary_and_saves_nothing(self, world):
        client = signed_in_client(world.alice, world.croydon)
        with inside(world.croydon):
            before = Agency.objects.count()
        response = client.post("/workspace/agencies/", {"name": "", "kind": "police"})
        body = response.content.decode()
        assert "govuk-error-summary" in body
        with inside(world.croydon):
            assert Agency.objects.count() == before

    def test_html_in_a_name_is_shown_as_text(self, world):
        client = signed_in_client(world.alice, world.croydon)
        client.post("/workspace/agencies/", {"name": "<script>alert(1)</script>", "kind": "other"})
        body = client.get("/workspace/agencies/").content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body

    def test_business_manager_edits_an_agency(self, world):
        client = signed_in_client(world.alice, world.croydon)
        path = f"/workspace/agencies/{world.nhs_croydon.uuid}/"
        response = client.post(
            path, {"name": "NHS Croydon Health Services", "kind": "health", "is_active": ""}
        )
        assert response.status_code == 302
        with inside(world.croydon):
            assert Agency.objects.get(pk=world.nhs_croydon.pk).is_active is False
        assert "agency.changed" in audit_actions(world.croydon)

    @pytest.mark.parametrize("who", ["bob", "carol", "dave", "erin", "frank"])
    def test_other_roles_may_not_manage_agencies(self, world, who):
        client = signed_in_client(getattr(world, who), world.croydon)
        assert client.get("/workspace/agencies/").status_code == 403
        response = client.post("/workspace/agencies/", {"name": "Sneaky", "kind": "other"})
        assert response.status_code == 403
        with inside(world.croydon):
            assert not Agency.objects.filter(name="Sneaky").exists()

    def test_another_partnership_never_sees_croydons_agencies(self, world):
        client = signed_in_client(world.alice, world.croydon)
        assert "NHS Croydon Health Services" in client.get("/workspace/agencies/").content.decode()
        assert_web_isolated(
            path="/workspace/agencies/",
            owner=world.croydon,
            outsider=world.charlie,
            outsider_partnership=world.lewisham,
            markers=["NHS Croydon Health Services"],
        )
        assert_web_isolated(
            path=f"/workspace/agencies/{world.nhs_croydon.uuid}/",
            owner=world.croydon,
            outsider=world.charlie,
            outsider_partnership=world.lewisham,
            markers=["NHS Croydon Health Services"],
            object_page=True,
        )

    def test_an_unknown_or_malformed_agency_is_a_404(self, world):
        client = signed_in_client(world.alice, world.croydon)
        assert client.get(f"/workspace/agencies/{world.met_lewisham.uuid}/").status_code == 404
        assert client.get("/workspace/agencies/not-a-uuid/").status_code == 404


class TestApiKeys:
    def test_a_key_is_shown_once_and_only_its_hash_is_kept(self, world):
        client = signed_in_client(world.alice, world.croydon)
        response = client.post(
            "/workspace/api-keys/",
            {"agency": str(world.met_croydon.uuid), "name": "Niche RMS", "expires_on": ""},
        )
        body = response.content.decode()
        key = re.search(r'id="api-key-value">([^<]+)<', body).group(1)
        with inside(world.croydon):
            api_key = AgencyApiKey.objects.get(name="Niche RMS")
            assert key not in (api_key.hashed_key, api_key.id)
            assert api_key.is_valid(key)
        assert key not in client.get("/workspace/api-keys/").content.decode()
        whoami = client.get("/api/v1/whoami/", HTTP_AUTHORIZATION=f"Api-Key {key}")
        assert whoami.json()["agency"]["name"] == "Met Police"

    def test_revoking_a_key_closes_the_api_to_it(self, world):
        key = issue_key(world.croydon, world.met_croydon)
        client = signed_in_client(world.alice, world.croydon)
        with inside(world.croydon):
            api_key = AgencyApiKey.objects.get(prefix=key.split(".")[0])
        response = client.post(
            f"/workspace/api-keys/{api_key.uuid}/revoke/", {"reason": "laptop stolen"}
        )
        assert response.status_code == 302
        api = client.get("/api/v1/whoami/", HTTP_AUTHORIZATION=f"Api-Key {key}")
        assert api.status_code == 401
        with inside(world.croydon):
            event = AuditEvent.objects.get(action="api_key.revoked")
        assert event.detail["reason"] == "laptop stolen"

    def test_a_past_expiry_date_is_refused(self, world):
        client = signed_in_client(world.alice, world.croydon)
        response = client.post(
            "/workspace/api-keys/",
            {"agency": str(world.met_croydon.uuid), "name": "x", "expires_on": "2020-01-01"},
        )
        assert "The expiry date must be in the future." in response.content.decode()
        with inside(world.croydon):
            assert not AgencyApiKey.objects.exists()

    def test_the_key_list_is_audited_and_isolated(self, world):
        key = issue_key(world.croydon, world.met_croydon, name="Croydon police system")
        client = signed_in_client(world.alice, world.croydon)
        assert "Croydon police system" in client.get("/workspace/api-keys/").content.decode()
        assert "api_keys.viewed" in audit_actions(world.croydon)
        assert_web_isolated(
            path="/workspace/api-keys/",
            owner=world.croydon,
            outsider=world.charlie,
            outsider_partnership=world.lewisham,
            markers=["Croydon police system", key.split(".")[0]],
        )

    @pytest.mark.parametrize("who", ["bob", "carol", "dave", "erin"])
    def test_only_the_business_manager_issues_keys(self, world, who):
        client = signed_in_client(getattr(world, who), world.croydon)
        response = client.post(
            "/workspace/api-keys/", {"agency": str(world.met_croydon.uuid), "name": "x"}
        )
        assert response.status_code == 403
        with inside(world.croydon):
            assert not AgencyApiKey.objects.exists()


class TestMembers:
    def test_inviting_someone_new_emails_a_single_use_link(
        self, world, django_capture_on_commit_callbacks
    ):
        client = signed_in_client(world.alice, world.croydon)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/workspace/members/",
                {
                    "email": "New.Person@Croydon.example",
                    "full_name": "New Person",
                    "role": "review_group_member",
                    "agency": "",
                },
            )
        assert response.status_code == 302
        user = User.objects.get(email="new.person@croydon.example")
        assert not user.has_usable_password()
        assert len(mail.outbox) == 1
        link = re.search(r"http://\S+", mail.outbox[0].body).group(0)
        assert link.startswith("http://croydon.localhost")
        path = link.split("croydon.localhost", 1)[1].lstrip(":0123456789")

        # The link works only on Croydon's host, and only once.
        other = signed_in_client(world.charlie, world.lewisham)
        assert other.get(path).status_code == 404

        anonymous = client.__class__(HTTP_HOST="croydon.localhost")
        assert anonymous.get(path).status_code == 200
        new_password = "a long enough passphrase 2026"
        response = anonymous.post(
            path, {"new_password1": new_password, "new_password2": new_password}
        )
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.check_password(new_password)
        assert anonymous.get(path).status_code == 404
        actions = audit_actions(world.croydon)
        assert "membership.granted" in actions and "invitation.sent" in actions

    def test_the_invitation_task_sends_once_when_run_twice(
        self, world, django_capture_on_commit_callbacks
    ):
        from tenants.tasks import membership_invitation_send

        client = signed_in_client(world.alice, world.croydon)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                "/workspace/members/",
                {"email": "twice@croydon.example", "full_name": "T", "role": "chair", "agency": ""},
            )
        membership = Membership.objects.get(user__email="twice@croydon.example")
        with inside(world.croydon):
            assert membership_invitation_send.apply(args=[str(membership.uuid)]).get() is False
        assert len(mail.outbox) == 1

    def test_an_agency_user_must_name_an_agency(self, world):
        client = signed_in_client(world.alice, world.croydon)
        response = client.post(
            "/workspace/members/",
            {"email": "x@met.example", "full_name": "X", "role": "agency_user", "agency": ""},
        )
        assert "An agency user must name their agency." in response.content.decode()
        assert not User.objects.filter(email="x@met.example").exists()

    def test_someone_from_another_partnership_is_added_without_a_new_account(self, world):
        client = signed_in_client(world.alice, world.croydon)
        client.post(
            "/workspace/members/",
            {
                "email": "charlie@lewisham.example",
                "full_name": "",
                "role": "lead_reviewer",
                "agency": "",
            },
        )
        assert Membership.objects.filter(user=world.charlie).count() == 2
        assert world.charlie.has_usable_password()

    def test_an_existing_member_cannot_be_added_twice(self, world):
        client = signed_in_client(world.alice, world.croydon)
        response = client.post(
            "/workspace/members/",
            {"email": "bob@met.example", "full_name": "", "role": "chair", "agency": ""},
        )
        assert "is already a member here" in response.content.decode()
        assert Membership.objects.get(user=world.bob).role == "agency_user"

    def test_members_page_is_isolated(self, world):
        client = signed_in_client(world.alice, world.croydon)
        assert "bob@met.example" in client.get("/workspace/members/").content.decode()
        assert_web_isolated(
            path="/workspace/members/",
            owner=world.croydon,
            outsider=world.charlie,
            outsider_partnership=world.lewisham,
            markers=["bob@met.example"],
        )


class TestAuditTrailPage:
    @pytest.mark.parametrize("who", ["alice", "carol"])
    def test_manager_and_chair_read_the_trail_and_the_reading_is_recorded(self, world, who):
        signed_in_client(world.alice, world.croydon).post(
            "/workspace/agencies/", {"name": "Croydon Schools", "kind": "education"}
        )
        client = signed_in_client(getattr(world, who), world.croydon)
        response = client.get("/workspace/audit/?action=agency")
        body = response.content.decode()
        assert response.status_code == 200
        assert "agency.created" in body
        with inside(world.croydon):
            viewed = AuditEvent.objects.filter(action="audit_trail.viewed").latest("id")
        assert viewed.actor_label == getattr(world, who).email
        assert viewed.detail == {"action": "agency"}

    @pytest.mark.parametrize("who", ["bob", "dave", "erin", "frank"])
    def test_other_roles_do_not_see_the_trail(self, world, who):
        client = signed_in_client(getattr(world, who), world.croydon)
        assert client.get("/workspace/audit/").status_code == 404

    def test_the_trail_is_isolated(self, world):
        signed_in_client(world.alice, world.croydon).post(
            "/workspace/agencies/", {"name": "Croydon Schools", "kind": "education"}
        )
        assert_web_isolated(
            path="/workspace/audit/",
            owner=world.croydon,
            outsider=world.charlie,
            outsider_partnership=world.lewisham,
            markers=["alice@croydon.example", "Croydon Schools"],
        )

    def test_queries_do_not_grow_with_the_trail(self, world, django_assert_max_num_queries):
        client = signed_in_client(world.alice, world.croydon)
        with inside(world.croydon):
            for n in range(5):
                AuditEvent.objects.create(
                    partnership_key="croydon", actor_type="system", actor_label="t", action=f"a{n}"
                )
        with django_assert_max_num_queries(12) as small:
            client.get("/workspace/audit/")
        with inside(world.croydon):
            AuditEvent.objects.bulk_create(
                AuditEvent(
                    partnership_key="croydon", actor_type="system", actor_label="t", action=f"b{n}"
                )
                for n in range(200)
            )
        with django_assert_max_num_queries(len(small.captured_queries)):
            response = client.get("/workspace/audit/")
        assert "Page 1 of" in response.content.decode()
