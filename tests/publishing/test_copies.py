"""Requests for a copy of a publication no longer online, in the services: approved with a link
that works once, expired, refused with a reason, throttled from one address, and bad requests
naming each field."""

import datetime
import hashlib
import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from publishing import selectors, services
from publishing.models import CopyRequest, PublicDownload
from tenants.agencies.models import AuditEvent
from tests.support.actors import actor, system
from tests.support.publications import published, refreshed
from tests.support.world import inside

pytestmark = pytest.mark.django_db


class TestCopies:
    @pytest.fixture
    def on_request(self, world, ready):
        published(world, ready)
        with inside(world.croydon):
            later = refreshed(ready).online_until + datetime.timedelta(days=1)
            services.publications_daily(actor=system(world.croydon), day=later)
            return refreshed(ready)

    def ask(self, world, publication, address="203.0.113.9", email="researcher@uni.example"):
        with inside(world.croydon):
            publication = refreshed(publication)
            return services.copy_request_create(
                actor=system(world.croydon),
                publication=publication,
                document_uuid=publication.documents.get(is_public=True).uuid,
                name="Rae Searcher",
                email=email,
                organisation="A University",
                reason="Research on neglect",
                client_address=address,
            )

    def test_a_request_is_approved_and_the_link_works_once(
        self, world, on_request, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            request = self.ask(world, on_request)
        assert mail.outbox[-1].to == ["alice@croydon.example"]
        with inside(world.croydon):
            with pytest.raises(PermissionDenied):
                services.copy_request_decide(
                    actor=actor(world, "carol"), copy_request=request, approve=True, reason=""
                )
            with django_capture_on_commit_callbacks(execute=True):
                services.copy_request_decide(
                    actor=actor(world, "alice"), copy_request=request, approve=True, reason=""
                )
        email = mail.outbox[-1]
        assert email.to == ["researcher@uni.example"] and 'Child "Joy"' in email.subject
        token = email.body.split("/reviews/copies/")[1].split("/")[0]
        with inside(world.croydon):
            request.refresh_from_db()
            assert request.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
            assert token not in json.dumps(
                list(AuditEvent.objects.values_list("detail", flat=True))
            )
            document, content = services.copy_link_download(
                actor=system(world.croydon), token=token
            )
            assert hashlib.sha256(content).hexdigest() == document.sha256
            with pytest.raises(ValidationError, match="used"):
                services.copy_link_download(actor=system(world.croydon), token=token)
            assert PublicDownload.objects.filter(via="copy_link").count() == 1

    def test_an_expired_link_gives_nothing(
        self, world, on_request, django_capture_on_commit_callbacks
    ):
        request = self.ask(world, on_request)
        with inside(world.croydon), django_capture_on_commit_callbacks(execute=True):
            services.copy_request_decide(
                actor=actor(world, "alice"), copy_request=request, approve=True, reason=""
            )
        token = mail.outbox[-1].body.split("/reviews/copies/")[1].split("/")[0]
        with inside(world.croydon):
            CopyRequest.objects.filter(pk=request.pk).update(
                link_expires_at=request.received_at - datetime.timedelta(seconds=1)
            )
            assert selectors.copy_link_state(token=token).state == "expired"
            with pytest.raises(ValidationError, match="expired"):
                services.copy_link_download(actor=system(world.croydon), token=token)

    def test_a_refusal_needs_a_reason_and_tells_the_requester(
        self, world, on_request, django_capture_on_commit_callbacks
    ):
        request = self.ask(world, on_request)
        with inside(world.croydon):
            with pytest.raises(ValidationError):
                services.copy_request_decide(
                    actor=actor(world, "alice"), copy_request=request, approve=False, reason=""
                )
            with django_capture_on_commit_callbacks(execute=True):
                services.copy_request_decide(
                    actor=actor(world, "alice"),
                    copy_request=request,
                    approve=False,
                    reason="Court order",
                )
        assert "Court order" in mail.outbox[-1].body
        assert "/reviews/copies/" not in mail.outbox[-1].body

    def test_requests_are_only_for_publications_no_longer_online(self, world, ready):
        published(world, ready)
        with pytest.raises(ValidationError, match="online"):
            self.ask(world, ready)

    def test_a_flood_from_one_address_is_throttled(self, world, on_request):
        for n in range(services.REQUESTS_PER_ADDRESS_PER_HOUR):
            self.ask(world, on_request, email=f"person{n}@example.org")
        with pytest.raises(services.CopyRequestThrottled):
            self.ask(world, on_request, email="another@example.org")
        with inside(world.croydon):
            assert CopyRequest.objects.count() == services.REQUESTS_PER_ADDRESS_PER_HOUR
        # Another address, the same email: three a day.
        for n in range(services.REQUESTS_PER_EMAIL_PER_DAY):
            self.ask(world, on_request, address=f"198.51.100.{n}", email="same@example.org")
        with pytest.raises(services.CopyRequestThrottled):
            self.ask(world, on_request, address="198.51.100.99", email="same@example.org")

    def test_bad_requests_name_each_field(self, world, on_request):
        with inside(world.croydon), pytest.raises(ValidationError) as error:
            services.copy_request_create(
                actor=system(world.croydon),
                publication=on_request,
                document_uuid="not-a-uuid",
                name="",
                email="nope",
                organisation="",
                reason="",
                client_address="203.0.113.1",
            )
        assert set(error.value.message_dict) == {"document", "name", "email", "reason"}
