"""Screening per regime (casework/criteria.py): the 2015 serious case, the 2018/2023 serious
incident, the looked-after child's death, and the screening record naming what was met."""

import datetime

import pytest

from casework import services
from casework.criteria import screening_criteria
from casework.models import Circumstance
from tests.support.actors import actor
from tests.support.world import inside

pytestmark = pytest.mark.django_db

D = datetime.date
AWARE = {"scr2015": D(2017, 3, 6), "csprr2018": D(2021, 3, 1), "wt2023": D(2026, 11, 2)}


def refer(world, regime, *, looked_after=False, **overrides):
    aware = AWARE[regime]
    values = dict(
        incident_date=aware - datetime.timedelta(days=3),
        aware_date=aware,
        harm="serious_harm",
        abuse_or_neglect="suspected",
        children=[
            services.ChildInput(
                "Amara", "Okafor", D(2012, 6, 1), "female", looked_after=looked_after
            )
        ],
        summary="Found with injuries.",
    )
    values.update(overrides)
    with inside(world.croydon):
        referral = services.referral_create(actor=actor(world, "bob"), **values)
        assert referral.regime == regime
        return referral


def criteria(world, referral):
    with inside(world.croydon):
        return screening_criteria(referral)


class TestThe2015SeriousCase:
    def test_a_death_with_abuse_suspected_is_a_serious_case(self, world):
        met, reasons = criteria(world, refer(world, "scr2015", harm="died"))
        assert met
        assert reasons == [
            "Abuse or neglect is suspected and the child died (Local Safeguarding Children "
            "Boards Regulations 2006, reg. 5(2)(b)(i))."
        ]

    @pytest.mark.parametrize(("concern", "met"), [(True, True), (False, False), (None, False)])
    def test_serious_harm_needs_concern_about_how_agencies_worked_together(
        self, world, concern, met
    ):
        referral = refer(world, "scr2015", working_together_concern=concern)
        found, reasons = criteria(world, referral)
        assert found is met
        assert reasons[0].endswith("reg. 5(2)(b)(ii)).")
        assert ("cause for concern about how the agencies worked together" in reasons[0]) is True

    def test_a_death_in_custody_always_and_no_abuse_suspected_never(self, world):
        custody = refer(
            world,
            "scr2015",
            harm="died",
            abuse_or_neglect="not_suspected",
            circumstances=[Circumstance.DEATH_IN_CUSTODY],
        )
        assert criteria(world, custody) == (
            True,
            [
                "A child's death in custody always calls for a serious case review (Working "
                "Together to Safeguard Children 2015, ch. 4)."
            ],
        )
        neither = refer(world, "scr2015", abuse_or_neglect="not_suspected")
        assert criteria(world, neither)[0] is False


class TestTheSeriousIncident:
    @pytest.mark.parametrize("regime", ["csprr2018", "wt2023"])
    def test_serious_harm_with_abuse_suspected_is_notifiable_without_more(self, world, regime):
        met, reasons = criteria(world, refer(world, regime))
        assert met
        guidance = {"csprr2018": "2018, ch. 4", "wt2023": "2023, ch. 5"}[regime]
        assert "Children Act 2004, s. 16C" in reasons[0] and guidance in reasons[0]

    def test_being_looked_after_does_not_by_itself_meet_the_criteria(self, world):
        harmed = refer(world, "wt2023", looked_after=True, abuse_or_neglect="not_suspected")
        met, reasons = criteria(world, harmed)
        assert not met and len(reasons) == 1

    def test_a_looked_after_childs_death_is_told_to_the_secretary_of_state_whatever(self, world):
        died = refer(
            world, "wt2023", looked_after=True, harm="died", abuse_or_neglect="not_suspected"
        )
        met, reasons = criteria(world, died)
        assert not met
        assert reasons[-1].startswith(
            "A looked-after child or care leaver died: the Secretary of State and Ofsted are told"
        )
        assert {clock.name for clock in died.created_clocks} == {
            "panel_notification",
            "sos_ofsted_notification",
        }


def test_the_screening_record_names_the_criteria_met_with_their_source(world):
    referral = refer(world, "wt2023")
    with inside(world.croydon):
        screening = services.screening_record(
            actor=actor(world, "dave"), referral=referral, view_met=True, rationale="Met."
        )
    assert screening.criteria_met and len(screening.criteria_reasons) == 1
    assert "Working Together to Safeguard Children 2023, ch. 5" in screening.criteria_reasons[0]
