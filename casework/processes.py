"""Each review type as a process definition, not branching code (DESIGN §2: "each review type
is a process definition"): its stages, what each stage needs before a review may move into it
(named checks: ``casework.services.reviews.PREREQUISITES``), who may move it, and its clocks.

A review type's clocks (the publication clock only where the guidance requires publication)
are turned into a review's clocks by ``plan_review_clocks``. A referral's rules by date (its
regime and statutory clocks) are ``casework.regimes``; working days and lengths are counted in
``casework.working_days``.
"""

import datetime
from dataclasses import dataclass

from casework.regimes import ClockPlan, ClockRule
from casework.working_days import MONTHS, WORKING_DAYS
from tenants.roles import MANAGERS, Role

# --- Review types ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    needs: tuple[str, ...] = ()
    moved_by: tuple[str, ...] = MANAGERS


@dataclass(frozen=True)
class ReviewType:
    key: str
    label: str
    stages: tuple[Stage, ...]
    clocks: tuple[ClockRule, ...] = ()
    source: str = ""
    # A thematic review may stand on several referrals, or on none.
    thematic: bool = False

    def stage(self, key: str) -> Stage:
        return next(stage for stage in self.stages if stage.key == key)

    def next_stage(self, key: str) -> Stage | None:
        keys = [stage.key for stage in self.stages]
        index = keys.index(key)
        return self.stages[index + 1] if index + 1 < len(keys) else None


PRACTICE_STAGES = (
    Stage("commissioned", "Commissioned"),
    Stage(
        "tor_agreed", "Terms of reference agreed", needs=("reviewer_appointed", "tor_signed_off")
    ),
    Stage(
        "information_gathering",
        "Information gathering",
        needs=("information_requested",),
        moved_by=(*MANAGERS, Role.LEAD_REVIEWER),
    ),
    Stage(
        "analysis",
        "Analysis",
        needs=("information_received", "chronology_started"),
        moved_by=(*MANAGERS, Role.LEAD_REVIEWER),
    ),
    Stage(
        "drafting",
        "Drafting",
        needs=("findings_recorded",),
        moved_by=(*MANAGERS, Role.LEAD_REVIEWER),
    ),
    Stage(
        "sign_off",
        "Sign-off",
        needs=("recommendations_recorded", "draft_report_uploaded"),
        moved_by=(*MANAGERS, Role.LEAD_REVIEWER),
    ),
    Stage("completed", "Completed", needs=("chair_signed_off",), moved_by=(Role.CHAIR,)),
)

# Learning reviews below the threshold and single-agency reviews are lighter: no independent
# reviewer is required, and the action plan is monitored all the same.
LIGHT_STAGES = (
    Stage("commissioned", "Commissioned"),
    Stage("tor_agreed", "Terms of reference agreed", needs=("tor_signed_off",)),
    Stage("information_gathering", "Information gathering", needs=("information_requested",)),
    Stage("drafting", "Drafting", needs=("findings_recorded",)),
    Stage(
        "completed",
        "Completed",
        needs=("recommendations_recorded", "chair_signed_off"),
        moved_by=(Role.CHAIR,),
    ),
)

WT2023 = "Working Together to Safeguard Children 2023, ch. 5"
# Clock sources are kept under 200 characters (the clock's ``source`` column).
WT2018_2023 = "Working Together to Safeguard Children 2018, ch. 4, and 2023, ch. 5"
WT2015 = "Working Together to Safeguard Children 2015, ch. 4"
DHR_GUIDANCE = "Home Office, Domestic Homicide Review statutory guidance (2016), s. 5, timescales"
UNVERIFIED = "length unverified, configurable"


@dataclass(frozen=True)
class ReviewClockRule(ClockRule):
    """A clock of a review type. ``setting`` names its entry in the ``REVIEW_CLOCK_LENGTHS``
    setting: a length the guidance does not fix, or that could not be confirmed from it, is
    configurable there (``length`` is the default) and its source says so."""

    setting: str = ""
    # A review's recorded dates may be corrected (audited, with the date replaced) or undone (a
    # publication withdrawn): its clocks follow them, unlike a referral's, which stop once.
    reopens: bool = True

    def current_length(self) -> int:
        from django.conf import settings

        return getattr(settings, "REVIEW_CLOCK_LENGTHS", {}).get(self.setting, self.length)


