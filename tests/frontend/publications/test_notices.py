"""The publication page's notice and not-publishing forms on the web: a backdated notice refused
in the error summary, a change of date only with a reason, and the reasons for not publishing
recorded as sent, shown with who sent them."""

import datetime

import pytest

from publishing import services
from publishing.services import RecordInput
from tenants.clock import today
from tests.support.actors import actor
from tests.support.publications import client, refreshed
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


def notice_form(day: datetime.date, reason: str = "") -> dict:
    return {
        "notice-panel_sent_on": day.isoformat(),
        "notice-secretary_of_state_sent_on": day.isoformat(),
        "notice-ofsted_sent_on": day.isoformat(),
        "notice-change_reason": reason,
    }


def test_a_backdated_notice_is_refused_and_a_change_needs_a_reason(world, ready):
    alice, path = client(world, "alice"), f"/publications/{ready.uuid}/notice/"
    page = body(alice.get(f"/publications/{ready.uuid}/"))
    assert "nor before the report was uploaded" in page
    uploaded = today() - datetime.timedelta(days=30)
    response = alice.post(path, notice_form(uploaded - datetime.timedelta(days=1)))
    assert "There is a problem" in body(response)
    assert f"The date cannot be before {uploaded.isoformat()}" in body(response)
    response = alice.post(path, notice_form(today()))
    assert "Say why a date already recorded is changed" in body(response)
    response = alice.post(path, notice_form(today(), "The first copies were not delivered."))
    assert response.status_code == 302
    with inside(world.croydon):
        assert refreshed(ready).panel_sent_on == today()


def test_the_reasons_for_not_publishing_are_recorded_as_sent(world, ready, run_tasks):
    alice = actor(world, "alice")
    with inside(world.croydon):
        run_tasks(
            services.publication_record_update,
            actor=alice,
            publication=ready,
            data=RecordInput(title='Child "Joy"', improvements="Health visitors now share."),
        )
        services.publication_not_publish(
            actor=alice, publication=refreshed(ready), reason="The family's wishes"
        )
    web = client(world, "alice")
    page = body(web.get(f"/publications/{ready.uuid}/"))
    assert "Reasons for not publishing" in page and "reasons-reasons_panel_sent_on" in page
    path = f"/publications/{ready.uuid}/not-published/reasons-sent/"
    response = web.post(path, {"reasons-reasons_panel_sent_on": today().isoformat()})
    assert "Enter the date the reasons were sent." in body(response)
    response = web.post(
        path,
        {
            "reasons-reasons_panel_sent_on": today().isoformat(),
            "reasons-reasons_secretary_of_state_sent_on": today().isoformat(),
        },
    )
    assert response.status_code == 302
    page = body(web.get(f"/publications/{ready.uuid}/"))
    assert f"Sent to the Panel on {today().isoformat()}" in page
    assert "recorded by alice@croydon.example" in page
    # Only the partnership's leads: the review group sees the page, not the form.
    page = body(client(world, "dave").get(f"/publications/{ready.uuid}/"))
    assert "reasons-reasons_panel_sent_on" not in page
