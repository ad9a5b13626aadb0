"""HTML typed into a review's text fields is shown as text on every page that shows it."""

import datetime

import pytest
from django.utils.html import escape

from casework.models import Action, ChronologyEntry, Recommendation
from casework.services import AffiliationInput
from tests.support.review_pages import HOSTILE, client, days, erin_profile
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


def test_html_in_text_fields_is_shown_as_text(world, appointed):
    ref = appointed.reference
    erin = client(world, "erin")
    erin.post(
        f"/case-reviews/{ref}/terms/new/",
        {
            "terms-scope": HOSTILE,
            "terms-lines_of_enquiry": HOSTILE,
            "terms-period_start": days(-400).isoformat(),
            "terms-period_end": days(-10).isoformat(),
        },
    )
    erin.post(
        f"/case-reviews/{ref}/chronology/entries/",
        {
            "entry-occurred_on": days(-50).isoformat(),
            "entry-agency": str(world.met_croydon.uuid),
            "entry-what_happened": HOSTILE,
            "entry-who": HOSTILE,
            "entry-source_document": HOSTILE,
            "entry-key_episode": "on",
        },
    )
    with inside(world.croydon):
        entry = ChronologyEntry.objects.get()
    erin.post(
        f"/case-reviews/{ref}/findings/new/",
        {"finding-text": HOSTILE, "finding-evidence": [str(entry.uuid)]},
    )
    erin.post(
        f"/case-reviews/{ref}/recommendations/new/",
        {"recommendation-text": HOSTILE, "recommendation-to_partnership": "on"},
    )
    with inside(world.croydon):
        recommendation = Recommendation.objects.get()
    erin.post(
        f"/case-reviews/{ref}/actions/new/",
        {
            "action-recommendation": str(recommendation.uuid),
            "action-description": HOSTILE,
            "action-due": days(30).isoformat(),
        },
    )
    with inside(world.croydon):
        action = Action.objects.get()
    erin_profile(world, [AffiliationInput(HOSTILE, datetime.date(2024, 1, 1))])
    alice = client(world, "alice")
    pages = [
        erin.get(f"/case-reviews/{ref}/terms/"),
        erin.get(f"/case-reviews/{ref}/chronology/"),
        erin.get(f"/case-reviews/{ref}/chronology/print/"),
        erin.get(f"/case-reviews/{ref}/chronology/{entry.uuid}/"),
        erin.get(f"/case-reviews/{ref}/findings/"),
        erin.get(f"/case-reviews/{ref}/actions/"),
        alice.get(f"/actions/{action.uuid}/"),
        alice.get("/actions/"),
        alice.get(f"/case-reviews/{ref}/?reviewer={world.erin.uuid}"),
    ]
    for response in pages:
        page = body(response)
        assert response.status_code == 200
        assert HOSTILE not in page, response.request["PATH_INFO"]
        assert escape(HOSTILE) in page or escape(HOSTILE[:60]) in page, response.request[
            "PATH_INFO"
        ]