def _publication(source: str, label: str = "Publish the final report") -> tuple[ClockRule, ...]:
    """The clocks of a review the guidance requires to publish: published within 6 months of the
    decision to review (the review's commissioning date); and, if the partnership decides not to
    publish, its reasons sent to the Panel and the Secretary of State."""
    return (
        ReviewClockRule(
            name="publication",
            label=label,
            starts_on="commissioned",
            stops_on="published",
            length=6,
            unit=MONTHS,
            source=source,
            responsible=MANAGERS,
        ),
        ReviewClockRule(
            name="not_publish_reasons",
            label="Send the reasons for not publishing to the Panel and the Secretary of State",
            starts_on="not_publish_decided",
            stops_on="not_publish_reasons_sent",
            length=7,
            unit=WORKING_DAYS,
            source=f"{source}: reasons for not publishing; {UNVERIFIED}",
            responsible=MANAGERS,
            setting="not_publish_reasons",
        ),
    )


REVIEW_TYPES = {
    review_type.key: review_type
    for review_type in (
        ReviewType(
            "lcspr",
            "Local child safeguarding practice review",
            PRACTICE_STAGES,
            clocks=_publication(WT2018_2023),
            source=WT2023,
        ),
        # Not required to publish: a learning review, a near-miss inquiry and a single-agency
        # review are the partnership's own; the guidance sets them no clock.
        ReviewType("learning_review", "Learning review", LIGHT_STAGES, source=WT2023),
        ReviewType("near_miss", "Near-miss inquiry", LIGHT_STAGES, source=WT2023),
        ReviewType("single_agency", "Single-agency review", LIGHT_STAGES, source=WT2023),
        # A thematic review is a local child safeguarding practice review of several cases:
        # the same publication rule.
        ReviewType(
            "thematic",
            "Thematic review",
            PRACTICE_STAGES,
            clocks=_publication(WT2018_2023),
            source=WT2023,
            thematic=True,
        ),
        # WT2015 asks for a serious case review to be completed within six months of initiating
        # it, and published; the clock runs to publication.
        ReviewType(
            "serious_case_review",
            "Serious Case Review (before 2018)",
            PRACTICE_STAGES,
            clocks=_publication(WT2015, "Complete and publish the serious case review"),
            source=WT2015,
        ),
        ReviewType(
            "dardr",
            "Domestic Abuse Related Death Review",
            PRACTICE_STAGES,
            clocks=(
                ReviewClockRule(
                    name="home_office_submission",
                    label="Send the overview report to the Home Office",
                    starts_on="commissioned",
                    stops_on="home_office_sent",
                    length=6,
                    unit=MONTHS,
                    source=f"{DHR_GUIDANCE}: {UNVERIFIED}",
                    responsible=MANAGERS,
                    setting="dardr.home_office_submission",
                ),
            ),
            source="Domestic Violence, Crime and Victims Act 2004, s. 9",
        ),
        # The Care Act 2014 s. 44 sets no timescale: the target is the partnership's own.
        ReviewType(
            "sar",
            "Safeguarding Adults Review",
            PRACTICE_STAGES,
            clocks=(
                ReviewClockRule(
                    name="local_completion_target",
                    label="Complete the review (local target, not statutory)",
                    starts_on="commissioned",
                    stops_on="completed",
                    length=6,
                    unit=MONTHS,
                    source=(
                        "Local policy, configurable: the Care Act 2014, s. 44 sets no timescale "
                        "(Care and support statutory guidance, ch. 14: six months, unverified)"
                    ),
                    responsible=MANAGERS,
                    setting="sar.completion",
                ),
            ),
            source="Care Act 2014, s. 44",
        ),
    )
}


def plan_review_clocks(review_type: str, events: dict[str, datetime.date]) -> list[ClockPlan]:
    """A review's clocks from the dates of its events (``commissioned``, ``completed``,
    ``published``, ``home_office_sent``, ``not_publish_decided``…), as ``plan_clocks`` does for
    a referral: a clock exists once its starting event has happened, stopped once its stopping
    event has. Lengths the guidance leaves open are read from ``REVIEW_CLOCK_LENGTHS``."""
    plans = []
    for rule in REVIEW_TYPES[review_type].clocks:
        start = events.get(rule.starts_on)
        if start is None:
            continue
        plans.append(rule.plan(start, events.get(rule.stops_on)))
    return plans


def review_clock_rule(review_type: str, name: str) -> ClockRule | None:
    return next((rule for rule in REVIEW_TYPES[review_type].clocks if rule.name == name), None)


REVIEW_TYPE_CHOICES = [(t.key, t.label) for t in REVIEW_TYPES.values()]
INFORMATION_REQUEST_WORKING_DAYS = 20
INFORMATION_REQUEST_UNIT = WORKING_DAYS
