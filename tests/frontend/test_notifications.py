"""The notification pages: each person's choices, the business manager's message log (sent and
failed, paginated in a fixed number of queries, its reading audited) and agencies' webhooks with
their delivery log and "send again"; nobody else's, nor another partnership's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants.agencies.models import AuditEvent
from tenants.notifications.models import Message, NotificationPreference
from tests.support.clients import signed_in_client
from tests.support.handoffs import told
from tests.support.isolation import assert_web_isolated
from tests.support.referrals import make_referral
from tests.support.world import inside

pytestmark = pytest.mark.django_db


class TestChoices:
    def test_each_person_chooses_per_kind_and_straight_away_is_the_default(self, world):
        client = signed_in_client(world.bob, world.croydon)
        page = client.get("/account/notifications/").content.decode()
        assert 'value="immediate" checked' in page.replace("\n", " ") or "checked" in page
        from tenants.handoffs import KINDS

        choices = {kind: "immediate" for kind in KINDS} | {"request": "digest"}
        assert client.post("/account/notifications/", choices).status_code == 302
        with inside(world.croydon):
            saved = NotificationPreference.objects.get(user_uuid=world.bob.uuid, kind="request")
        assert saved.delivery == "digest"
        with inside(world.lewisham):
            assert not NotificationPreference.objects.exists()

    def test_a_choice_that_is_not_offered_is_refused(self, world):
        client = signed_in_client(world.bob, world.croydon)
        response = client.post("/account/notifications/", {"request": "hourly"})
        assert response.status_code == 200
        assert "govuk-error-summary" in response.content.decode()


class TestMessageLog:
    def test_sent_and_failed_messages_are_shown_to_the_business_manager(
        self, world, settings, django_capture_on_commit_callbacks
    ):
        with told(django_capture_on_commit_callbacks):
            make_referral(world)
        settings.EMAIL_BACKEND = "tests.support.handoffs.FailingEmailBackend"
        with told(django_capture_on_commit_callbacks):
            failed = make_referral(world)
        client = signed_in_client(world.alice, world.croydon)
        page = client.get("/workspace/messages/").content.decode()
        assert page.count("alice@croydon.example") >= 2
        assert "Sent" in page and "Failed" in page
        assert "ConnectionRefusedError" in page and "after 5 attempts" in page
        with inside(world.croydon):
            message = Message.objects.get(subject__startswith=failed.reference)
            assert message.state == Message.State.FAILED and message.attempts == 5
            assert AuditEvent.objects.filter(action="messages.viewed").count() == 1

    def test_the_log_is_paginated_in_a_fixed_number_of_queries(self, world):
        client = signed_in_client(world.alice, world.croydon)

        def write(count):
            with inside(world.croydon):
                Message.objects.bulk_create(
                    Message(
                        kind="referral", recipient="a@croydon.example", subject=f"S{n}", body=""
                    )
                    for n in range(count)
                )

        write(3)
        client.get("/workspace/messages/")  # the session's first request does more
        with CaptureQueriesContext(connection) as few:
            assert client.get("/workspace/messages/").status_code == 200
        write(120)
        with CaptureQueriesContext(connection) as many:
            assert client.get("/workspace/messages/").status_code == 200
        assert len(many) == len(few)
        page = client.get("/workspace/messages/?page=2").content.decode()
        assert "123 messages" in page and 'aria-label="Page 3"' in page

    def test_nobody_else_sees_it(self, world):
        for who in (world.carol, world.bob, world.dave):
            assert (
                signed_in_client(who, world.croydon).get("/workspace/messages/").status_code == 404
            )
        assert_web_isolated(
            path="/workspace/messages/",
            owner=world.croydon,
            outsider=world.charlie,
            outsider_partnership=world.lewisham,
            markers=("alice@croydon.example",),
        )


class TestWebhookPages:
    def test_the_delivery_log_and_send_again(self, world, django_capture_on_commit_callbacks):
        from tenants.notifications.models import WebhookDelivery
        from tests.support.receivers import receiver

        with receiver(status=500) as failing:
            from tests.support.clients import api_client, issue_key

            met = api_client(world.croydon, issue_key(world.croydon, world.met_croydon))
            webhook_id = met.post(
                "/api/v1/webhooks/",
                {"url": failing.url, "events": ["referral.received"]},
                content_type="application/json",
            ).json()["id"]
            with told(django_capture_on_commit_callbacks):
                make_referral(world)
            client = signed_in_client(world.alice, world.croydon)
            listing = client.get("/workspace/webhooks/").content.decode()
            assert failing.url in listing and "Met Police" in listing
            log = client.get(f"/workspace/webhooks/{webhook_id}/").content.decode()
            with inside(world.croydon):
                delivery = WebhookDelivery.objects.get(webhook__uuid=webhook_id)
            assert delivery.message_id in log and "Given up" in log and "Send again" in log
            failing.status = 204
            with told(django_capture_on_commit_callbacks):
                response = client.post(
                    f"/workspace/webhooks/{webhook_id}/deliveries/{delivery.uuid}/send-again/"
                )
            assert response.status_code == 302
        with inside(world.croydon):
            delivery.refresh_from_db()
        assert delivery.state == WebhookDelivery.State.DELIVERED
        assert_web_isolated(
            path=f"/workspace/webhooks/{webhook_id}/",
            owner=world.croydon,
            outsider=world.charlie,
            outsider_partnership=world.lewisham,
            markers=(failing.url, delivery.message_id),
            object_page=True,
        )
        assert (
            signed_in_client(world.carol, world.croydon)
            .get(f"/workspace/webhooks/{webhook_id}/")
            .status_code
            == 404
        )
