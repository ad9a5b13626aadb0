"""On the web: the agencies register's aliases (added, shown, one agency each) and the clocks
page showing reviews' own clocks with their sources, in a number of queries that does not grow
with the clocks."""

import datetime
import re

import pytest

from casework import services
from tenants.agencies.models import Agency
from tests.support.actors import actor
from tests.support.clients import signed_in_client
from tests.support.referrals import make_referral
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


def test_the_register_learns_an_agency_s_aliases(world):
    alice = signed_in_client(world.alice, world.croydon)
    response = alice.post(
        "/workspace/agencies/",
        {"name": "Croydon Health Services NHS Trust", "kind": "health", "aliases": "CHS\n\nCUH\n"},
    )
    assert response.status_code == 302
    with inside(world.croydon):
        agency = Agency.objects.get(name="Croydon Health Services NHS Trust")
        assert agency.aliases == ["CHS", "CUH"]
    assert "Also: CHS, CUH" in body(alice.get("/workspace/agencies/"))
    page = body(alice.get(f"/workspace/agencies/{agency.uuid}/"))
    assert "CHS\nCUH" in page
    response = alice.post(
        f"/workspace/agencies/{world.met_croydon.uuid}/",
        {"name": "Met Police", "kind": "police", "is_active": "on", "aliases": "MPS\nchs"},
    )
    assert "&#x27;chs&#x27; is already a name of Croydon Health Services NHS Trust." in body(
        response
    )
    with inside(world.croydon):
        assert Agency.objects.get(pk=world.met_croydon.pk).aliases == []  # nothing half-saved


def commission(world, kind: str, on: datetime.date):
    with inside(world.croydon):
        return services.thematic_review_commission(
            actor=actor(world, "alice"), title=f"A {kind}", commissioned_on=on, review_type=kind
        )


def test_the_clocks_page_shows_reviews_clocks_with_their_sources(world):
    dardr = commission(world, "dardr", datetime.date(2025, 1, 6))
    sar = commission(world, "sar", datetime.date(2025, 2, 3))
    learning = commission(world, "learning_review", datetime.date(2025, 2, 3))
    page = body(signed_in_client(world.dave, world.croydon).get("/clocks/"))
    overdue = re.search(r'id="clocks-overdue".*?</table>', page, re.S).group(0)
    assert f'href="/case-reviews/{dardr.reference}/#clocks"' in overdue
    assert "Send the overview report to the Home Office" in overdue
    assert "Domestic Homicide Review statutory guidance (2016)" in overdue
    assert "unverified" in overdue
    assert sar.reference in overdue and "Local policy, configurable" in overdue
    assert learning.reference not in page


def test_the_clocks_page_s_queries_do_not_grow_with_its_clocks(
    world, django_assert_max_num_queries
):
    dave = signed_in_client(world.dave, world.croydon)
    make_referral(world)
    commission(world, "dardr", datetime.date(2025, 1, 6))
    dave.get("/clocks/")
    with django_assert_max_num_queries(40) as few:
        dave.get("/clocks/")
    for _ in range(3):
        make_referral(world)
    for kind in ("dardr", "sar", "thematic", "lcspr"):
        commission(world, kind, datetime.date(2025, 3, 3))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = body(dave.get("/clocks/"))
    assert page.count('href="/case-reviews/') >= 5


def test_a_dardr_s_submission_to_the_home_office_stops_its_clock_on_the_web(world):
    dardr = commission(world, "dardr", datetime.date(2025, 1, 6))
    learning = commission(world, "learning_review", datetime.date(2025, 1, 6))
    alice = signed_in_client(world.alice, world.croydon)
    page = body(alice.get(f"/case-reviews/{dardr.reference}/"))
    assert "Overview report sent to the Home Office" in page
    assert "Overview report sent to the Home Office" not in body(
        alice.get(f"/case-reviews/{learning.reference}/")
    )
    path = f"/case-reviews/{dardr.reference}/home-office/"
    response = alice.post(path, {"home-office-sent_on": "2024-12-31"})
    assert "The date cannot be before 2025-01-06." in body(response)
    response = alice.post(path, {"home-office-sent_on": "2025-06-30"})
    assert response.status_code == 302
    page = body(alice.get(f"/case-reviews/{dardr.reference}/"))
    assert "Sent on 2025-06-30, recorded by alice@croydon.example." in page
    with inside(world.croydon):
        assert dardr.clocks.get().stopped_on == datetime.date(2025, 6, 30)
    # The review group member sees the clock, not the form.
    page = body(
        signed_in_client(world.dave, world.croydon).get(f"/case-reviews/{dardr.reference}/")
    )
    assert "home-office-sent_on" not in page
