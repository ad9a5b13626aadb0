"""The statutory clocks: working days in England, and each regime's clocks as data.

A *process definition* names, for one regime, each clock: the event it counts from, its length and
unit, the event that stops it, when it applies, and its source. The engine turns a referral's
recorded dates into clocks; nothing else in the code knows a deadline.

Working days are England's: Monday to Friday, less the England and Wales bank holidays, including
substitute days ("Boxing Day (observed)"), from the ``holidays`` package.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta

WORKING_DAYS = "working_days"
CALENDAR_DAYS = "days"
MONTHS = "months"


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=[year]).keys())


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    """The ``count``-th working day after ``start`` (``start`` itself never counts): five working
    days from Friday 18 December 2026 is Tuesday 29 December (Christmas Day and the substitute
    Boxing Day are not working days)."""
    day = start
    remaining = count
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end``; negative when ``end`` is
    earlier (days overdue)."""
    if end == start:
        return 0
    step = 1 if end > start else -1
    count = 0
    day = start
    while day != end:
        day += datetime.timedelta(days=step)
        if is_working_day(day):
            count += step
    return count


def add_length(start: datetime.date, length: int, unit: str) -> datetime.date:
    if unit == WORKING_DAYS:
        return add_working_days(start, length)
    if unit == CALENDAR_DAYS:
        return start + datetime.timedelta(days=length)
    if unit == MONTHS:
        return start + relativedelta(months=length)
    raise ValueError(f"Unknown unit {unit!r}")


def describe_length(length: int, unit: str) -> str:
    words = {WORKING_DAYS: "working day", CALENDAR_DAYS: "day", MONTHS: "month"}[unit]
    return f"{length} {words}{'s' if length != 1 else ''}"


@dataclass(frozen=True)
class ClockRule:
    """One statutory clock of a regime."""

    name: str
    label: str
    starts_on: str  # an event name: the clock counts from the date it happened
    stops_on: str  # the event that stops it
    length: int
    unit: str
    source: str
    # Who is reminded when it is close or overdue (roles in the partnership).
    responsible: tuple[str, ...] = ("business_manager",)
    applies: Callable[[dict], bool] = lambda facts: True


@dataclass(frozen=True)
class ProcessDefinition:
    key: str
    label: str
    clocks: tuple[ClockRule, ...]

    def rule(self, name: str) -> ClockRule:
        return next(rule for rule in self.clocks if rule.name == name)


WT2023_CH5 = "Working Together to Safeguard Children 2023, ch. 5"
WT2015_CH4 = "Working Together to Safeguard Children 2015, ch. 4"


def _looked_after_death_or_care_leaver(facts: dict) -> bool:
    return facts.get("looked_after_died", False) or facts.get("care_leaver_died", False)


def _decided_not_to_review(facts: dict) -> bool:
    return facts.get("decision_outcome") == "no_review"


def _decided_to_review(facts: dict) -> bool:
    return facts.get("decision_outcome") not in (None, "", "no_review", "national_review")


CURRENT = ProcessDefinition(
    key="wt2023",
    label="Child safeguarding practice review (Working Together 2018 and 2023)",
    clocks=(
        ClockRule(
            name="panel_notification",
            label="Notify the Child Safeguarding Practice Review Panel",
            starts_on="aware",
            stops_on="panel_notified",
            length=5,
            unit=WORKING_DAYS,
            source=WT2023_CH5,
        ),
        ClockRule(
            name="sos_ofsted_notification",
            label="Notify the Secretary of State and Ofsted (looked-after child or care leaver)",
            starts_on="aware",
            stops_on="sos_ofsted_notified",
            length=5,
            unit=WORKING_DAYS,
            source=WT2023_CH5,
            applies=_looked_after_death_or_care_leaver,
        ),
        ClockRule(
            name="rapid_review",
            label="Complete the rapid review and send it to the Panel",
            starts_on="panel_notified",
            stops_on="rapid_review_sent",
            length=15,
            unit=WORKING_DAYS,
            source=WT2023_CH5,
            responsible=("business_manager", "review_group_member", "chair"),
        ),
        ClockRule(
            name="publication",
            label="Publish the final report",
            starts_on="decided",
            stops_on="published",
            length=6,
            unit=MONTHS,
            source=WT2023_CH5,
            responsible=("business_manager", "chair"),
            applies=_decided_to_review,
        ),
    ),
)

