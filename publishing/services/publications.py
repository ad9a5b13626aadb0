"""A publication's life (DESIGN §2 step 7): started from a completed review or entered directly
(a review published before the partnership used Safeguard), its public record written and
checked by the gate, withdrawn and reopened. The partnerships a publication names are every
partnership of a joint review (DESIGN §3), lead first.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from casework.joint import selectors as joint_selectors
from casework.models import Review
from casework.processes import REVIEW_TYPES
from publishing.library.models import AgeBand, Theme
from publishing.models import ChairStatement, Publication, PublicationState
from publishing.permissions import (
    is_platform,
    require_edit_publication,
    require_publish_publication,
    require_start_publication,
)
from publishing.services.changes import (
    TEXT_LIMITS,
    publication_audit,
    publication_back_to_draft,
    publication_editable_check,
    record_check_request,
)
from publishing.services.gate_runs import readiness_refresh
from publishing.services.identifiers import review_children
from publishing.services.library_door import library_sync, review_clocks_sync
from tenants import clock
from tenants.actors import Actor
from tenants.models import Partnership, User
from tenants.validation import error_add, errors_raise


def publication_partnerships(*, review: Review | None, owner: Partnership) -> list[dict]:
    """The partnerships a publication of ``review`` names, lead first: every partnership that
    took part in a joint review (DESIGN §3) appears on its own public page and in the library."""
    if review is None:
        return [{"key": owner.key, "name": owner.name}]
    return [{"key": p.key, "name": p.name} for p in joint_selectors.review_partnerships(review)]


def _participants_statements(publication: Publication, review: Review) -> None:
    """A joint review's participants' chairs write their statements when they sign the report
    off (through the door, in the lead's schema); the publication starts with them. Each goes
    through the gate with the rest of the public record."""
    named = {p["key"]: p["name"] for p in publication.partnerships}
    sign_offs = [
        s for s in review.partnership_sign_offs.exclude(statement="") if s.partnership_key in named
    ]
    people = {
        user.email: user.full_name
        for user in User.objects.filter(email__in=[s.signed_off_by for s in sign_offs])
    }
    ChairStatement.objects.bulk_create(
        ChairStatement(
            publication=publication,
            partnership_key=sign_off.partnership_key,
            partnership_name=named[sign_off.partnership_key],
            # The chair's name as published, never their email address.
            chair_name=people.get(sign_off.signed_off_by) or "The chair",
            chair_role="Chair",
            text=sign_off.statement,
            written_by=sign_off.signed_off_by,
            written_at=sign_off.signed_off_at,
        )
        for sign_off in sign_offs
    )


def _check_partnerships(owner: Partnership, partnerships: list[dict]) -> list[dict]:
    keys = [item["key"] for item in partnerships]
    if not keys or keys[0] != owner.key or len(set(keys)) != len(keys):
        raise ValidationError(
            {"partnerships": ["Name this partnership first, and each partnership once."]}
        )
    known = {p.key: p.name for p in Partnership.objects.filter(key__in=keys)}
    unknown = [key for key in keys if key not in known]
    if unknown:
        raise ValidationError({"partnerships": [f"No partnership '{unknown[0]}'."]})
    return [{"key": key, "name": known[key]} for key in keys]


# --- The public record -------------------------------------------------------------------------


def age_band_for(age: int) -> str | None:
    if age < 1:
        return AgeBand.UNDER_1
    for band, (low, high) in {
        AgeBand.AGE_1_4: (1, 4),
        AgeBand.AGE_5_9: (5, 9),
        AgeBand.AGE_10_14: (10, 14),
        AgeBand.AGE_15_17: (15, 17),
        AgeBand.AGE_18_25: (18, 25),
    }.items():
        if low <= age <= high:
            return band
    return None


def _suggested_title(children) -> tuple[str, list[str]]:
    pseudonyms = [child.pseudonym for child in children if child.pseudonym]
    if len(pseudonyms) == 1:
        return f'Child "{pseudonyms[0]}"', pseudonyms
    if len(pseudonyms) > 1:
        return "Children " + ", ".join(pseudonyms[:-1]) + " and " + pseudonyms[-1], pseudonyms
    return "", []


def publication_create(*, actor: Actor, review: Review) -> Publication:
    """Start the publication of a completed review. Its public record is drafted from the
    review (type, dates, the children's age bands and pseudonyms); the title and summary are
    the partnership's to write. The record goes through the gate like every document."""
    require_start_publication(actor)
    if review.stage != "completed":
        raise ValidationError({"review": ["Only a completed review can be published."]})
    if Publication.objects.filter(review=review).exists():
        raise ValidationError({"review": ["This review already has a publication."]})
    children = review_children(review)
    incident = review.referral.incident_date if review.referral_id else None
    on = incident or review.commissioned_on
    bands = sorted(
        {band for child in children if (band := age_band_for(child.age_on(on)))},
        key=list(AgeBand.values).index,
    )
    title, pseudonyms = _suggested_title(children)
    with transaction.atomic():
        publication = Publication.objects.create(
            review=review,
            title=title,
            pseudonyms=pseudonyms,
            review_type=review.review_type,
            commissioned_month=review.commissioned_on.replace(day=1),
            incident_month=incident.replace(day=1) if incident else None,
            age_bands=bands,
            partnerships=publication_partnerships(review=review, owner=actor.partnership),
            created_by=actor.label,
        )
        _participants_statements(publication, review)
        publication_audit(actor, publication, "publication.created", review=review.reference)
        record_check_request(actor, publication)
    return publication


def publication_enter_directly(
    *,
    actor: Actor,
    title: str,
    review_type: str,
    published_on: datetime.date | None,
    published_precision: str = "day",
    summary_only: bool = False,
    partnerships: list[dict] | None = None,
    publication_uuid=None,
) -> Publication:
    """Enter a review the partnership published before it used Safeguard (before 2013, only an
    executive summary was published). Its documents and record still go through the gate (the
    patterns, and the identifiers to check recorded on it); it needs no pre-publication notice.
    Only the platform may name other partnerships (a joint review's participants)."""
    require_start_publication(actor)
    errors: dict[str, list[str]] = {}
    title = " ".join((title or "").split())
    if not title:
        error_add(errors, "title", "Give the publication its public title.")
    elif len(title) > TEXT_LIMITS["title"]:
        error_add(errors, "title", "Keep the title to 200 characters.")
    if review_type not in REVIEW_TYPES:
        error_add(errors, "review_type", "Choose the kind of review.")
    if published_precision not in ("day", "year", "unknown"):
        error_add(errors, "published_on", "Say how precise the publication date is.")
    if published_precision != "unknown" and published_on is None:
        error_add(errors, "published_on", "Enter the date it was published.")
    elif published_on and published_on > clock.today():
        error_add(errors, "published_on", "A review entered directly was published in the past.")
    if summary_only and published_on and published_on.year >= 2013:
        error_add(
            errors, "summary_only", "Only reviews published before 2013 have a summary alone."
        )
    errors_raise(errors)
    if (partnerships or publication_uuid) and not is_platform(actor):
        raise PermissionDenied("Only the platform names the partnerships of a joint review.")
    named = _check_partnerships(
        actor.partnership,
        partnerships or [{"key": actor.partnership.key, "name": actor.partnership.name}],
    )
    with transaction.atomic():
        publication = Publication.objects.create(
            **({"uuid": publication_uuid} if publication_uuid else {}),
            entered_directly=True,
            summary_only=summary_only,
            title=title,
            review_type=review_type,
            published_on=published_on if published_precision != "unknown" else None,
            published_precision=published_precision,
            partnerships=named,
            created_by=actor.label,
        )
        publication_audit(actor, publication, "publication.entered", summary_only=summary_only)
        record_check_request(actor, publication)
    return publication


@dataclass
class RecordInput:
    title: str
    summary: str = ""
    pseudonyms: list[str] | None = None
    themes: list[str] | None = None
    age_bands: list[str] | None = None
    commissioned_month: datetime.date | None = None
    incident_month: datetime.date | None = None
    improvements: str = ""


def publication_record_update(
    *, actor: Actor, publication: Publication, data: RecordInput
) -> Publication:
    """Change the public record. It is checked again; once published, the public sees the
    change when the check has passed."""
    require_edit_publication(actor, publication)
    publication_editable_check(publication)
    errors: dict[str, list[str]] = {}
    title = " ".join((data.title or "").split())
    if not title:
        error_add(errors, "title", 'Give the publication its public title, e.g. Child "Joe".')
    elif len(title) > TEXT_LIMITS["title"]:
        error_add(errors, "title", "Keep the title to 200 characters.")
    summary = (data.summary or "").strip()
    if len(summary) > TEXT_LIMITS["summary"]:
        error_add(errors, "summary", "Keep the summary to 6,000 characters.")
    improvements = (data.improvements or "").strip()
    if len(improvements) > TEXT_LIMITS["improvements"]:
        error_add(errors, "improvements", "Keep the improvements to 6,000 characters.")
    pseudonyms = [" ".join(p.split()) for p in (data.pseudonyms or []) if p.strip()]
    if len(pseudonyms) > 12 or any(len(p) > 100 for p in pseudonyms):
        error_add(errors, "pseudonyms", "Give at most 12 pseudonyms of up to 100 characters each.")
    themes = list(dict.fromkeys(data.themes or []))
    known = set(Theme.objects.filter(slug__in=themes).values_list("slug", flat=True))
    active = set(Theme.objects.filter(is_active=True).values_list("slug", flat=True))
    # A retired theme a publication already has may stay; it cannot be added.
    allowed = known & (active | set(publication.themes))
    if set(themes) - allowed:
        error_add(errors, "themes", "Choose themes from the list.")
    bands = [band for band in AgeBand.values if band in set(data.age_bands or [])]
    if set(data.age_bands or []) - set(bands):
        error_add(errors, "age_bands", "Choose age bands from the list.")
    for name in ("commissioned_month", "incident_month"):
        value = getattr(data, name)
        if value and value > clock.today():
            error_add(errors, name, "The month cannot be in the future.")
    errors_raise(errors)
    values = {
        "title": title,
        "summary": summary,
        "improvements": improvements,
        "pseudonyms": pseudonyms,
        "themes": themes,
        "age_bands": bands,
        "commissioned_month": data.commissioned_month.replace(day=1)
        if data.commissioned_month
        else None,
        "incident_month": data.incident_month.replace(day=1) if data.incident_month else None,
    }
    changed = [name for name, value in values.items() if getattr(publication, name) != value]
    if not changed:
        return publication
    with transaction.atomic():
        for name in changed:
            setattr(publication, name, values[name])
        publication.save(update_fields=changed)
        publication_audit(actor, publication, "publication.record_changed", fields=changed)
        publication_back_to_draft(actor, publication, "record changed")
        record_check_request(actor, publication)
    return publication


# --- Withdrawn and reopened -------------------------------------------------------------------


def publication_withdraw(*, actor: Actor, publication: Publication, reason: str) -> Publication:
    """Take a publication down: its page and documents go from the partnership's site and the
    library. Kept here, with every check, and can be reopened."""
    require_publish_publication(actor, publication)
    reason = (reason or "").strip()
    if publication.state == PublicationState.WITHDRAWN:
        raise ValidationError(["This publication is already withdrawn."])
    if not reason:
        raise ValidationError({"withdrawn_reason": ["Say why it is withdrawn."]})
    with transaction.atomic():
        was = publication.state
        publication.state = PublicationState.WITHDRAWN
        publication.withdrawn_reason = reason
        publication.scheduled_for = None
        publication.save(update_fields=["state", "withdrawn_reason", "scheduled_for"])
        publication.documents.filter(is_public=True).update(is_public=False)
        publication_audit(actor, publication, "publication.withdrawn", was=was)
        library_sync(publication)
        review_clocks_sync(publication)
    return publication


def publication_reopen(*, actor: Actor, publication: Publication) -> Publication:
    """A withdrawn publication back to draft, to correct and publish again."""
    require_publish_publication(actor, publication)
    if publication.state != PublicationState.WITHDRAWN:
        raise ValidationError(["Only a withdrawn publication can be reopened."])
    with transaction.atomic():
        publication.state = PublicationState.DRAFT
        publication.save(update_fields=["state"])
        publication_audit(actor, publication, "publication.reopened")
        readiness_refresh(actor, publication)
    return publication
