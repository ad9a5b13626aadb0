"""What the Panel and the Secretary of State are sent before publication, or instead of it
(DESIGN §2 step 7): the pre-publication notice (the report, 7 working days ahead of
publication), and a decision not to publish the report with its reasons, sent to the Panel and
the Secretary of State on a review clock. Dates recorded are real dates: not in the future, not
before what they follow, and changing one needs a reason, audited with the date it replaces.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from publishing.audit import publication_audit
from publishing.models import PREPARING_STATES, Publication, PublicationState
from publishing.permissions import require_publish_publication, require_record_notice
from publishing.selectors import (
    earliest_publication_date,
    publication_readiness,
    publication_ready_on,
)
from publishing.services.library_door import library_sync, review_clocks_sync
from tenants import clock
from tenants.actors import Actor
from tenants.validation import error_add, errors_raise

CHANGE_REASON_FIELD = "change_reason"


def _dates_check(
    publication: Publication,
    values: dict[str, datetime.date | None],
    *,
    not_before: datetime.date,
    what: str,
    change_reason: str,
) -> dict[str, dict]:
    """Each date is neither in the future nor before ``not_before`` (``what`` says what that
    is); a date already recorded that changes needs a reason. Returns the changes (before,
    after) for the audit trail; raises every problem at once."""
    errors: dict[str, list[str]] = {}
    changes = {}
    for name, value in values.items():
        if value is None:
            continue
        if value > clock.today():
            error_add(errors, name, "The date it was sent cannot be in the future.")
        elif value < not_before:
            error_add(errors, name, f"The date cannot be before {not_before.isoformat()}, {what}.")
    for name, value in values.items():
        before = getattr(publication, name)
        if before is not None and before != value:
            changes[name] = {
                "before": before.isoformat(),
                "after": value.isoformat() if value else None,
            }
    if changes and not (change_reason or "").strip():
        error_add(
            errors,
            CHANGE_REASON_FIELD,
            "Say why a date already recorded is changed: the change is kept in the audit trail.",
        )
    errors_raise(errors)
    return changes


def notice_record(
    *,
    actor: Actor,
    publication: Publication,
    panel_sent_on: datetime.date | None,
    secretary_of_state_sent_on: datetime.date | None,
    ofsted_sent_on: datetime.date | None,
    change_reason: str = "",
) -> Publication:
    """Record when the report went to the Panel, the Secretary of State and Ofsted. A date may
    not be in the future nor before the publication was ready (``publication_ready_on``: its
    report uploaded), so that the earliest publication date — 7 working days after the last of
    them (the Child Safeguarding Practice Review and Relevant Agency (England) Regulations 2018)
    — always follows from the real dates; changing a recorded date needs a reason, audited."""
    require_record_notice(actor, publication)
    if publication.state not in PREPARING_STATES:
        raise ValidationError(["The notice is recorded before publication."])
    ready_on = publication_ready_on(publication=publication)
    values = {
        "panel_sent_on": panel_sent_on,
        "secretary_of_state_sent_on": secretary_of_state_sent_on,
        "ofsted_sent_on": ofsted_sent_on,
    }
    if ready_on is None and any(values.values()):
        raise ValidationError(
            {"panel_sent_on": ["Upload the report before recording when it was sent."]}
        )
    changes = _dates_check(
        publication,
        values,
        not_before=ready_on or clock.today(),
        what="the day the report was uploaded",
        change_reason=change_reason,
    )
    with transaction.atomic():
        for name, value in values.items():
            setattr(publication, name, value)
        publication.save(update_fields=list(values))
        detail = {name: value.isoformat() if value else None for name, value in values.items()}
        publication_audit(actor, publication, "publication.notice_recorded", **detail)
        if changes:
            publication_audit(
                actor,
                publication,
                "publication.notice_changed",
                changes=changes,
                reason=change_reason.strip(),
            )
        if publication.state == PublicationState.SCHEDULED:
            earliest = earliest_publication_date(publication=publication)
            if earliest is None or earliest > publication.scheduled_for:
                publication.state = PublicationState.READY
                publication.scheduled_for = None
                publication.save(update_fields=["state", "scheduled_for"])
                publication_audit(actor, publication, "publication.unscheduled", because="notice")
    return publication


def publication_not_publish(*, actor: Actor, publication: Publication, reason: str) -> Publication:
    """Decide not to publish the report, with the reasons, and publish the improvements instead
    (written in the public record and checked by the gate like the rest of it). The reasons go
    to the Panel and the Secretary of State: a review clock runs from today until they are
    recorded as sent (``not_publish_reasons_sent_record``)."""
    require_publish_publication(actor, publication)
    reason = (reason or "").strip()
    errors: list[str] = []
    if publication.state not in PREPARING_STATES:
        errors.append("Only a publication not yet out can be withheld.")
    if not reason:
        errors.append("Say why the report is not published.")
    readiness = publication_readiness(publication=publication)
    record = readiness.checks[0]
    if not publication.improvements.strip():
        errors.append("Write the improvements to publish instead, in the public record.")
    elif not record.passed:
        errors.append(record.problem)
    if errors:
        raise ValidationError({"reason": errors})
    day = clock.today()
    with transaction.atomic():
        publication.not_published_reason = reason
        publication.not_published_on = day
        publication.state = PublicationState.NOT_PUBLISHED
        publication.scheduled_for = None
        publication.published_on = day
        publication.published_precision = "day"
        publication.public_record_run = record.run
        publication.documents.filter(is_public=True).update(is_public=False)
        publication.save(
            update_fields=[
                "not_published_reason",
                "not_published_on",
                "state",
                "scheduled_for",
                "published_on",
                "published_precision",
                "public_record_run",
            ]
        )
        publication_audit(actor, publication, "publication.not_published")
        library_sync(publication)
        review_clocks_sync(publication)
    return publication


def not_publish_reasons_sent_record(
    *,
    actor: Actor,
    publication: Publication,
    panel_sent_on: datetime.date | None,
    secretary_of_state_sent_on: datetime.date | None,
    change_reason: str = "",
) -> Publication:
    """Record when the reasons for not publishing went to the Panel and the Secretary of State
    (Working Together 2018 ch. 4 / 2023 ch. 5), and who sent them: both dates, not before the
    decision, not in the future. The clock from the decision stops on the later of the two."""
    require_record_notice(actor, publication)
    if publication.state != PublicationState.NOT_PUBLISHED or publication.not_published_on is None:
        raise ValidationError(["Record the reasons sent only after deciding not to publish."])
    values = {
        "reasons_panel_sent_on": panel_sent_on,
        "reasons_secretary_of_state_sent_on": secretary_of_state_sent_on,
    }
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        if value is None:
            error_add(errors, name, "Enter the date the reasons were sent.")
    errors_raise(errors)
    changes = _dates_check(
        publication,
        values,
        not_before=publication.not_published_on,
        what="the day it was decided not to publish",
        change_reason=change_reason,
    )
    with transaction.atomic():
        for name, value in values.items():
            setattr(publication, name, value)
        publication.reasons_sent_by = actor.label
        publication.save(update_fields=[*values, "reasons_sent_by"])
        publication_audit(
            actor,
            publication,
            "publication.not_published_reasons_sent",
            **{name: value.isoformat() for name, value in values.items()},
            changes=changes,
            reason=(change_reason or "").strip(),
        )
        review_clocks_sync(publication)
    return publication
