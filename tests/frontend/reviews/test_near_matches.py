"""On the web, a reviewer's affiliation chosen from the agencies register, and a free-text one
that is nearly an agency on the case: the near match is a warning only the chair answers, with
a reason shown on the review."""

import datetime

import pytest

from casework.models import Affiliation, ReviewerAppointment
from casework.services import AffiliationInput
from tests.support.review_pages import client, erin_profile, error_summary
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


def test_an_affiliation_is_chosen_from_the_register(world, review):
    alice = client(world, "alice")
    page = body(alice.get(f"/case-reviews/{review.reference}/?reviewer={world.erin.uuid}"))
    assert "Agency, from the register" in page and "Not in the register" in page
    response = alice.post(
        f"/case-reviews/{review.reference}/reviewers/profile/",
        {
            "profile-reviewer": str(world.erin.uuid),
            "profile-name": "Erin Reviewer",
            "affiliation-1-agency": str(world.met_croydon.uuid),
            "affiliation-1-started_on": "2015-01-01",
        },
    )
    assert response.status_code == 302
    page = body(alice.get(response["Location"]))
    assert "Erin Reviewer worked for Met Police (2015-01-01 to now)" in page
    with inside(world.croydon):
        assert Affiliation.objects.get().agency == world.met_croydon
    # Another partnership's agency is not in this register: refused, with its row named.
    response = alice.post(
        f"/case-reviews/{review.reference}/reviewers/profile/",
        {
            "profile-reviewer": str(world.erin.uuid),
            "profile-name": "Erin Reviewer",
            "affiliation-1-agency": str(world.met_lewisham.uuid),
            "affiliation-1-started_on": "2015-01-01",
        },
    )
    assert "Select a valid choice" in error_summary(body(response))


def test_only_the_chair_answers_a_near_match(world, review):
    erin_profile(
        world, [AffiliationInput("Croydon Health Services NHS", datetime.date(2018, 1, 1))]
    )
    ref, erin = review.reference, str(world.erin.uuid)
    alice = client(world, "alice")
    page = body(alice.get(f"/case-reviews/{ref}/?reviewer={erin}"))
    assert "Near matches to answer" in page
    assert "close to NHS Croydon Health Services on this case" in page
    assert "Only the chair can confirm their independence" in page
    assert "appoint-independence_reason" not in page
    response = alice.post(f"/case-reviews/{ref}/reviewers/", {"appoint-reviewer": erin})
    assert "The chair must confirm their independence" in error_summary(body(response))

    carol = client(world, "carol")
    page = body(carol.get(f"/case-reviews/{ref}/?reviewer={erin}"))
    assert "appoint-independence_reason" in page
    assert "Confirm their independence and appoint" in page
    response = carol.post(f"/case-reviews/{ref}/reviewers/", {"appoint-reviewer": erin})
    assert "The chair must confirm their independence" in error_summary(body(response))
    with inside(world.croydon):
        assert not ReviewerAppointment.objects.exists()
    response = carol.post(
        f"/case-reviews/{ref}/reviewers/",
        {"appoint-reviewer": erin, "appoint-independence_reason": "Community services only."},
    )
    assert response.status_code == 302
    appointments = body(carol.get(response["Location"]))
    appointments = appointments[appointments.index('id="appointments"') :]
    assert "Independence confirmed" in appointments and "Community services only." in appointments
