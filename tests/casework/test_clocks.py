"""The clock engine: England's working days, exact dates across bank holidays, both regimes."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.processes import plan_review_clocks
from casework.regimes import CSPRR2018, SCR2015, WT2023, clock_state, plan_clocks
from casework.working_days import (
    add_working_days,
    describe_length,
    is_due_soon,
    is_working_day,
    working_days_between,
)

D = datetime.date


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # An ordinary week: Monday 2 November 2026 + 5 working days.
        (D(2026, 11, 2), 5, D(2026, 11, 9)),
        # Christmas 2026: Friday 25 December, Saturday 26 (Boxing Day), substitute Monday 28.
        (D(2026, 12, 18), 5, D(2026, 12, 29)),
        (D(2026, 12, 24), 1, D(2026, 12, 29)),
        (D(2026, 12, 24), 3, D(2026, 12, 31)),
        # New Year's Day 2027 is a Friday.
        (D(2026, 12, 31), 1, D(2027, 1, 4)),
        # Christmas 2021: both days on a weekend, substitutes Monday 27 and Tuesday 28.
        (D(2021, 12, 24), 1, D(2021, 12, 29)),
        # Easter 2026: Good Friday 3 April, Easter Monday 6 April.
        (D(2026, 4, 1), 5, D(2026, 4, 10)),
        (D(2026, 4, 2), 1, D(2026, 4, 7)),
        # Easter 2027: Good Friday 26 March, Easter Monday 29 March.
        (D(2027, 3, 24), 15, D(2027, 4, 16)),
        # The Platinum Jubilee (Thursday 2 and Friday 3 June 2022).
        (D(2022, 6, 1), 1, D(2022, 6, 6)),
        # Started on a Saturday: the first working day is Monday.
        (D(2026, 11, 7), 1, D(2026, 11, 9)),
    ],
)
def test_working_days_skip_weekends_and_englands_bank_holidays(start, days, due):
    assert add_working_days(start, days) == due


def test_the_rapid_review_clock_over_christmas():
    # Notified on Monday 14 December 2026: 15-24 December are days 1-8, 29-31 December days
    # 9-11 (25 December and the substitute Boxing Day on the 28th are holidays), 1 January is
    # a holiday, and 4-7 January are days 12-15: Thursday 7 January 2027.
    assert add_working_days(D(2026, 12, 14), 15) == D(2027, 1, 7)


def test_scotland_only_holidays_do_not_count():
    assert is_working_day(D(2027, 1, 4))  # Monday; 2 January is a holiday in Scotland only
    assert is_working_day(D(2026, 11, 30))  # St Andrew's Day


@given(st.dates(min_value=D(2015, 1, 1), max_value=D(2035, 12, 31)), st.integers(0, 40))
def test_working_days_between_inverts_adding_them(start, days):
    due = add_working_days(start, days)
    assert working_days_between(start, due) == days
    assert is_working_day(due) or days == 0


def test_days_left_is_negative_when_overdue():
    assert working_days_between(D(2026, 11, 12), D(2026, 11, 9)) == -3


def test_the_current_regime_starts_with_the_panel_notification():
    plans = plan_clocks("wt2023", {"aware": D(2026, 11, 2)}, {})
    assert [(p.name, p.counted_from, p.due, p.source) for p in plans] == [
        (
            "panel_notification",
            D(2026, 11, 2),
            D(2026, 11, 9),
            "Working Together to Safeguard Children 2023, ch. 5",
        )
    ]
    assert describe_length(plans[0].length, plans[0].unit) == "5 working days"


def test_notifying_stops_that_clock_and_starts_the_rapid_review():
    events = {"aware": D(2026, 11, 2), "panel_notified": D(2026, 11, 6)}
    plans = {p.name: p for p in plan_clocks("wt2023", events, {})}
    assert plans["panel_notification"].stopped_on == D(2026, 11, 6)
    assert plans["rapid_review"].counted_from == D(2026, 11, 6)
    assert plans["rapid_review"].due == D(2026, 11, 27)


def test_a_looked_after_childs_death_adds_the_secretary_of_state_and_ofsted_clock():
    names = {
        p.name
        for p in plan_clocks("wt2023", {"aware": D(2026, 11, 2)}, {"looked_after_died": True})
    }
    assert names == {"panel_notification", "sos_ofsted_notification"}


def test_a_referral_has_no_publication_clock_the_review_has_it():
    events = {
        "aware": D(2026, 8, 3),
        "panel_notified": D(2026, 8, 5),
        "rapid_review_sent": D(2026, 8, 21),
        "decided": D(2026, 8, 31),
    }
    plans = plan_clocks("wt2023", events, {"decision_outcome": "lcspr"})
    assert "publication" not in {p.name for p in plans}
    review = {p.name: p for p in plan_review_clocks("lcspr", {"commissioned": D(2026, 8, 31)})}
    assert review["publication"].due == D(2027, 2, 28)


def test_the_2015_regime_decides_within_a_month_and_reports_no_review_within_14_days():
    events = {"aware": D(2016, 1, 25), "panel_notified": D(2016, 1, 29), "decided": D(2016, 2, 26)}
    plans = {p.name: p for p in plan_clocks("scr2015", events, {"decision_outcome": "no_review"})}
    assert plans["scr_decision"].counted_from == D(2016, 1, 29)
    assert plans["scr_decision"].due == D(2016, 2, 29)  # one month, in a leap year
    assert plans["scr_decision"].stopped_on == D(2016, 2, 26)
    assert plans["no_review_report"].due == D(2016, 3, 11)
    # The guidance asks for the decision to be told; the length is a setting, marked unverified.
    assert plans["decision_notice"].source == (
        "Working Together to Safeguard Children 2015, ch. 4 (length unverified)"
    )
    assert "publication" not in plans


def test_every_rule_names_a_source_and_the_regimes_differ():
    for process in (SCR2015, CSPRR2018, WT2023):
        for rule in process.clocks:
            assert rule.source.startswith("Working Together to Safeguard Children")
            assert process.source.split("; ")[0] in rule.source
    assert {r.name for r in WT2023.clocks} != {r.name for r in SCR2015.clocks}


def test_states():
    due = D(2026, 11, 9)
    assert clock_state(due=due, stopped_on=None, today=D(2026, 11, 2)) == "running"
    assert clock_state(due=due, stopped_on=None, today=D(2026, 11, 10)) == "overdue"
    assert clock_state(due=due, stopped_on=D(2026, 11, 12), today=D(2026, 11, 20)) == "stopped"
    assert is_due_soon(due=due, today=D(2026, 11, 5))  # Thursday: 2 working days left
    assert not is_due_soon(due=due, today=D(2026, 11, 4))
    assert not is_due_soon(due=due, today=D(2026, 11, 10))
