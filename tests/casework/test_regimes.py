"""The rules by date (casework/regimes.py): exact boundary dates, the business manager's choice
in the transition, the API's refusal, clocks over the bank holidays that moved, and the listing
of records whose regime disagrees with their dates."""

import datetime
import importlib
import io

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command

from casework import services
from casework.models import Referral
from casework.regimes import (
    REGIMES,
    regime_disagreement,
    regime_for,
    regimes_in_force,
)
from casework.working_days import add_working_days, is_working_day
from tenants.agencies.models import AuditEvent
from tests.support.actors import actor
from tests.support.world import inside

D = datetime.date


@pytest.mark.parametrize(
    ("aware", "default", "allowed"),
    [
        (D(2016, 1, 25), "scr2015", {"scr2015"}),
        (D(2018, 6, 28), "scr2015", {"scr2015"}),
        # The Panel's duty from 29 June 2018; an LSCB could still hold an SCR until replaced.
        (D(2018, 6, 29), "csprr2018", {"csprr2018", "scr2015"}),
        (D(2019, 9, 28), "csprr2018", {"csprr2018", "scr2015"}),
        (D(2019, 9, 29), "csprr2018", {"csprr2018", "scr2015"}),
        (D(2019, 9, 30), "csprr2018", {"csprr2018"}),
        (D(2023, 12, 14), "csprr2018", {"csprr2018"}),
        (D(2023, 12, 15), "wt2023", {"wt2023"}),
        (D(2026, 11, 2), "wt2023", {"wt2023"}),
    ],
)
def test_the_rules_in_force_on_each_boundary(aware, default, allowed):
    assert regime_for(aware).key == default
    assert {regime.key for regime in regimes_in_force(aware)} == allowed


def test_each_regime_cites_its_own_guidance():
    assert REGIMES["scr2015"].rule("ofsted_notification").source.endswith("2015, ch. 4")
    assert REGIMES["csprr2018"].rule("rapid_review").source.endswith("2018, ch. 4")
    assert REGIMES["wt2023"].rule("rapid_review").source.endswith("2023, ch. 5")
    # Only 2023 adds a care leaver's death to the Secretary of State and Ofsted's notification.
    rule_2018 = REGIMES["csprr2018"].rule("sos_ofsted_notification")
    rule_2023 = REGIMES["wt2023"].rule("sos_ofsted_notification")
    assert not rule_2018.applies({"care_leaver_died": True})
    assert rule_2023.applies({"care_leaver_died": True})


@pytest.mark.parametrize(
    ("aware", "due"),
    [
        # The 2022 Spring bank holiday moved to Thursday 2 June (the Platinum Jubilee on Friday
        # 3 June): Monday 30 May was a working day.
        (D(2022, 5, 27), D(2022, 6, 7)),
        # The Queen's funeral, Monday 19 September 2022.
        (D(2022, 9, 15), D(2022, 9, 23)),
        # The coronation, Monday 8 May 2023 (after the early May bank holiday on the 1st).
        (D(2023, 5, 4), D(2023, 5, 12)),
    ],
)
def test_the_notification_clock_over_the_bank_holidays_that_moved(aware, due):
    assert add_working_days(aware, 5) == due
    assert is_working_day(D(2022, 5, 30))
    for holiday in (D(2022, 6, 2), D(2022, 6, 3), D(2022, 9, 19), D(2023, 5, 8)):
        assert not is_working_day(holiday)


@pytest.mark.django_db
class TestChoosingTheRules:
    def refer(self, world, who="bob", **overrides):
        values = dict(
            incident_date=D(2016, 1, 20),
            aware_date=D(2016, 1, 25),
            harm="died",
            abuse_or_neglect="suspected",
            children=[services.ChildInput("Amara", "Okafor", D(2013, 2, 1), "female")],
            summary="Found at home.",
        )
        values.update(overrides)
        if who == "alice":
            values.setdefault("agency", world.met_croydon)
        return services.referral_create(actor=actor(world, who), **values)

    def test_the_awareness_date_chooses_the_rules_and_their_clocks(self, world):
        with inside(world.croydon):
            historic = self.refer(world)
            between = self.refer(world, aware_date=D(2021, 3, 1), incident_date=D(2021, 2, 26))
        assert historic.regime == "scr2015"
        assert [(c.name, c.source) for c in historic.created_clocks] == [
            ("ofsted_notification", "Working Together to Safeguard Children 2015, ch. 4")
        ]
        assert between.regime == "csprr2018"
        assert between.created_clocks[0].source == (
            "Working Together to Safeguard Children 2018, ch. 4"
        )

    def test_rules_not_in_force_that_day_are_refused_naming_the_field(self, world):
        with inside(world.croydon):
            with pytest.raises(ValidationError) as error:
                self.refer(world, regime="wt2023")
            assert error.value.message_dict["regime"] == [
                "The Child safeguarding practice review (Working Together 2023) rules were not "
                "in force on 2016-01-25, the date the partnership became aware: Serious case "
                "review (Working Together 2015) applies."
            ]
            assert not Referral.objects.exists()

    def test_in_the_transition_only_the_business_manager_chooses_with_a_reason(self, world):
        dates = {"aware_date": D(2019, 9, 29), "incident_date": D(2019, 9, 27)}
        with inside(world.croydon):
            with pytest.raises(ValidationError) as error:
                self.refer(world, regime="scr2015", **dates)
            assert "only the business manager may choose" in error.value.message_dict["regime"][0]
            with pytest.raises(ValidationError) as error:
                self.refer(world, "alice", regime="scr2015", **dates)
            assert error.value.message_dict == {
                "regime_reason": ["Give the reason for choosing these rules."]
            }
            referral = self.refer(
                world,
                "alice",
                regime="scr2015",
                regime_reason="The LSCB had begun the serious case review before it was replaced.",
                **dates,
            )
            created = AuditEvent.objects.get(action="referral.created")
        assert referral.regime == "scr2015" and referral.regime_reason.startswith("The LSCB")
        assert created.detail["regime"] == "scr2015" and created.detail["regime_chosen"] is True

    def test_records_disagreeing_with_their_dates_are_listed_and_kept(self, world, capsys):
        with inside(world.croydon):
            referral = self.refer(world)
            Referral.objects.filter(pk=referral.pk).update(regime="wt2023")
            migration = importlib.import_module("casework.migrations.0006_list_regimes_disagreeing")
            capsys.readouterr()
            migration.list_disagreeing(apps, None)
            written = capsys.readouterr().out
            assert Referral.objects.get(pk=referral.pk).regime == "wt2023"
        out = io.StringIO()
        call_command("regime_check", "croydon", stdout=out)
        why = "recorded as wt2023, but on 2016-01-25 scr2015 applied"
        assert f"croydon: referral {referral.reference} {why}" in out.getvalue()
        assert "1 referral to look at." in out.getvalue()
        assert f"referral {referral.reference} {why}" in written
        assert regime_disagreement("scr2015", D(2019, 9, 29)) == ""
