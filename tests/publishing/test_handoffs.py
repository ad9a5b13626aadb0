"""Publishing's hand-off (issue 13): a delayed publication due for review reminds the business
managers once a day, however often the daily job runs: the hand-off is the only email."""

import datetime

import pytest

from publishing import services
from tenants.clock import today
from tests.support.actors import actor, system
from tests.support.handoffs import assert_nothing_of_the_case, told
from tests.support.publications import FAMILY, GIVEN
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def test_a_delay_due_for_review_is_a_reminder_once_a_day(
    world, ready, django_capture_on_commit_callbacks
):
    review_on = today() + datetime.timedelta(days=30)
    with inside(world.croydon):
        services.publication_delay(
            actor=actor(world, "alice"),
            publication=ready,
            reason="Parallel criminal proceedings",
            review_on=review_on,
        )
        with told(django_capture_on_commit_callbacks) as sent:
            services.publications_daily(actor=system(world.croydon), day=review_on)
            services.publications_daily(actor=system(world.croydon), day=review_on)
    reminders = [e for e in sent.emails if "The delay is due for review today" in e.subject]
    assert [e.to for e in reminders] == [[world.alice.email]]
    assert sent.emails == reminders  # no second email from the job itself
    assert f"/publications/{ready.uuid}/" in reminders[0].body
    assert f"Due: {review_on.isoformat()}" in reminders[0].body
    assert_nothing_of_the_case(sent, GIVEN, FAMILY, "criminal")
