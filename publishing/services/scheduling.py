"""Taking a publication to the public (DESIGN §2 step 7): scheduling (7 working days after the
pre-publication notice, ``publishing.services.notices``), publishing (now, or on the scheduled
day by the daily job), recording a review entered directly as published, delays, and the months
online.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction

from publishing.models import PREPARING_STATES, Publication, PublicationDocument, PublicationState
from publishing.notice import NOTICE_WORKING_DAYS
from publishing.permissions import (
    publication_runners_emails,
    require_publish_publication,
)
from publishing.selectors import (
    current_documents,
    earliest_publication_date,
    publication_readiness,
)
from publishing.services.changes import publication_audit
from publishing.services.library_door import library_sync, review_clocks_sync
from tenants import clock
from tenants.actors import Actor
from tenants.addresses import partnership_url
from tenants.files import StoredFileAltered, stored_file_read
from tenants.validation import error_add, errors_raise


def _notice_problem(publication: Publication, day: datetime.date) -> str:
    earliest = earliest_publication_date(publication=publication)
    if earliest is None:
        return (
            "Record when the report was sent to the Panel, the Secretary of State and Ofsted: "
            f"they must have it {NOTICE_WORKING_DAYS} working days before publication."
        )
    if day < earliest:
        return (
            f"The earliest publication date is {earliest.isoformat()}: {NOTICE_WORKING_DAYS} "
            "working days after the report was last sent ahead of publication."
        )
    return ""


def publication_schedule(
    *, actor: Actor, publication: Publication, on: datetime.date | None
) -> Publication:
    """Schedule publication for a date at least 7 working days after the pre-publication notice
    (the clock engine's working days); only a ready publication, and not while delayed."""
    require_publish_publication(actor, publication)
    if on is None:
        raise ValidationError({"scheduled_for": ["Enter the date to publish on."]})
    if on < clock.today():
        raise ValidationError({"scheduled_for": ["The date cannot be in the past."]})
    errors = _going_out_problems(publication, on, doing="scheduled", check_again=False)
    if errors:
        raise ValidationError({"scheduled_for": errors})
    with transaction.atomic():
        publication.state = PublicationState.SCHEDULED
        publication.scheduled_for = on
        publication.save(update_fields=["state", "scheduled_for"])
        publication_audit(actor, publication, "publication.scheduled", on=on.isoformat())
    return publication


def publication_unschedule(*, actor: Actor, publication: Publication) -> Publication:
    require_publish_publication(actor, publication)
    if publication.state != PublicationState.SCHEDULED:
        raise ValidationError(["This publication is not scheduled."])
    with transaction.atomic():
        publication.state = PublicationState.READY
        publication.scheduled_for = None
        publication.save(update_fields=["state", "scheduled_for"])
        publication_audit(actor, publication, "publication.unscheduled", because="asked")
    return publication


def _going_out_problems(
    publication: Publication, day: datetime.date, *, doing: str, check_again: bool
) -> list[str]:
    """What stops the publication going out on ``day`` (being ``doing``: scheduled or
    published): it is not ready (``check_again``: what is stored now has still passed the
    gate), it is delayed, or the notice did not go out 7 working days before."""
    problems = []
    if publication.state not in (PublicationState.READY, PublicationState.SCHEDULED):
        problems += publication_readiness(publication=publication).missing or [
            f"Only a publication that is ready can be {doing}."
        ]
    elif check_again:
        problems += publication_readiness(publication=publication).missing
    if publication.is_delayed:
        problems.append(f"Publication is delayed: {publication.delay_reason}")
    if not publication.entered_directly:
        problem = _notice_problem(publication, day)
        if problem:
            problems.append(problem)
    return problems


def _go_public(actor: Actor, publication: Publication, *, state: str) -> None:
    readiness = publication_readiness(publication=publication)
    documents = current_documents(publication=publication)
    for document in documents:
        try:
            stored_file_read(document.file, sha256=document.sha256)
        except StoredFileAltered:
            raise ValidationError(
                [
                    f"The stored {document.get_kind_display().lower()} is not the file the gate "
                    "checked: upload it again."
                ]
            ) from None
    now = clock.now()
    publication.documents.filter(is_public=True).update(is_public=False)
    PublicationDocument.objects.filter(pk__in=[d.pk for d in documents]).update(
        is_public=True, published_at=now
    )
    publication.public_record_run = readiness.record_run
    publication.state = state
    publication.scheduled_for = None
    publication.save(
        update_fields=[
            "public_record_run",
            "state",
            "scheduled_for",
            "published_on",
            "published_precision",
            "online_until",
        ]
    )
    library_sync(publication)
    review_clocks_sync(publication)


def publication_publish(
    *, actor: Actor, publication: Publication, day: datetime.date | None = None
) -> Publication:
    """Publish now (or, for the daily job, on the scheduled day): the gate has passed everything
    as it is stored now, the notice went out at least 7 working days before, and publication is
    not delayed. The report stays online for the partnership's retention period (at least 12
    months), then is available on request."""
    require_publish_publication(actor, publication)
    day = day or clock.today()
    problems = _going_out_problems(publication, day, doing="published", check_again=True)
    if problems:
        raise ValidationError({"publish": problems})
    months = actor.partnership.publication_months_online
    with transaction.atomic():
        publication.published_on = day
        publication.published_precision = "day"
        publication.online_until = day + relativedelta(months=months)
        _go_public(actor, publication, state=PublicationState.PUBLISHED)
        publication_audit(
            actor,
            publication,
            "publication.published",
            on=day.isoformat(),
            online_until=publication.online_until.isoformat(),
        )
    return publication


def publication_record_as_published(
    *, actor: Actor, publication: Publication, online: bool
) -> Publication:
    """A review entered directly goes into the library as the partnership published it: still
    online (kept there by the partnership's choice), or available on request."""
    require_publish_publication(actor, publication)
    if not publication.entered_directly:
        raise ValidationError(["Only a review entered directly is recorded as published."])
    readiness = publication_readiness(publication=publication)
    if publication.state not in (PublicationState.READY, PublicationState.DRAFT):
        raise ValidationError(["This publication is already public or withdrawn."])
    if not readiness.ready:
        raise ValidationError({"publish": readiness.missing})
    with transaction.atomic():
        publication.online_until = None
        _go_public(
            actor,
            publication,
            state=PublicationState.PUBLISHED if online else PublicationState.ON_REQUEST,
        )
        publication_audit(actor, publication, "publication.recorded_as_published", online=online)
    return publication


def publication_delay(
    *, actor: Actor, publication: Publication, reason: str, review_on: datetime.date | None
) -> Publication:
    """Hold publication back (e.g. parallel criminal proceedings), with a date to look again."""
    require_publish_publication(actor, publication)
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if publication.state not in PREPARING_STATES:
        error_add(errors, "reason", "Only a publication not yet out can be delayed.")
    if not reason:
        error_add(errors, "reason", "Say why publication is delayed.")
    if review_on is None or review_on <= clock.today():
        error_add(errors, "review_on", "Enter a date in the future to review the delay.")
    errors_raise(errors)
    with transaction.atomic():
        publication.delay_reason = reason
        publication.delay_review_on = review_on
        fields = ["delay_reason", "delay_review_on"]
        if publication.state == PublicationState.SCHEDULED:
            publication.state = PublicationState.READY
            publication.scheduled_for = None
            fields += ["state", "scheduled_for"]
        publication.save(update_fields=fields)
        publication_audit(
            actor, publication, "publication.delayed", review_on=review_on.isoformat()
        )
    return publication


def publication_delay_lift(*, actor: Actor, publication: Publication) -> Publication:
    require_publish_publication(actor, publication)
    if not publication.is_delayed:
        raise ValidationError(["Publication is not delayed."])
    with transaction.atomic():
        publication.delay_reason = ""
        publication.delay_review_on = None
        publication.save(update_fields=["delay_reason", "delay_review_on"])
        publication_audit(actor, publication, "publication.delay_lifted")
    return publication


def publication_keep_online(
    *, actor: Actor, publication: Publication, until: datetime.date | None
) -> Publication:
    """Keep a publication online longer than the retention period (a date, or no end date); an
    available-on-request one comes back online. Never less than the partnership's period."""
    require_publish_publication(actor, publication)
    if publication.state not in (PublicationState.PUBLISHED, PublicationState.ON_REQUEST):
        raise ValidationError({"online_until": ["Only a published review stays online."]})
    if until is not None:
        floor = None
        if publication.published_on and not publication.entered_directly:
            floor = publication.published_on + relativedelta(
                months=actor.partnership.publication_months_online
            )
        if until <= clock.today() or (floor and until < floor):
            raise ValidationError(
                {
                    "online_until": [
                        "Choose a date in the future and no earlier than the retention period "
                        f"({actor.partnership.publication_months_online} months)."
                    ]
                }
            )
    with transaction.atomic():
        publication.online_until = until
        publication.state = PublicationState.PUBLISHED
        publication.save(update_fields=["online_until", "state"])
        publication_audit(
            actor,
            publication,
            "publication.kept_online",
            until=until.isoformat() if until else None,
        )
        library_sync(publication)
    return publication


def publications_daily(*, actor: Actor, day: datetime.date | None = None) -> dict[str, int]:
    """The daily job: publish what is scheduled for today or earlier (if it still may be: a
    publication that may not is left scheduled and its managers told why), make available on
    request what has been online for the partnership's retention period (its page stays, its
    documents are no longer served), and remind the business managers of delays due for review
    today. Safe to run twice (a second run the same day repeats only the reminders)."""
    day = day or clock.today()
    published = blocked = moved = 0
    due = Publication.objects.filter(state=PublicationState.SCHEDULED, scheduled_for__lte=day)
    for publication in due:
        try:
            publication_publish(actor=actor, publication=publication, day=day)
            published += 1
        except ValidationError as error:
            blocked += 1
            _schedule_blocked(actor, publication, error.messages)
    expired = Publication.objects.filter(
        state=PublicationState.PUBLISHED, online_until__isnull=False, online_until__lt=day
    )
    for publication in expired:
        with transaction.atomic():
            claimed = Publication.objects.filter(
                pk=publication.pk, state=PublicationState.PUBLISHED
            ).update(state=PublicationState.ON_REQUEST)
            if not claimed:
                continue
            publication.state = PublicationState.ON_REQUEST
            publication_audit(
                actor,
                publication,
                "publication.on_request",
                online_until=str(publication.online_until),
            )
            library_sync(publication)
            moved += 1
    reminded = 0
    due_for_review = Publication.objects.exclude(delay_reason="").filter(delay_review_on=day)
    for publication in due_for_review:
        # The row is the reminder: its hand-off (publishing/handoffs.py) tells the business
        # managers, once a day each however often this job runs.
        with transaction.atomic():
            publication_audit(actor, publication, "publication.delay_review_due")
        reminded += 1
    return {"published": published, "blocked": blocked, "on_request": moved, "delays": reminded}


def _schedule_blocked(actor: Actor, publication: Publication, reasons: list[str]) -> None:
    with transaction.atomic():
        publication_audit(actor, publication, "publication.schedule_blocked", reasons=len(reasons))
    recipients = publication_runners_emails(actor.partnership)
    if recipients:
        path = f"/publications/{publication.uuid}/"
        send_mail(
            subject="A scheduled publication could not be published",
            message=(
                "A publication scheduled for today was not published:\n\n- "
                + "\n- ".join(reasons)
                + "\n\n"
                + partnership_url(partnership=actor.partnership, path=path)
            ),
            from_email=None,
            recipient_list=recipients,
        )
