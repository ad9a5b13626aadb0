"""A review's findings (with the chronology entries that support them) and its numbered
recommendations, addressed to the partnership or to named agencies."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from casework import permissions
from casework.models import (
    Finding,
    Recommendation,
    Review,
)
from casework.services.reviews import agency_check, review_audit
from tenants.actors import Actor
from tenants.validation import error_add, errors_raise


def finding_add(*, actor: Actor, review: Review, text: str, evidence=()) -> Finding:
    permissions.require_findings_writer(actor, review)
    if not (text or "").strip():
        raise ValidationError({"text": ["Write the finding."]})
    foreign = [entry for entry in evidence if entry.review_id != review.pk or not entry.is_current]
    if foreign:
        raise ValidationError({"evidence": ["Link only current entries of this chronology."]})
    with transaction.atomic():
        number = (review.findings.aggregate(last=Max("number"))["last"] or 0) + 1
        finding = Finding.objects.create(
            review=review, number=number, text=text.strip(), written_by=actor.label
        )
        finding.evidence.set(evidence)
        review_audit(actor, review, "finding.added", number=number, evidence=len(evidence))
    return finding


def recommendation_add(
    *,
    actor: Actor,
    review: Review,
    text: str,
    to_partnership: bool,
    agencies=(),
    findings=(),
) -> Recommendation:
    """A numbered recommendation, addressed to the partnership or to named agencies."""
    permissions.require_findings_writer(actor, review)
    errors: dict[str, list[str]] = {}
    for agency in agencies:
        agency_check(actor, review, agency, errors, "agencies")
    if not (text or "").strip():
        error_add(errors, "text", "Write the recommendation.")
    if not to_partnership and not agencies:
        error_add(errors, "agencies", "Address it to the partnership or to one or more agencies.")
    errors_raise(errors)
    with transaction.atomic():
        number = (review.recommendations.aggregate(last=Max("number"))["last"] or 0) + 1
        recommendation = Recommendation.objects.create(
            review=review, number=number, text=text.strip(), to_partnership=to_partnership
        )
        recommendation.agencies.set(agencies)
        recommendation.findings.set(findings)
        review_audit(actor, review, "recommendation.added", number=number)
    return recommendation
