"""The hand-offs' outbox (tenants.handoffs, tenants.notifications): a row written in the change's
own transaction (none if it rolls back), its task sent only after commit to the schema it was
written in, worked once however often it is sent, and swept up when its task was lost."""

import datetime

import pytest
from django.db import transaction

from tenants import handoffs
from tenants.agencies.audit import audit_event_record
from tenants.clock import now
from tenants.notifications.models import HandoffEvent, Message
from tenants.notifications.services import handoff_dispatch, handoffs_sweep
from tests.support.actors import actor
from tests.support.handoffs import told
from tests.support.referrals import make_referral
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def test_only_registered_actions_write_an_outbox_row(world):
    assert {"referral.created", "action.added", "publication.delay_review_due"} <= (
        handoffs.registered_actions()
    )
    with inside(world.croydon):
        audit_event_record(actor=actor(world, "alice"), action="referrals.listed")
        assert not HandoffEvent.objects.exists()


def test_the_row_goes_with_its_transaction_and_the_task_only_after_commit(
    world, django_capture_on_commit_callbacks
):
    with inside(world.croydon):
        with (
            django_capture_on_commit_callbacks(execute=False) as callbacks,
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            audit_event_record(
                actor=actor(world, "bob"), action="referral.created", object_ref="CRO-X"
            )
            raise RuntimeError("the change fails")
        assert not HandoffEvent.objects.exists()
        assert callbacks == []
    with inside(world.lewisham):
        assert not HandoffEvent.objects.exists()


def test_a_row_is_worked_once_however_often_its_task_runs(
    world, django_capture_on_commit_callbacks
):
    with told(django_capture_on_commit_callbacks) as sent:
        make_referral(world)
    with inside(world.croydon):
        event = HandoffEvent.objects.get()
        assert event.state == HandoffEvent.State.DONE
        assert handoff_dispatch(event_uuid=str(event.uuid)) == 0
        assert Message.objects.count() == 1
    assert len(sent.emails) == 1


def test_the_sweeper_sends_again_a_row_whose_task_was_lost_then_gives_up(
    world, django_capture_on_commit_callbacks
):
    make_referral(world)  # its task is never sent: the callbacks are not run
    with inside(world.croydon):
        HandoffEvent.objects.update(created_at=now() - datetime.timedelta(minutes=6))
        lost = HandoffEvent.objects.create(
            action="referral.created", object_ref="CRO-2026-9999", attempts=3
        )
        HandoffEvent.objects.filter(pk=lost.pk).update(
            created_at=now() - datetime.timedelta(hours=1)
        )
        with told(django_capture_on_commit_callbacks) as sent:
            assert handoffs_sweep() == 1
        assert handoffs_sweep() == 0
        states = dict(HandoffEvent.objects.values_list("object_ref", "state"))
    assert states["CRO-2026-9999"] == HandoffEvent.State.FAILED
    assert list(states.values()).count(HandoffEvent.State.DONE) == 1
    assert sent.recipients == {world.alice.email}


def test_the_tasks_refuse_to_run_without_a_partnership(world):
    from safeguard.celery import PartnershipMissing
    from tenants.notifications import tasks

    for task in (
        tasks.handoff_dispatch_task,
        tasks.message_send_task,
        tasks.webhook_deliver_task,
    ):
        with pytest.raises(PartnershipMissing):
            task.apply(args=["00000000-0000-0000-0000-000000000000"], throw=True)
    for task in (tasks.digests_send_task, tasks.handoffs_sweep_task):
        with pytest.raises(PartnershipMissing):
            task.apply(throw=True)
