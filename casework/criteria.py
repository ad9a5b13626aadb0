"""The criteria a referral is screened against (DESIGN §2 step 2), as a pure rule: the review
group's view is recorded by ``casework.services.screening_record``; the page shows what these say
(``casework.selectors.referral_screening_rules``), both from here."""

from casework.models import AbuseOrNeglect, Circumstance, Harm, Referral

CRITERIA_SOURCE = (
    "Child Safeguarding Practice Review and Relevant Agency (England) Regulations 2018; "
    "Working Together to Safeguard Children 2023, ch. 5"
)


def screening_criteria(referral: Referral) -> tuple[bool, list[str]]:
    """DESIGN §2 step 2: abuse or neglect known or suspected AND the child died or was seriously
    harmed; or a child is looked after; deaths in custody and suspected suicides always
    qualify (Merton's procedure). Returns whether they are met and why, each with its source."""
    reasons = []
    if referral.abuse_or_neglect in (AbuseOrNeglect.KNOWN, AbuseOrNeglect.SUSPECTED):
        harm = "died" if referral.harm == Harm.DIED else "was seriously harmed"
        reasons.append(
            f"Abuse or neglect is {referral.get_abuse_or_neglect_display().lower()} and the "
            f"child {harm} ({CRITERIA_SOURCE})."
        )
    if any(child.looked_after for child in referral.children.all()):
        reasons.append(f"A child is looked after ({CRITERIA_SOURCE}).")
    if Circumstance.DEATH_IN_CUSTODY in referral.circumstances:
        reasons.append(
            "A death in custody always qualifies (Merton Safeguarding Children "
            "Partnership's procedure)."
        )
    if Circumstance.SUSPECTED_SUICIDE in referral.circumstances:
        reasons.append(
            "A suspected suicide always qualifies (Merton Safeguarding Children "
            "Partnership's procedure)."
        )
    if not reasons:
        reasons.append(
            "Abuse or neglect is not suspected, no child is looked after, and neither a death "
            f"in custody nor a suspected suicide is recorded ({CRITERIA_SOURCE})."
        )
        return False, reasons
    return True, reasons
