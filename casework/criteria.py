"""The criteria a referral is screened against (DESIGN §2 step 2), per regime, as a pure rule:
the review group's view is recorded by ``casework.services.screening_record`` with the reasons
these give; the page shows them (``casework.selectors.referral_screening_rules``).

- 2015 (a serious case, LSCB Regulations 2006 reg. 5(2)): abuse or neglect known or suspected
  AND either the child died (suspected suicide included, Working Together 2015 ch. 4) or the
  child was seriously harmed AND there is cause for concern about how the agencies worked
  together; a death in custody always (Working Together 2015 ch. 4).
- 2018 and 2023 (a serious child safeguarding incident, Children Act 2004 s. 16C): abuse or
  neglect known or suspected AND the child died or was seriously harmed; deaths in custody and
  suspected suicides always qualify in the partnerships' procedures (seed: Merton).

A looked-after child's death is notified to the Secretary of State and Ofsted whatever these
say (a clock of its own), but being looked after does not by itself meet them.
"""

from casework.models import AbuseOrNeglect, Circumstance, Harm, Referral
from casework.regimes import CA2004_S16C, LSCB_REGS_2006, REGIMES, WT2015_CH4

MERTON = "Merton Safeguarding Children Partnership's procedure"


def _abuse_or_neglect(referral: Referral) -> bool:
    return referral.abuse_or_neglect in (AbuseOrNeglect.KNOWN, AbuseOrNeglect.SUSPECTED)


def _serious_case_2015(referral: Referral) -> tuple[bool, list[str]]:
    if Circumstance.DEATH_IN_CUSTODY in referral.circumstances:
        return True, [
            f"A child's death in custody always calls for a serious case review ({WT2015_CH4})."
        ]
    if not _abuse_or_neglect(referral):
        return False, [f"Abuse or neglect is neither known nor suspected ({LSCB_REGS_2006}(2)(a))."]
    abuse = f"Abuse or neglect is {referral.get_abuse_or_neglect_display().lower()}"
    if referral.harm == Harm.DIED:
        suicide = (
            f", a suspected suicide counting as a death ({WT2015_CH4})"
            if Circumstance.SUSPECTED_SUICIDE in referral.circumstances
            else ""
        )
        return True, [f"{abuse} and the child died{suicide} ({LSCB_REGS_2006}(2)(b)(i))."]
    if referral.working_together_concern:
        return True, [
            f"{abuse}, the child was seriously harmed and there is cause for concern about how "
            f"the agencies worked together ({LSCB_REGS_2006}(2)(b)(ii))."
        ]
    said = "no" if referral.working_together_concern is False else "no recorded"
    return False, [
        f"{abuse} and the child was seriously harmed, but there is {said} cause for concern "
        f"about how the agencies worked together ({LSCB_REGS_2006}(2)(b)(ii))."
    ]


def _serious_incident(referral: Referral) -> tuple[bool, list[str]]:
    source = f"{CA2004_S16C}; {REGIMES[referral.regime].source}"
    reasons = []
    if _abuse_or_neglect(referral):
        harm = "died" if referral.harm == Harm.DIED else "was seriously harmed"
        reasons.append(
            f"Abuse or neglect is {referral.get_abuse_or_neglect_display().lower()} and the "
            f"child {harm} ({source})."
        )
    if Circumstance.DEATH_IN_CUSTODY in referral.circumstances:
        reasons.append(f"A death in custody always qualifies ({MERTON}).")
    if Circumstance.SUSPECTED_SUICIDE in referral.circumstances:
        reasons.append(f"A suspected suicide always qualifies ({MERTON}).")
    if reasons:
        return True, reasons
    return False, [
        "Abuse or neglect is not suspected, and neither a death in custody nor a suspected "
        f"suicide is recorded ({source})."
    ]


def screening_criteria(referral: Referral) -> tuple[bool, list[str]]:
    """Whether the regime's criteria are met, and why, each reason with its source; a note
    follows when a looked-after child (or from 2023 a care leaver) died, which is notified to
    the Secretary of State and Ofsted whatever the criteria say."""
    rule = _serious_case_2015 if referral.regime == "scr2015" else _serious_incident
    met, reasons = rule(referral)
    if referral.looked_after_died or (referral.regime == "wt2023" and referral.care_leaver_died):
        reasons.append(
            "A looked-after child or care leaver died: the Secretary of State and Ofsted are "
            "told whatever these criteria say; being looked after does not by itself meet "
            f"them ({REGIMES[referral.regime].source})."
        )
    return met, reasons
