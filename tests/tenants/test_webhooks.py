"""Delivering webhooks (tenants.notifications): retries on the same webhook-id with the first
within 10 seconds and about a day in all, switched off after persistent failure with the
agency's users told, "send again", a slow receiver not holding a worker beyond the timeout, and
the server-side request forgery checks (after DNS resolution; loopback only where allowed, and
never in production)."""

import os
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings

from safeguard.settings import base
from tenants.actors import actor_for_api_key
from tenants.agencies.models import AgencyApiKey
from tenants.notifications import outbound
from tenants.notifications.models import Webhook, WebhookDelivery
from tenants.notifications.webhooks import (
    webhook_create,
    webhook_deliver,
    webhook_delivery_resend,
)
from tests.support.actors import actor
from tests.support.clients import issue_key
from tests.support.handoffs import told
from tests.support.receivers import receiver
from tests.support.referrals import make_referral
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def met_webhook(world, url: str) -> Webhook:
    issue_key(world.croydon, world.met_croydon)
    with inside(world.croydon):
        key = AgencyApiKey.objects.filter(agency=world.met_croydon).first()
        webhook, _ = webhook_create(
            actor=actor_for_api_key(partnership=world.croydon, api_key=key),
            url=url,
            events=["referral.received"],
        )
    return webhook


class TestRetries:
    def test_the_schedule_retries_within_10_seconds_then_backs_off_for_a_day(self):
        delays = base.WEBHOOK_RETRY_DELAYS
        assert delays[0] <= 10
        assert list(delays) == sorted(delays)
        assert 20 * 3600 <= sum(delays) <= 26 * 3600

    def test_a_failing_receiver_gets_the_same_id_each_time_then_the_webhook_is_switched_off(
        self, world, django_capture_on_commit_callbacks
    ):
        with receiver(status=500) as failing:
            webhook = met_webhook(world, failing.url)
            with told(django_capture_on_commit_callbacks) as sent:
                make_referral(world)
        # One attempt and one retry per delay of the test settings, all the same message.
        attempts = 1 + len(django_settings.WEBHOOK_RETRY_DELAYS)
        assert len(failing.received) == attempts
        assert len(set(failing.ids)) == 1
        assert len({body for _, body in failing.received}) == 1
        with inside(world.croydon):
            delivery = WebhookDelivery.objects.get(webhook=webhook)
            assert delivery.state == WebhookDelivery.State.GIVEN_UP
            assert delivery.attempts == attempts and delivery.last_status == 500
            webhook.refresh_from_db()
            assert not webhook.is_active and "500" in webhook.disabled_reason
        (email,) = sent.to(world.bob.email)
        assert "switched off" in email.subject

    def test_send_again_delivers_the_same_message_to_a_receiver_that_recovered(
        self, world, django_capture_on_commit_callbacks
    ):
        with receiver(status=500) as flaky:
            webhook = met_webhook(world, flaky.url)
            with told(django_capture_on_commit_callbacks):
                make_referral(world)
            flaky.status = 200
            with inside(world.croydon):
                delivery = WebhookDelivery.objects.get(webhook=webhook)
                with told(django_capture_on_commit_callbacks):
                    webhook_delivery_resend(actor=actor(world, "alice"), delivery=delivery)
                delivery.refresh_from_db()
        assert delivery.state == WebhookDelivery.State.DELIVERED
        assert len(set(flaky.ids)) == 1 and flaky.ids[-1] == delivery.message_id

    def test_only_the_business_manager_sends_again(self, world):
        from django.core.exceptions import PermissionDenied

        webhook = met_webhook(world, "http://127.0.0.1:9/hooks")
        with inside(world.croydon):
            delivery = WebhookDelivery.objects.create(
                webhook=webhook, event_type="referral.received", message_id="msg_x", body="{}"
            )
            with pytest.raises(PermissionDenied):
                webhook_delivery_resend(actor=actor(world, "carol"), delivery=delivery)


