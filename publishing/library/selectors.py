"""Reads of the national library (public schema): one record, a partnership's publications, the
latest (the feed), the themes, the theme trends, and the library's current edition. Searching
it, with the counts beside the filters, is ``publishing.library.search``.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import F, Q, QuerySet

from publishing.library.models import LibraryEdition, LibraryRecord, Theme
from tenants.models import Partnership
from tenants.validation import uuid_parse

# The PostgreSQL text search configuration the library's index is built and searched with.
SEARCH_CONFIG = "english"

TREND_THEMES = 6
SEARCH_CACHE_SECONDS = 600


def library_edition() -> str:
    """The library's current edition (changes whenever a record is saved or removed)."""
    found = LibraryEdition.objects.filter(pk=1).values_list("token", flat=True).first()
    return str(found or "empty")


def library_record_get(*, record_uuid) -> LibraryRecord | None:
    value = uuid_parse(record_uuid)
    if value is None:
        return None
    return LibraryRecord.objects.filter(uuid=value).first()


def library_records_of_partnership(*, key: str) -> QuerySet[LibraryRecord]:
    """Every publication naming the partnership (its own, and the joint reviews it took part
    in, whichever partnership led them), newest first."""
    return LibraryRecord.objects.filter(partnership_keys__contains=[key]).order_by(
        F("published_on").desc(nulls_last=True), "title", "id"
    )


def library_latest(*, limit: int = 50) -> QuerySet[LibraryRecord]:
    return LibraryRecord.objects.filter(published_on__isnull=False).order_by(
        F("published_on").desc(), "title", "id"
    )[:limit]


def themes_active() -> QuerySet[Theme]:
    return Theme.objects.filter(is_active=True).order_by("label")


def themes_offered(*, current=()) -> QuerySet[Theme]:
    """The themes a publication may be tagged with: the active ones, and any retired theme it
    already has."""
    return Theme.objects.filter(Q(is_active=True) | Q(slug__in=list(current))).order_by("label")


def theme_labels() -> dict[str, str]:
    return dict(Theme.objects.values_list("slug", "label"))


def partnerships_by_key(*, keys) -> dict[str, Partnership]:
    """The partnerships named, with their domains, to link to their pages (two queries)."""
    return {
        partnership.key: partnership
        for partnership in Partnership.objects.filter(key__in=set(keys)).prefetch_related("domains")
    }


@dataclass
class Trends:
    years: list[int]
    themes: list[tuple[str, str]]  # (slug, label), most frequent first
    counts: dict[tuple[str, int], int]
    maximum: int


def library_trends(*, top: int = TREND_THEMES) -> Trends:
    """Publications per theme per year, for the most frequent themes: the library's chart.
    Cached for the library's current edition."""
    key = f"library:trends:{library_edition()}:{top}"
    found = cache.get(key)
    if found is None:
        found = _library_trends(top)
        cache.set(key, found, SEARCH_CACHE_SECONDS)
    return found


def _library_trends(top: int) -> Trends:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT theme, year, count(*) FROM library_libraryrecord, unnest(themes) AS theme "
            "WHERE year IS NOT NULL GROUP BY theme, year"
        )
        rows = cursor.fetchall()
    totals: dict[str, int] = {}
    for theme, _year, count in rows:
        totals[theme] = totals.get(theme, 0) + count
    chosen = sorted(totals, key=lambda slug: (-totals[slug], slug))[:top]
    labels = theme_labels()
    counts = {(theme, year): count for theme, year, count in rows if theme in chosen}
    years_seen = [year for (_theme, year) in counts]
    years = list(range(min(years_seen), max(years_seen) + 1)) if years_seen else []
    return Trends(
        years=years,
        themes=[(slug, labels.get(slug, slug)) for slug in chosen],
        counts=counts,
        maximum=max(counts.values(), default=0),
    )
