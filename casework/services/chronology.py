"""The merged multi-agency chronology (DESIGN §2 step 5: who did what, when, and why): entries
and their corrections, each kept."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from casework import permissions
from casework.models import (
    ChronologyEntry,
    Review,
)
from casework.services.reviews import agency_check, review_audit
from tenants.actors import Actor
from tenants.agencies.models import Agency
from tenants.clock import today
from tenants.validation import error_add, errors_raise


@dataclass
class EntryInput:
    occurred_on: datetime.date | None
    agency: Agency | None
    what_happened: str
    who: str
    occurred_at: datetime.time | None = None
    source_document: str = ""
    key_episode: bool = False


def _check_entry(actor: Actor, review: Review, data: EntryInput) -> None:
    errors: dict[str, list[str]] = {}
    agency_check(actor, review, data.agency, errors, "agency")
    if data.occurred_on is None:
        error_add(errors, "occurred_on", "Enter the date.")
    elif data.occurred_on > today():
        error_add(errors, "occurred_on", "The date cannot be in the future.")
    if data.agency is None:
        error_add(errors, "agency", "Choose the agency.")
    if not (data.what_happened or "").strip():
        error_add(errors, "what_happened", "Say what happened.")
    if not (data.who or "").strip():
        error_add(errors, "who", "Say who, by role (for example 'health visitor').")
    errors_raise(errors)


def entry_outside_period(review: Review, entry: ChronologyEntry) -> bool:
    """Allowed, but flagged: an entry dated outside the period under review."""
    terms = review.terms.order_by("-version").first()
    if terms is None:
        return False
    return not terms.period_start <= entry.occurred_on <= terms.period_end


def _entry_create(actor: Actor, review: Review, data: EntryInput, **more) -> ChronologyEntry:
    """The entry as ``data`` has it, its text trimmed, entered by the actor."""
    return ChronologyEntry.objects.create(
        review=review,
        occurred_on=data.occurred_on,
        occurred_at=data.occurred_at,
        agency=data.agency,
        what_happened=data.what_happened.strip(),
        who=data.who.strip(),
        source_document=(data.source_document or "").strip(),
        key_episode=data.key_episode,
        entered_by=actor.label,
        **more,
    )


def chronology_entry_add(*, actor: Actor, review: Review, data: EntryInput) -> ChronologyEntry:
    """An entry in the merged chronology; in a joint review a participant enters its own
    agencies' entries."""
    permissions.require_review_contributor(actor, review)
    _check_entry(actor, review, data)
    with transaction.atomic():
        entry = _entry_create(actor, review, data)
        review_audit(actor, review, "chronology.added", entry=str(entry.uuid))
    return entry


def chronology_entry_correct(
    *, actor: Actor, entry: ChronologyEntry, data: EntryInput
) -> ChronologyEntry:
    """A correction is a new entry that supersedes the old one, which is kept as it was: the
    chronology shows who entered what and when."""
    permissions.require_entry_corrector(actor, entry)
    _check_entry(actor, entry.review, data)
    with transaction.atomic():
        # Claimed in the database, so two people correcting the same entry cannot both win.
        if not ChronologyEntry.objects.filter(pk=entry.pk, is_current=True).update(
            is_current=False
        ):
            raise ValidationError(
                ["This entry has already been corrected; correct the latest one."]
            )
        corrected = _entry_create(actor, entry.review, data, supersedes=entry)
        review_audit(
            actor,
            entry.review,
            "chronology.corrected",
            entry=str(corrected.uuid),
            supersedes=str(entry.uuid),
        )
    return corrected