SCR_2015 = ProcessDefinition(
    key="scr2015",
    label="Serious Case Review (Working Together 2015)",
    clocks=(
        ClockRule(
            name="ofsted_notification",
            label="Notify Ofsted and the LSCB of the serious incident",
            starts_on="aware",
            stops_on="panel_notified",
            length=5,
            unit=WORKING_DAYS,
            source=WT2015_CH4,
        ),
        ClockRule(
            name="scr_decision",
            label="Decide whether to hold a Serious Case Review",
            starts_on="panel_notified",
            stops_on="decided",
            length=1,
            unit=MONTHS,
            source=WT2015_CH4,
            responsible=("business_manager", "chair"),
        ),
        ClockRule(
            name="decision_notice",
            label="Tell the National Panel of Independent Experts and Ofsted of the decision",
            starts_on="decided",
            stops_on="decision_notified",
            length=5,
            unit=WORKING_DAYS,
            source=WT2015_CH4,
            responsible=("business_manager", "chair"),
        ),
        ClockRule(
            name="no_review_report",
            label="Report a decision not to hold a Serious Case Review",
            starts_on="decided",
            stops_on="decision_notified",
            length=14,
            unit=CALENDAR_DAYS,
            source=WT2015_CH4,
            responsible=("business_manager", "chair"),
            applies=_decided_not_to_review,
        ),
        ClockRule(
            name="publication",
            label="Publish the final report",
            starts_on="decided",
            stops_on="published",
            length=6,
            unit=MONTHS,
            source=WT2015_CH4,
            responsible=("business_manager", "chair"),
            applies=_decided_to_review,
        ),
    ),
)

PROCESSES = {process.key: process for process in (CURRENT, SCR_2015)}
REGIME_CHOICES = [(process.key, process.label) for process in PROCESSES.values()]


@dataclass(frozen=True)
class ClockPlan:
    """What a clock should be, given the events so far."""

    name: str
    label: str
    counted_from: datetime.date
    due: datetime.date
    length: int
    unit: str
    source: str
    stopped_on: datetime.date | None


def plan_clocks(regime: str, events: dict[str, datetime.date], facts: dict) -> list[ClockPlan]:
    """The clocks a case has, from the dates of its events (``aware``, ``panel_notified``,
    ``rapid_review_sent``, ``decided``…) and its facts. A clock exists once the event it counts
    from has happened, and is stopped when its stopping event has."""
    process = PROCESSES[regime]
    plans = []
    for rule in process.clocks:
        start = events.get(rule.starts_on)
        if start is None or not rule.applies(facts):
            continue
        plans.append(
            ClockPlan(
                name=rule.name,
                label=rule.label,
                counted_from=start,
                due=add_length(start, rule.length, rule.unit),
                length=rule.length,
                unit=rule.unit,
                source=rule.source,
                stopped_on=events.get(rule.stops_on),
            )
        )
    return plans


def clock_state(
    *, due: datetime.date, stopped_on: datetime.date | None, today: datetime.date
) -> str:
    """``running`` until it stops, ``overdue`` once past its due date unstopped, ``stopped``
    (kept with the date it stopped; ``met`` tells whether that was in time)."""
    if stopped_on is not None:
        return "stopped"
    return "overdue" if today > due else "running"


def is_due_soon(*, due: datetime.date, today: datetime.date) -> bool:
    """Due within 2 working days (the reminders' threshold)."""
    return today <= due and working_days_between(today, due) <= 2