class TestSlowReceiver:
    def test_a_slow_receiver_holds_the_worker_no_longer_than_the_timeout(self, world, settings):
        settings.WEBHOOK_TIMEOUT_SECONDS = 1.0
        with receiver(delay=8) as slow:
            webhook = met_webhook(world, slow.url)
            with inside(world.croydon):
                delivery = WebhookDelivery.objects.create(
                    webhook=webhook, event_type="referral.received", message_id="msg_s", body="{}"
                )
                started = time.monotonic()
                delay = webhook_deliver(delivery_uuid=str(delivery.uuid))
                took = time.monotonic() - started
                delivery.refresh_from_db()
        assert took < 2.5, took
        assert delay == django_settings.WEBHOOK_RETRY_DELAYS[0]
        assert delivery.state == WebhookDelivery.State.RETRYING
        assert "timed out" in delivery.last_error.lower()


def _resolving_to(monkeypatch, address: str) -> None:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET

    def fake(host, port, *args, **kwargs):
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(outbound.socket, "getaddrinfo", fake)


class TestForgery:
    @pytest.mark.parametrize(
        "address",
        [
            "127.0.0.1",
            "10.0.0.7",
            "172.16.4.4",
            "192.168.1.10",
            "169.254.169.254",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:10.0.0.1",
            "0.0.0.0",
            "100.64.0.1",
            "224.0.0.1",
        ],
    )
    def test_a_name_resolving_inside_is_refused(self, monkeypatch, settings, address):
        settings.WEBHOOKS_ALLOW_LOOPBACK = False
        _resolving_to(monkeypatch, address)
        with pytest.raises(outbound.UnsafeReceiver, match="resolves to"):
            outbound.receiver_check("https://hooks.agency.example/in")

    def test_a_public_address_over_https_passes_and_is_pinned(self, monkeypatch, settings):
        settings.WEBHOOKS_ALLOW_LOOPBACK = False
        _resolving_to(monkeypatch, "93.184.215.14")
        target = outbound.receiver_check("https://hooks.agency.example:8443/in?x=1")
        assert (target.address, target.port, target.path) == ("93.184.215.14", 8443, "/in?x=1")
        assert target.host == "hooks.agency.example"

    @pytest.mark.parametrize(
        "url",
        ["http://hooks.agency.example/in", "ftp://hooks.agency.example/", "https://u:p@h.example/"],
    )
    def test_only_https_without_credentials(self, monkeypatch, settings, url):
        settings.WEBHOOKS_ALLOW_LOOPBACK = False
        _resolving_to(monkeypatch, "93.184.215.14")
        with pytest.raises(outbound.UnsafeReceiver):
            outbound.receiver_check(url)

    def test_loopback_is_allowed_only_by_the_setting(self, settings):
        settings.WEBHOOKS_ALLOW_LOOPBACK = True
        assert outbound.receiver_check("http://127.0.0.1:9/x").address == "127.0.0.1"
        settings.WEBHOOKS_ALLOW_LOOPBACK = False
        with pytest.raises(outbound.UnsafeReceiver, match="loopback"):
            outbound.receiver_check("http://127.0.0.1:9/x")

    def test_an_unsafe_receiver_is_never_called(self, world, settings):
        with receiver() as local:
            webhook = met_webhook(world, local.url)
            settings.WEBHOOKS_ALLOW_LOOPBACK = False
            with inside(world.croydon):
                delivery = WebhookDelivery.objects.create(
                    webhook=webhook, event_type="referral.received", message_id="msg_u", body="{}"
                )
                webhook_deliver(delivery_uuid=str(delivery.uuid))
                delivery.refresh_from_db()
        assert local.received == []
        assert "loopback" in delivery.last_error

    def test_the_production_settings_refuse_loopback(self):
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "safeguard.settings.production",
            "SECRET_KEY": "x" * 50,
            "WEBHOOKS_ALLOW_LOOPBACK": "1",
        }
        result = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()"],
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode != 0
        assert "WEBHOOKS_ALLOW_LOOPBACK" in result.stderr
