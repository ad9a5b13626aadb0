"""The clocks on the web: the review group's board by urgency, the dashboard's clocks needing
attention, and the navigation offering referrals and clocks to the right roles."""

import datetime
import re

import pytest

from casework.models import Clock
from tenants.clock import today
from tests.support.clients import signed_in_client
from tests.support.referrals import make_referral
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


class TestClocksAndDashboard:
    def test_the_clocks_board_groups_clocks_by_urgency(self, world):
        overdue = make_referral(world)
        later = make_referral(world)
        with inside(world.croydon):
            Clock.objects.filter(referral__reference=overdue.reference).update(
                due=today() - datetime.timedelta(days=7)
            )
            Clock.objects.filter(referral__reference=later.reference).update(
                due=today() + datetime.timedelta(days=30)
            )
        page = body(signed_in_client(world.carol, world.croydon).get("/clocks/"))
        overdue_table = re.search(r'id="clocks-overdue".*?</table>', page, re.S).group(0)
        later_table = re.search(r'id="clocks-later".*?</table>', page, re.S).group(0)
        assert overdue.reference in overdue_table and later.reference not in overdue_table
        assert later.reference in later_table
        assert "working days overdue" in overdue_table

    @pytest.mark.parametrize("who", ["bob", "erin"])
    def test_the_clocks_board_is_the_review_groups(self, world, who):
        assert (
            signed_in_client(getattr(world, who), world.croydon).get("/clocks/").status_code == 403
        )

    def test_the_dashboard_lists_clocks_needing_attention(self, world):
        references = [make_referral(world).reference for _ in range(6)]
        page = body(signed_in_client(world.alice, world.croydon).get("/dashboard/"))
        table = re.search(r'id="needs-attention".*?</table>', page, re.S).group(0)
        assert sum(reference in table for reference in references) == 5

    def test_the_navigation_shows_referrals_and_clocks_to_the_right_roles(self, world):
        def nav(user):
            page = body(signed_in_client(user, world.croydon).get("/dashboard/"))
            return re.search(r'<nav aria-label="Menu".*?</nav>', page, re.S).group(0)

        assert 'href="/referrals/"' in nav(world.dave) and 'href="/clocks/"' in nav(world.dave)
        assert 'href="/referrals/"' in nav(world.bob) and 'href="/clocks/"' not in nav(world.bob)
        assert 'href="/referrals/"' not in nav(world.erin)
