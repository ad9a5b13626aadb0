"""A review's terms of reference: versions written by its workers, the latest signed off by the
lead's chair."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from casework import permissions
from casework.models import (
    Review,
    TermsOfReference,
)
from casework.services.reviews import review_audit
from tenants.actors import Actor
from tenants.clock import now
from tenants.validation import error_add, errors_raise


def terms_write(
    *,
    actor: Actor,
    review: Review,
    scope: str,
    lines_of_enquiry: str,
    period_start: datetime.date | None,
    period_end: datetime.date | None,
) -> TermsOfReference:
    """A new version of the terms of reference (earlier versions, signed off or not, stay)."""
    permissions.require_terms_writer(actor, review)
    errors: dict[str, list[str]] = {}
    if not (scope or "").strip():
        error_add(errors, "scope", "Describe the review's scope.")
    if not [line for line in (lines_of_enquiry or "").splitlines() if line.strip()]:
        error_add(errors, "lines_of_enquiry", "Give at least one key line of enquiry.")
    if period_start is None:
        error_add(errors, "period_start", "Enter when the period under review starts.")
    if period_end is None:
        error_add(errors, "period_end", "Enter when the period under review ends.")
    elif period_start and period_end < period_start:
        error_add(errors, "period_end", "The period cannot end before it starts.")
    errors_raise(errors)
    with transaction.atomic():
        version = (review.terms.aggregate(last=Max("version"))["last"] or 0) + 1
        terms = TermsOfReference.objects.create(
            review=review,
            version=version,
            scope=scope.strip(),
            lines_of_enquiry=lines_of_enquiry.strip(),
            period_start=period_start,
            period_end=period_end,
            written_by=actor.label,
        )
        review_audit(actor, review, "terms.written", version=version)
    return terms


def terms_sign_off(*, actor: Actor, terms: TermsOfReference) -> TermsOfReference:
    """The chair signs off the latest version (the lead's chair, in a joint review)."""
    permissions.require_terms_signer(actor)
    latest = terms.review.terms.order_by("-version").first()
    if latest.pk != terms.pk:
        raise ValidationError(["Only the latest version can be signed off."])
    if terms.signed_off_at:
        raise ValidationError(["This version is already signed off."])
    with transaction.atomic():
        terms.signed_off_by = actor.label
        terms.signed_off_at = now()
        terms.save(update_fields=["signed_off_by", "signed_off_at"])
        review_audit(actor, terms.review, "terms.signed_off", version=terms.version)
    return terms
