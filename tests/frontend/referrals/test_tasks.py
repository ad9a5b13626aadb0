"""The referral page's task list (issue 14, item 4): each step with its status, read from the
transition table — completed, in progress, cannot start yet, not applicable — refreshed when a
section's htmx form takes a step."""

import pytest

from casework import services
from tests.support.actors import actor_of
from tests.support.clients import signed_in_client
from tests.support.referrals import make_referral
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def tasks(page: str) -> dict[str, str]:
    """Each step's status on the page, by its key."""
    listed = page.split('id="task-list"')[1].split("</ul>")[0]
    found = {}
    for chunk in listed.split('data-task="')[1:]:
        key = chunk.split('"')[0]
        status = chunk.split(f'id="task-{key}-status">')[1].split("</div>")[0]
        found[key] = status.replace('<strong class="govuk-tag govuk-tag--light-blue">', "").replace(
            "</strong>", ""
        )
    return found


def page_of(client, referral) -> str:
    return client.get(f"/referrals/{referral.reference}/").content.decode()


def test_each_step_has_its_status_as_the_referral_moves_on(world):
    referral = make_referral(world)
    alice = signed_in_client(world.alice, world.croydon)
    assert tasks(page_of(alice, referral)) == {
        "screening": "In progress",
        "notification": "Cannot start yet",
        "rapid_review": "Cannot start yet",
        "panel_response": "Cannot start yet",
        "decision": "Cannot start yet",
        "decision_notices": "Cannot start yet",
    }
    answer = alice.post(
        f"/referrals/{referral.reference}/screening/",
        {"screening-view_met": "yes", "screening-rationale": "Met."},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    # The htmx answer refreshes the task list with the status.
    assert tasks(answer)["screening"] == "Completed"
    assert tasks(answer)["notification"] == "In progress"
    answered = make_referral(world, step="panel_answered")
    assert tasks(page_of(alice, answered)) == {
        "screening": "Completed",
        "notification": "Completed",
        "rapid_review": "Completed",
        "panel_response": "Completed",
        "decision": "In progress",
        "decision_notices": "Cannot start yet",
    }


def test_steps_a_referral_did_not_take_are_not_applicable(world):
    referral = make_referral(world)
    with inside(world.croydon):
        services.screening_record(
            actor=actor_of(world.dave, world.croydon),
            referral=referral,
            view_met=False,
            rationale="An accident.",
            override_reason="The hospital found the injury accidental.",
        )
    page = page_of(signed_in_client(world.dave, world.croydon), referral)
    assert tasks(page) == {
        "screening": "Completed",
        "notification": "Not applicable",
        "rapid_review": "Not applicable",
        "panel_response": "Not applicable",
        "decision": "In progress",  # a local learning review may still be decided
        "decision_notices": "Not applicable",
    }
    # The agency sees where its referral stands, without links to the review group's sections.
    agency_page = page_of(signed_in_client(world.bob, world.croydon), referral)
    assert tasks(agency_page)["screening"] == "Completed"
    assert "govuk-task-list__link" not in agency_page


def test_each_step_has_a_page_of_its_own(world):
    referral = make_referral(world, step="screened")
    alice = signed_in_client(world.alice, world.croydon)
    overview = page_of(alice, referral)
    assert 'href="?step=notification"' in overview
    assert all(f'id="{s}"' in overview for s in ("screening", "notification", "decision"))
    step = alice.get(f"/referrals/{referral.reference}/?step=notification").content.decode()
    assert 'id="notification"' in step and 'id="panel-content"' in step
    for elsewhere in ("screening", "decision", "details", "timeline", "rapid_review"):
        assert f'id="{elsewhere}"' not in step
    assert tasks(step)["notification"] == "In progress" and 'id="whole-referral"' in step
    # Its form still answers with htmx, refreshing the step's section and the task list.
    answer = alice.post(
        f"/referrals/{referral.reference}/panel-notification/",
        {"panel-submitted_on": referral.aware_date.isoformat(), "panel-panel_reference": "P-1"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert tasks(answer)["notification"] == "Completed"
    # An unknown step is the whole referral.
    assert (
        'id="screening"' in alice.get(f"/referrals/{referral.reference}/?step=x").content.decode()
    )
