"""Webhook deliveries in a real worker process (one task at a time, as ``make run``'s): a
receiver that never answers holds the worker no longer than ``WEBHOOK_TIMEOUT_SECONDS`` (2 s in
the test settings), and the delivery queued behind it goes out straight after."""

import time
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import tenant_context

from safeguard.celery import app as celery_app
from tenants.notifications.models import Webhook, WebhookDelivery
from tenants.notifications.outbound import secret_new
from tenants.notifications.tasks import webhook_deliver_task
from tenants.services import partnership_create
from tests.support.receivers import receiver
from tests.support.workers import worker_process
from tests.support.world import inside, make_agency

SLOW_SECONDS = 20


@pytest.fixture
def committed_agency(django_db_setup, django_db_blocker):
    """A partnership and agency whose rows are committed, for a worker to see; dropped after."""
    with django_db_blocker.unblock():
        partnership = partnership_create(key="hooks-e2e", name="Webhooks End-to-End Partnership")
        agency = make_agency(partnership, "Met Police")
    yield partnership, agency
    with django_db_blocker.unblock():
        partnership.delete(force_drop=True)
        connection.set_schema_to_public()


def _delivery(agency, url: str) -> WebhookDelivery:
    webhook = Webhook.objects.create(
        agency=agency, url=url, events=["referral.received"], secret=secret_new()
    )
    return WebhookDelivery.objects.create(
        webhook=webhook,
        event_type="referral.received",
        message_id=f"msg_{uuid.uuid4().hex}",
        body='{"type":"referral.received","data":{"reference":"HOO-2026-0001"}}',
    )


@pytest.mark.worker
@pytest.mark.committed
def test_a_slow_receiver_does_not_hold_a_real_worker_beyond_the_timeout(
    committed_agency, django_db_blocker, monkeypatch
):
    partnership, agency = committed_agency
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    queue = f"test-{uuid.uuid4().hex[:12]}"
    # As in production: the retry it sends goes to the broker, not run inside the task.
    worker = worker_process(queue, SAFEGUARD_EAGER_TASKS="0")
    try:
        with receiver(delay=SLOW_SECONDS) as slow, receiver() as fast:
            with django_db_blocker.unblock(), tenant_context(partnership):
                held = _delivery(agency, slow.url)
                behind = _delivery(agency, fast.url)
                webhook_deliver_task.apply_async(args=[str(held.uuid)], queue=queue)
                webhook_deliver_task.apply_async(args=[str(behind.uuid)], queue=queue)
            connection.set_schema_to_public()
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and not fast.received:
                time.sleep(0.05)
            fast_at = time.monotonic()
            assert fast.received, "the delivery behind the slow one never came"
            assert slow.received, "the slow receiver was never called"
            # The slow receiver was called first, and answers only after 20 s: the fast one was
            # reached within the 2 s timeout (and a task's start) of it.
            waited = fast_at - slow.arrivals[0]
            assert waited < settings.WEBHOOK_TIMEOUT_SECONDS + 4, waited
        with django_db_blocker.unblock(), inside(partnership):
            held.refresh_from_db()
            behind.refresh_from_db()
        assert behind.state == WebhookDelivery.State.DELIVERED
        assert held.state in (WebhookDelivery.State.RETRYING, WebhookDelivery.State.GIVEN_UP)
        assert "timed out" in held.last_error.lower()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
