"""Reads of a review's merged chronology: its entries (current ones; corrections keep the
originals), a page of them with the outside-the-period flag, an entry's history, the CSV export
and the agencies to filter by. Each page, entry and export is audited."""

import datetime
from collections.abc import Iterator

from django.db.models import QuerySet

from casework.audit import review_audit
from casework.models import (
    ChronologyEntry,
    Review,
)
from tenants.actors import Actor
from tenants.agencies.models import Agency
from tenants.spreadsheets import csv_lines
from tenants.validation import found_or_404, uuid_or_404

CHRONOLOGY_PAGE_SIZE = 100


def chronology_entries(
    *,
    review: Review,
    agency_uuid=None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    key_only: bool = False,
) -> QuerySet[ChronologyEntry]:
    """The merged chronology, in the order things happened: current entries only (corrections
    replace what they correct; the originals stay, see ``chronology_history``)."""
    entries = review.chronology.filter(is_current=True).select_related("agency", "supersedes")
    if agency_uuid:
        entries = entries.filter(agency__uuid=uuid_or_404(agency_uuid))
    if start:
        entries = entries.filter(occurred_on__gte=start)
    if end:
        entries = entries.filter(occurred_on__lte=end)
    if key_only:
        entries = entries.filter(key_episode=True)
    return entries.order_by("occurred_on", "occurred_at", "id")


def _filters_read(filters: dict) -> dict:
    """The chronology's filters as an audit row records them: identifiers and dates only."""
    return {
        key: value if isinstance(value, bool) else str(value)
        for key, value in filters.items()
        if value
    }


def chronology_page(
    *,
    actor: Actor,
    review: Review,
    page: int = 1,
    page_size: int = CHRONOLOGY_PAGE_SIZE,
    printed: bool = False,
    **filters,
) -> dict:
    """One page of the chronology with each entry's outside-the-period flag (``printed``: the
    whole of it on the printable page); the read is audited with its filters."""
    entries = chronology_entries(review=review, **filters)
    total = entries.count()
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    rows = list(entries[(page - 1) * page_size : page * page_size])
    terms = review.terms.order_by("-version").first()
    for row in rows:
        row.outside_period = bool(
            terms and not terms.period_start <= row.occurred_on <= terms.period_end
        )
    review_audit(
        actor,
        review,
        "chronology.printed" if printed else "chronology.viewed",
        **{**_filters_read(filters), **({} if printed else {"page": page})},
    )
    return {"entries": rows, "total": total, "page": page, "pages": pages, "terms": terms}


def chronology_history(*, entry: ChronologyEntry) -> list[ChronologyEntry]:
    """An entry and every version it replaced, newest first."""
    history = [entry]
    while history[-1].supersedes_id:
        history.append(
            ChronologyEntry.objects.select_related("agency").get(pk=history[-1].supersedes_id)
        )
    return history


def access_chronology_entry(*, review: Review, entry_uuid) -> ChronologyEntry:
    return found_or_404(
        review.chronology.select_related("agency").filter(uuid=uuid_or_404(entry_uuid)).first(),
        "No such entry.",
    )


def chronology_entry_for_page(*, actor: Actor, review: Review, entry_uuid) -> ChronologyEntry:
    """An entry of the review's chronology, for its page, its row or the form correcting it;
    the read is audited."""
    entry = access_chronology_entry(review=review, entry_uuid=entry_uuid)
    review_audit(actor, review, "chronology_entry.viewed", entry=str(entry.uuid))
    return entry


CSV_HEADER = [
    "date",
    "time",
    "agency",
    "what happened",
    "who",
    "source",
    "key practice episode",
    "entered by",
    "entered at",
]


def chronology_csv(*, actor: Actor, review: Review, **filters) -> Iterator[str]:
    """The chronology as CSV lines, streamed; the export is audited."""
    review_audit(actor, review, "chronology.exported", **_filters_read(filters))
    rows = chronology_entries(review=review, **filters).values_list(
        "occurred_on",
        "occurred_at",
        "agency__name",
        "what_happened",
        "who",
        "source_document",
        "key_episode",
        "entered_by",
        "entered_at",
    )
    yield from csv_lines([CSV_HEADER])
    yield from csv_lines(
        [
            on.isoformat(),
            at.strftime("%H:%M") if at else "",
            agency,
            what,
            who,
            source,
            "yes" if key else "",
            by,
            entered.isoformat(timespec="seconds"),
        ]
        for on, at, agency, what, who, source, key, by, entered in rows.iterator(chunk_size=2000)
    )


def chronology_agencies(*, review: Review) -> QuerySet[Agency]:
    """The agencies with entries in a review's chronology (to filter it by), whosever they are."""
    return Agency.objects.filter(pk__in=review.chronology.values("agency")).order_by(
        "home_partnership_key", "name"
    )
