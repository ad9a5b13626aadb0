"""The rules a referral runs under, as data chosen by date (DESIGN §2: "Which rules apply follows
from the date the partnership became aware"). Nothing else in the code knows a referral's
deadline; each clock names its source.

- ``scr2015``: serious case reviews by the Local Safeguarding Children Board (Working Together
  2015 ch. 4; the LSCB Regulations 2006, reg. 5), before 29 June 2018, and for LSCBs not yet
  replaced up to the end of the transition (29 September 2019).
- ``csprr2018``: the Panel's notification duty (Children Act 2004, s. 16C, from 29 June 2018),
  rapid reviews and local child safeguarding practice reviews (Working Together 2018 ch. 4; the
  Child Safeguarding Practice Review and Relevant Agency (England) Regulations 2018).
- ``wt2023``: Working Together 2023 ch. 5, from 15 December 2023.

A figure not confirmed from the guidance itself is read from a setting (``length_setting``)
and its rule says so in ``unverified``; the README lists them. ``plan_clocks`` turns a
referral's recorded dates into clocks; working days are ``casework.working_days``'.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from casework.working_days import CALENDAR_DAYS, MONTHS, WORKING_DAYS, add_length
from tenants.roles import MANAGERS, REVIEW_GROUP, Role

WT2015_CH4 = "Working Together to Safeguard Children 2015, ch. 4"
WT2018_CH4 = "Working Together to Safeguard Children 2018, ch. 4"
WT2023_CH5 = "Working Together to Safeguard Children 2023, ch. 5"
LSCB_REGS_2006 = "Local Safeguarding Children Boards Regulations 2006, reg. 5"
CSPR_REGS_2018 = "Child Safeguarding Practice Review and Relevant Agency (England) Regulations 2018"
CA2004_S16C = "Children Act 2004, s. 16C"
NPIE_GUIDANCE = "National Panel of Independent Experts on Serious Case Reviews: guidance"

# The Panel's notification duty began on 29 June 2018 (Children Act 2004, s. 16C, commenced by
# the Children and Social Work Act 2017); LSCBs were replaced by safeguarding partners by
# 29 September 2019 at the latest, so until then an LSCB could still hold a serious case review.
PANEL_DUTY_FROM = datetime.date(2018, 6, 29)
TRANSITION_LAST_DAY = datetime.date(2019, 9, 29)
WT2023_FROM = datetime.date(2023, 12, 15)


@dataclass(frozen=True)
class ClockRule:
    """One statutory clock: the event it counts from and the one that stops it, its length and
    unit, its source, who is reminded, and when it applies."""

    name: str
    label: str
    starts_on: str  # an event name: the clock counts from the date it happened
    stops_on: str  # the event that stops it
    length: int
    unit: str
    source: str
    # Who is reminded when it is close or overdue (roles in the partnership).
    responsible: tuple[str, ...] = (Role.BUSINESS_MANAGER,)
    applies: Callable[[dict], bool] = lambda facts: True
    # A referral closed (screened as not notifiable, or no review decided) stops this clock too;
    # a duty that stands whatever the Panel's criteria say (the Secretary of State and Ofsted
    # told of a looked-after child's death) or that follows the decision is not stopped so.
    closes_with_referral: bool = True
    # A clock stops once, unless its stopping event can be corrected or undone (a review's
    # clocks, ``casework.processes.ReviewClockRule``; no referral clock reopens).
    reopens: bool = False
    # A length not confirmed from the guidance: read from this setting, and said so.
    length_setting: str = ""
    unverified: str = ""

    def current_length(self) -> int:
        if not self.length_setting:
            return self.length
        return int(getattr(settings, self.length_setting, self.length))

    @property
    def cited(self) -> str:
        """The source as a clock shows it: a length not confirmed from it says so."""
        return f"{self.source} (length unverified)" if self.unverified else self.source

    def plan(
        self, start: datetime.date, stopped_on: datetime.date | None, because: str = ""
    ) -> "ClockPlan":
        """The clock this rule gives, counted from ``start``."""
        length = self.current_length()
        return ClockPlan(
            name=self.name,
            label=self.label,
            counted_from=start,
            due=add_length(start, length, self.unit),
            length=length,
            unit=self.unit,
            source=self.cited,
            stopped_on=stopped_on,
            stopped_because=because,
        )


@dataclass(frozen=True)
class Regime:
    """A rule set: its clocks, the dates it is in force, the decisions its chair may take, and
    who is told of the decision."""

    key: str
    label: str
    source: str
    in_force_from: datetime.date | None
    in_force_until: datetime.date | None
    clocks: tuple[ClockRule, ...]
    outcomes: tuple[str, ...]  # casework.models.Outcome values the chair may choose
    statutory_review: str  # the outcome whose report must be published (the review's clock)
    rapid_review: bool  # a rapid review goes to the Panel before the decision
    notified_to: str  # whom the serious incident is notified to
    decision_told_to: str  # whom the decision is communicated to

    def rule(self, name: str) -> ClockRule:
        return next(rule for rule in self.clocks if rule.name == name)

    def in_force_on(self, day: datetime.date) -> bool:
        return (self.in_force_from is None or day >= self.in_force_from) and (
            self.in_force_until is None or day <= self.in_force_until
        )


def _looked_after_died(facts: dict) -> bool:
    return facts.get("looked_after_died", False)


def _looked_after_or_care_leaver_died(facts: dict) -> bool:
    return facts.get("looked_after_died", False) or facts.get("care_leaver_died", False)


def _decided_not_to_review(facts: dict) -> bool:
    return facts.get("decision_outcome") == "no_review"


def _notified(facts: dict) -> bool:
    return facts.get("notified", True)


def _sos_ofsted(source: str, applies, label: str) -> ClockRule:
    return ClockRule(
        name="sos_ofsted_notification",
        label=label,
        starts_on="aware",
        stops_on="sos_ofsted_notified",
        length=5,
        unit=WORKING_DAYS,
        source=source,
        applies=applies,
        closes_with_referral=False,
        length_setting="SOS_OFSTED_NOTIFICATION_WORKING_DAYS",
        unverified="the guidance requires the notification; 5 working days is the local "
        "procedures' figure, set by SOS_OFSTED_NOTIFICATION_WORKING_DAYS",
    )


def _decision_notice(source: str, whom: str) -> ClockRule:
    return ClockRule(
        name="decision_notice",
        label=f"Tell {whom} of the decision",
        starts_on="decided",
        stops_on="decision_notified",
        length=5,
        unit=WORKING_DAYS,
        source=source,
        responsible=MANAGERS,
        applies=_notified,
        closes_with_referral=False,
        length_setting="DECISION_NOTICE_WORKING_DAYS",
        unverified=f"the guidance asks for the decision to be told to {whom}; no length is "
        "confirmed, set by DECISION_NOTICE_WORKING_DAYS",
    )


def _panel_regime(key: str, label: str, source: str, start, until, sos: ClockRule) -> Regime:
    """The 2018 and 2023 rules have the same steps and figures; each cites its own guidance."""
    return Regime(
        key=key,
        label=label,
        source=f"{source}; {CSPR_REGS_2018}",
        in_force_from=start,
        in_force_until=until,
        clocks=(
            ClockRule(
                name="panel_notification",
                label="Notify the Child Safeguarding Practice Review Panel",
                starts_on="aware",
                stops_on="panel_notified",
                length=5,
                unit=WORKING_DAYS,
                source=source,  # the duty itself: Children Act 2004, s. 16C
            ),
            sos,
            ClockRule(
                name="rapid_review",
                label="Complete the rapid review and send it to the Panel",
                starts_on="panel_notified",
                stops_on="rapid_review_sent",
                length=15,
                unit=WORKING_DAYS,
                source=source,
                responsible=REVIEW_GROUP,
            ),
            _decision_notice(source, "the Panel, Ofsted and the Department for Education"),
        ),
        outcomes=("lcspr", "learning_review", "near_miss", "single_agency", "no_review"),
        statutory_review="lcspr",
        rapid_review=True,
        notified_to="the Child Safeguarding Practice Review Panel",
        decision_told_to="the Panel, Ofsted and the Department for Education",
    )


SCR2015 = Regime(
    key="scr2015",
    label="Serious case review (Working Together 2015)",
    source=f"{WT2015_CH4}; {LSCB_REGS_2006}",
    in_force_from=None,
    in_force_until=TRANSITION_LAST_DAY,
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
        _sos_ofsted(
            WT2015_CH4, _looked_after_died, "Notify Ofsted of a looked-after child's death"
        ),
        ClockRule(
            name="scr_decision",
            label="Decide whether to hold a serious case review",
            starts_on="panel_notified",
            stops_on="decided",
            length=1,
            unit=MONTHS,
            source=WT2015_CH4,
            responsible=MANAGERS,
            length_setting="SCR_DECISION_MONTHS",
            unverified="one month is the figure local procedures give; set by SCR_DECISION_MONTHS",
        ),
        _decision_notice(WT2015_CH4, "the National Panel of Independent Experts and Ofsted"),
        ClockRule(
            name="no_review_report",
            label="Report a decision not to hold a serious case review",
            starts_on="decided",
            stops_on="decision_notified",
            length=14,
            unit=CALENDAR_DAYS,
            source=f"{WT2015_CH4}; {NPIE_GUIDANCE}",
            responsible=MANAGERS,
            applies=_decided_not_to_review,
            closes_with_referral=False,
        ),
    ),
    outcomes=("serious_case_review", "learning_review", "single_agency", "no_review"),
    statutory_review="serious_case_review",
    rapid_review=False,
    notified_to="Ofsted and the LSCB",
    decision_told_to="the National Panel of Independent Experts and Ofsted",
)

CSPRR2018 = _panel_regime(
    "csprr2018",
    "Child safeguarding practice review (Working Together 2018)",
    WT2018_CH4,
    PANEL_DUTY_FROM,
    WT2023_FROM - datetime.timedelta(days=1),
    _sos_ofsted(
        WT2018_CH4,
        _looked_after_died,
        "Notify the Secretary of State and Ofsted (looked-after child)",
    ),
)
WT2023 = _panel_regime(
    "wt2023",
    "Child safeguarding practice review (Working Together 2023)",
    WT2023_CH5,
    WT2023_FROM,
    None,
    # From 2023 the death of a care leaver up to 25 is notified too.
    _sos_ofsted(
        WT2023_CH5,
        _looked_after_or_care_leaver_died,
        "Notify the Secretary of State and Ofsted (looked-after child or care leaver)",
    ),
)

REGIMES = {regime.key: regime for regime in (SCR2015, CSPRR2018, WT2023)}
REGIME_CHOICES = [(regime.key, regime.label) for regime in REGIMES.values()]


def regimes_in_force(aware_date: datetime.date) -> list[Regime]:
    """Every rule set in force on the day the partnership became aware, the one that applies
    by default first: in the transition (29 June 2018 to 29 September 2019) the Panel's duty
    applies, and an LSCB not yet replaced could still hold a serious case review."""
    found = [regime for regime in REGIMES.values() if regime.in_force_on(aware_date)]
    return sorted(found, key=lambda regime: regime.in_force_from or datetime.date.min, reverse=True)


def regime_for(aware_date: datetime.date) -> Regime:
    """The rules that apply, by default, to an awareness date."""
    return regimes_in_force(aware_date)[0]


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
    stopped_because: str = ""


def plan_clocks(regime: str, events: dict[str, datetime.date], facts: dict) -> list[ClockPlan]:
    """The clocks a case has, from the dates of its events (``aware``, ``panel_notified``,
    ``rapid_review_sent``, ``decided``, ``closed``…) and its facts. A clock exists once the
    event it counts from has happened, and is stopped when its stopping event has, or when the
    referral is closed (``facts["closed_because"]`` says why) if it closes with the referral."""
    plans = []
    for rule in REGIMES[regime].clocks:
        start = events.get(rule.starts_on)
        if start is None or not rule.applies(facts):
            continue
        stopped_on, because = events.get(rule.stops_on), ""
        closed = events.get("closed")
        if stopped_on is None and closed is not None and rule.closes_with_referral:
            stopped_on, because = closed, facts.get("closed_because", "")
        plans.append(rule.plan(start, stopped_on, because))
    return plans


def clock_state(
    *, due: datetime.date, stopped_on: datetime.date | None, today: datetime.date
) -> str:
    """``running`` until it stops, ``overdue`` once past its due date unstopped, ``stopped``
    (kept with the date it stopped; ``met`` tells whether that was in time)."""
    if stopped_on is not None:
        return "stopped"
    return "overdue" if today > due else "running"


def regime_disagreement(regime: str, aware_date: datetime.date) -> str:
    """Why a recorded regime disagrees with its awareness date (empty when it agrees): records
    made before the rules were chosen by date keep their regime, and are listed, never changed
    (``manage.py regime_check``, migration 0006)."""
    in_force = regimes_in_force(aware_date)
    if regime in {r.key for r in in_force}:
        return ""
    return (
        f"recorded as {regime}, but on {aware_date.isoformat()} "
        f"{' or '.join(r.key for r in in_force)} applied"
    )
