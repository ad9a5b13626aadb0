"""Each review type as a process definition, not branching code (DESIGN §2: "each review type
is a process definition"): its stages, what each stage needs before a review may move into it
(named checks: ``casework.services.reviews.PREREQUISITES``), who may move it, and its clocks.

A referral's rules by date (its regime and statutory clocks) are ``casework.regimes``; working
days and lengths are counted in ``casework.working_days``.
"""

from dataclasses import dataclass

from casework.regimes import ClockRule
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


def _publication(source: str) -> ClockRule:
    return ClockRule(
        name="publication",
        label="Publish the final report",
        starts_on="commissioned",
        stops_on="published",
        length=6,
        unit=MONTHS,
        source=source,
        responsible=MANAGERS,
    )


REVIEW_TYPES = {
    review_type.key: review_type
    for review_type in (
        ReviewType(
            "lcspr",
            "Local child safeguarding practice review",
            PRACTICE_STAGES,
            clocks=(_publication(WT2023),),
            source=WT2023,
        ),
        ReviewType("learning_review", "Learning review", LIGHT_STAGES, source=WT2023),
        ReviewType("near_miss", "Near-miss inquiry", LIGHT_STAGES, source=WT2023),
        ReviewType("single_agency", "Single-agency review", LIGHT_STAGES, source=WT2023),
        ReviewType("thematic", "Thematic review", PRACTICE_STAGES, source=WT2023, thematic=True),
        ReviewType(
            "serious_case_review",
            "Serious Case Review (before 2018)",
            PRACTICE_STAGES,
            clocks=(_publication("Working Together to Safeguard Children 2015, ch. 4"),),
            source="Working Together to Safeguard Children 2015, ch. 4",
        ),
        ReviewType(
            "dardr",
            "Domestic Abuse Related Death Review",
            PRACTICE_STAGES,
            clocks=(
                ClockRule(
                    name="home_office_submission",
                    label="Send the report to the Home Office",
                    starts_on="commissioned",
                    stops_on="published",
                    length=6,
                    unit=MONTHS,
                    source="Domestic Homicide Review statutory guidance (Home Office, 2016)",
                    responsible=MANAGERS,
                ),
            ),
            source="Domestic Violence, Crime and Victims Act 2004, s. 9",
        ),
        ReviewType(
            "sar",
            "Safeguarding Adults Review",
            PRACTICE_STAGES,
            source="Care Act 2014, s. 44",
        ),
    )
}
REVIEW_TYPE_CHOICES = [(t.key, t.label) for t in REVIEW_TYPES.values()]
INFORMATION_REQUEST_WORKING_DAYS = 20
INFORMATION_REQUEST_UNIT = WORKING_DAYS
