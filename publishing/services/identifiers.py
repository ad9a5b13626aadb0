"""What the anonymisation gate looks for (DESIGN §2 step 7, §5): every real identifier the case
record holds for the review (the children's names and dates of birth, the names of the staff who
referred and answered), and the identifiers to check that the partnership records on the
publication (family members, addresses, schools, professionals). They never leave the schema.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from casework.models import ContributionRequest, InformationResponse, Review
from publishing import gate
from publishing.models import IdentifierKind, IdentifierToCheck, Publication
from publishing.permissions import require_edit_publication, require_prepare_publication
from publishing.services.changes import (
    gate_recheck_everything,
    publication_audit,
    publication_editable_check,
)
from tenants.actors import Actor
from tenants.models import User
from tenants.validation import error_add, errors_raise


def review_children(review: Review) -> list:
    children = list(review.children.all())
    if review.referral_id:
        children += list(review.referral.children.all())
    for referral in review.related_referrals.all():
        children += list(referral.children.all())
    return list({child.pk: child for child in children}.values())


def identifier_add(
    *, actor: Actor, publication: Publication, kind: str, value: str
) -> IdentifierToCheck:
    """Record an identifier the gate must look for that the case record does not hold as a
    field (a parent's name, an address, a school). Every check is run again with it."""
    require_prepare_publication(actor, publication)
    publication_editable_check(publication)
    errors: dict[str, list[str]] = {}
    value = " ".join((value or "").split())
    if kind not in IdentifierKind.values:
        error_add(errors, "kind", "Choose what kind of identifier it is.")
    if not value:
        error_add(errors, "value", "Enter the identifier to look for.")
    elif len(value) > 300:
        error_add(errors, "value", "Keep it to 300 characters.")
    elif len(gate.words(value)) == 0:
        error_add(errors, "value", "Enter letters or digits to look for.")
    if kind == IdentifierKind.DATE_OF_BIRTH and value:
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            error_add(
                errors, "value", "Enter the date of birth as year-month-day, e.g. 2012-03-14."
            )
    errors_raise(errors)
    if publication.identifiers.filter(kind=kind, value__iexact=value).exists():
        raise ValidationError({"value": ["That identifier is already on the list."]})
    with transaction.atomic():
        identifier = IdentifierToCheck.objects.create(
            publication=publication, kind=kind, value=value, added_by=actor.label
        )
        publication_audit(
            actor, publication, "identifier.added", identifier=str(identifier.uuid), kind=kind
        )
        gate_recheck_everything(actor, publication)
    return identifier


def identifier_remove(
    *, actor: Actor, publication: Publication, identifier: IdentifierToCheck
) -> None:
    require_edit_publication(actor, publication)
    publication_editable_check(publication)
    with transaction.atomic():
        publication_audit(
            actor,
            publication,
            "identifier.removed",
            identifier=str(identifier.uuid),
            kind=identifier.kind,
        )
        identifier.delete()
        gate_recheck_everything(actor, publication)


def gate_identifiers(publication: Publication) -> list[gate.Identifier]:
    """Every real identifier the case record holds for the review, and the identifiers to check
    recorded on the publication: what the gate looks for. These never leave the schema."""
    found: list[gate.Identifier] = []
    review = publication.review
    if review is not None:
        for child in review_children(review):
            name = f"{child.given_name} {child.family_name}".strip()
            found.append(gate.Identifier(name, "person", "A child's name"))
            found.append(
                gate.Identifier(
                    child.date_of_birth.isoformat(), "date_of_birth", "A child's date of birth"
                )
            )
        # Agencies' staff recorded by name: the people who referred and answered requests.
        labels = set()
        if review.referral_id:
            labels.add(review.referral.referred_by)
            labels.update(
                ContributionRequest.objects.filter(
                    rapid_review__referral=review.referral
                ).values_list("submitted_by", flat=True)
            )
        labels.update(
            InformationResponse.objects.filter(request__review=review).values_list(
                "submitted_by", flat=True
            )
        )
        names = User.objects.filter(email__in=[label for label in labels if "@" in label])
        for full_name in names.exclude(full_name="").values_list("full_name", flat=True):
            if len(gate.words(full_name)) >= 2:
                found.append(gate.Identifier(full_name, "professional", "A professional's name"))
    labels = dict(IdentifierKind.choices)
    for identifier in publication.identifiers.all():
        kind = identifier.kind
        matcher_kind = {
            IdentifierKind.PERSON: "person",
            IdentifierKind.PROFESSIONAL: "person",
            IdentifierKind.DATE_OF_BIRTH: "date_of_birth",
            IdentifierKind.ADDRESS: "address",
        }.get(kind, "place")
        found.append(gate.Identifier(identifier.value, matcher_kind, labels[kind]))
    return found
