"""Review types as process definitions: each names its stages, what each stage needs before a
review may move into it, who may move it, and its clocks — in data, not in branching code.

The prerequisites are named checks (``PREREQUISITES``), each returning what is missing in the
users' words; a type lists which of them each of its stages needs.
"""

from dataclasses import dataclass

from casework.clocks import MONTHS, WORKING_DAYS, ClockRule

BM, CHAIR, GROUP, REVIEWER = "business_manager", "chair", "review_group_member", "lead_reviewer"


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    needs: tuple[str, ...] = ()
    moved_by: tuple[str, ...] = (BM, CHAIR)


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
        moved_by=(BM, CHAIR, REVIEWER),
    ),
    Stage(
        "analysis",
        "Analysis",
        needs=("information_received", "chronology_started"),
        moved_by=(BM, CHAIR, REVIEWER),
    ),
    Stage("drafting", "Drafting", needs=("findings_recorded",), moved_by=(BM, CHAIR, REVIEWER)),
    Stage(
        "sign_off",
        "Sign-off",
        needs=("recommendations_recorded", "draft_report_uploaded"),
        moved_by=(BM, CHAIR, REVIEWER),
    ),
    Stage("completed", "Completed", needs=("chair_signed_off",), moved_by=(CHAIR,)),
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
        moved_by=(CHAIR,),
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
        responsible=(BM, CHAIR),
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
                    responsible=(BM, CHAIR),
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
