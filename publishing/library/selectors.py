"""Reads of the national library (public schema): search with filters and counts, a partnership's
publications, one entry, the theme trends, the feed.

Search is PostgreSQL's full-text search in English (``websearch_to_tsquery``: words, "quoted
phrases", -exclusions, OR; it never fails on odd input), ranked by ``ts_rank_cd`` over a
weighted vector (title and pseudonyms first). The counts beside each filter are of the
publications the other filters leave, so choosing a value shows what the others would give.
"""

import hashlib
import json
import re
import uuid as uuid_module
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, Q, QuerySet

from casework.review_types import REVIEW_TYPES
from publishing.library.models import AgeBand, Entry, LibraryEdition, Theme
from tenants.models import Partnership

SEARCH_CONFIG = "english"
QUERY_MAX_LENGTH = 200
PAGE_SIZE = 20
FILTERS = ("theme", "year", "type", "partnership", "age_band")
PARAMETERS = ("q", *FILTERS, "page")
TREND_THEMES = 6
SEARCH_CACHE_SECONDS = 600
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def platform_url(path: str = "/") -> str:
    """An absolute address on the bare platform domain (the library, its feed)."""
    scheme = settings.PLATFORM_SCHEME
    port = settings.PLATFORM_PORT
    default_port = {"http": "80", "https": "443"}.get(scheme)
    suffix = f":{port}" if port and port != default_port else ""
    return f"{scheme}://{settings.PLATFORM_DOMAIN}{suffix}{path}"


@dataclass(frozen=True)
class LibraryQuery:
    q: str = ""
    theme: str = ""
    year: int | None = None
    type: str = ""
    partnership: str = ""
    age_band: str = ""
    page: int = 1

    @property
    def filters(self) -> dict:
        return {name: getattr(self, name) for name in FILTERS if getattr(self, name)}

    def without(self, name: str) -> "LibraryQuery":
        return replace(self, **{name: None if name == "year" else ""}, page=1)

    def with_value(self, name: str, value) -> "LibraryQuery":
        return replace(self, **{name: value}, page=1)

    def params(self) -> dict:
        """As query-string parameters, in a fixed order, empty ones left out."""
        values = {"q": self.q, **self.filters}
        if self.page > 1:
            values["page"] = self.page
        return {key: value for key, value in values.items() if value not in ("", None)}


def _one(params: Mapping, name: str, errors: dict) -> str:
    getlist = getattr(params, "getlist", None)
    values = getlist(name) if getlist else [params.get(name)]
    values = [v for v in values if v is not None]
    if len(values) > 1:
        errors.setdefault(name, []).append(f"Give one value for '{name}'.")
        return ""
    return (values[0] if values else "").strip()


def library_query_parse(params: Mapping) -> LibraryQuery:
    """The library's filters from query-string parameters, or a ValidationError naming each
    one that cannot be read: unknown parameters, an unknown theme, type, partnership or age
    band, a year that is not a year, a search longer than 200 characters."""
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(params.keys()) - set(PARAMETERS))
    for name in unknown:
        errors.setdefault(name[:40], []).append(
            "Unknown filter. Use q, theme, year, type, partnership, age_band or page."
        )
    q = _CONTROL.sub(" ", _one(params, "q", errors))
    q = " ".join(q.split())
    if len(q) > QUERY_MAX_LENGTH:
        errors.setdefault("q", []).append(
            f"Search for at most {QUERY_MAX_LENGTH} characters (you gave {len(q)})."
        )
    theme = _one(params, "theme", errors)
    if theme and not Theme.objects.filter(slug=theme).exists():
        errors.setdefault("theme", []).append("There is no such theme.")
    year_text = _one(params, "year", errors)
    year = None
    if year_text:
        if not re.fullmatch(r"\d{4}", year_text) or not 1900 <= int(year_text) <= 2100:
            errors.setdefault("year", []).append("Give a year as four digits, e.g. 2018.")
        else:
            year = int(year_text)
    review_type = _one(params, "type", errors)
    if review_type and review_type not in REVIEW_TYPES:
        errors.setdefault("type", []).append("There is no such review type.")
    partnership = _one(params, "partnership", errors)
    if partnership and not Partnership.objects.filter(key=partnership[:40]).exists():
        errors.setdefault("partnership", []).append("There is no such partnership.")
    age_band = _one(params, "age_band", errors)
    if age_band and age_band not in AgeBand.values:
        errors.setdefault("age_band", []).append("There is no such age band.")
    page_text = _one(params, "page", errors)
    page = 1
    if page_text:
        if not page_text.isdigit() or not 1 <= int(page_text) <= 10_000:
            errors.setdefault("page", []).append("Give a page number from 1.")
        else:
            page = int(page_text)
    if errors:
        raise ValidationError(errors)
    return LibraryQuery(
        q=q,
        theme=theme,
        year=year,
        type=review_type,
        partnership=partnership,
        age_band=age_band,
        page=page,
    )


def _filtered(query: LibraryQuery) -> QuerySet[Entry]:
    entries = Entry.objects.all()
    if query.theme:
        entries = entries.filter(themes__contains=[query.theme])
    if query.year:
        entries = entries.filter(year=query.year)
    if query.type:
        entries = entries.filter(review_type=query.type)
    if query.partnership:
        entries = entries.filter(partnership_keys__contains=[query.partnership])
    if query.age_band:
        entries = entries.filter(age_bands__contains=[query.age_band])
    return entries


def _search(query: LibraryQuery) -> QuerySet[Entry]:
    entries = _filtered(query)
    if not query.q:
        return entries.order_by(F("published_on").desc(nulls_last=True), "title", "id")
    text = SearchQuery(query.q, search_type="websearch", config=SEARCH_CONFIG)
    return (
        entries.filter(search_vector=text)
        .annotate(rank=SearchRank(F("search_vector"), text))
        .order_by("-rank", F("published_on").desc(nulls_last=True), "id")
    )


_FACETS_SQL = """
WITH base AS (
    SELECT themes, year, review_type, partnership_keys, age_bands,
        (%(theme)s::text IS NULL OR themes @> ARRAY[%(theme)s]::varchar[]) AS f_theme,
        (%(year)s::int IS NULL OR year = %(year)s::int) AS f_year,
        (%(type)s::text IS NULL OR review_type = %(type)s::text) AS f_type,
        (%(partnership)s::text IS NULL
            OR partnership_keys @> ARRAY[%(partnership)s]::varchar[]) AS f_partnership,
        (%(age_band)s::text IS NULL OR age_bands @> ARRAY[%(age_band)s]::varchar[]) AS f_age
    FROM library_entry
    WHERE {text_condition}
), near AS (
    SELECT * FROM base
    WHERE f_theme::int + f_year::int + f_type::int + f_partnership::int + f_age::int >= 4
)
SELECT 'total', '', count(*) FROM near
    WHERE f_theme AND f_year AND f_type AND f_partnership AND f_age
UNION ALL
SELECT 'theme', value, count(*) FROM near, unnest(themes) AS value
    WHERE f_year AND f_type AND f_partnership AND f_age GROUP BY value
UNION ALL
SELECT 'year', year::text, count(*) FROM near
    WHERE f_theme AND f_type AND f_partnership AND f_age AND year IS NOT NULL GROUP BY year
UNION ALL
SELECT 'type', review_type, count(*) FROM near
    WHERE f_theme AND f_year AND f_partnership AND f_age GROUP BY review_type
UNION ALL
SELECT 'partnership', value, count(*) FROM near, unnest(partnership_keys) AS value
    WHERE f_theme AND f_year AND f_type AND f_age GROUP BY value
UNION ALL
SELECT 'age_band', value, count(*) FROM near, unnest(age_bands) AS value
    WHERE f_theme AND f_year AND f_type AND f_partnership GROUP BY value
"""


def library_counts(query: LibraryQuery) -> tuple[int, dict[str, dict[str, int]]]:
    """How many publications match, and for each filter the count of each of its values
    (under the other filters), in one query."""
    params = {
        "theme": query.theme or None,
        "year": query.year,
        "type": query.type or None,
        "partnership": query.partnership or None,
        "age_band": query.age_band or None,
    }
    text_condition = "TRUE"
    if query.q:
        text_condition = "search_vector @@ websearch_to_tsquery(%(config)s::regconfig, %(q)s)"
        params.update(q=query.q, config=SEARCH_CONFIG)
    counts: dict[str, dict[str, int]] = {name: {} for name in FILTERS}
    total = 0
    with connection.cursor() as cursor:
        cursor.execute(_FACETS_SQL.format(text_condition=text_condition), params)
        for facet, value, count in cursor.fetchall():
            if facet == "total":
                total = count
            else:
                counts[facet][value] = count
    return total, counts


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResult:
    query: LibraryQuery
    entries: list[Entry]
    total: int
    pages: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)


def _labels(name: str, values) -> dict[str, str]:
    if name == "theme":
        return dict(Theme.objects.filter(slug__in=values).values_list("slug", "label"))
    if name == "type":
        return {key: REVIEW_TYPES[key].label for key in values if key in REVIEW_TYPES}
    if name == "partnership":
        return dict(Partnership.objects.filter(key__in=values).values_list("key", "name"))
    if name == "age_band":
        return {key: AgeBand(key).label for key in values if key in AgeBand.values}
    return {value: value for value in values}


def library_edition() -> str:
    """The library's current edition (changes whenever an entry is saved or removed)."""
    found = LibraryEdition.objects.filter(pk=1).values_list("token", flat=True).first()
    return str(found or "empty")


def library_search(
    *, query: LibraryQuery, page_size: int = PAGE_SIZE, cached: bool = True
) -> SearchResult:
    """One page of the publications matching ``query``, best first (or newest first without a
    search), with the counts for every filter. A fixed number of queries; the answer is cached
    for the library's current edition (``SEARCH_CACHE_SECONDS``), so the front page's counts
    over the whole library are computed once per change, not once per visitor."""
    if not cached:
        return _library_search(query=query, page_size=page_size)
    digest = hashlib.sha256(
        json.dumps([query.params(), query.page, page_size], sort_keys=True).encode()
    ).hexdigest()
    key = f"library:search:{library_edition()}:{digest}"
    found = cache.get(key)
    if found is None:
        found = _library_search(query=query, page_size=page_size)
        cache.set(key, found, SEARCH_CACHE_SECONDS)
    return found


def _library_search(*, query: LibraryQuery, page_size: int) -> SearchResult:
    total, counts = library_counts(query)
    pages = max(1, -(-total // page_size))
    page = min(query.page, pages)
    offset = (page - 1) * page_size
    entries = list(_search(query)[offset : offset + page_size])
    facets = {}
    for name in FILTERS:
        found = counts[name]
        labels = _labels(name, found.keys())
        selected = str(getattr(query, name) or "")
        values = [
            FacetValue(value, labels.get(value, value), count, value == selected)
            for value, count in found.items()
        ]
        if name == "year":
            values.sort(key=lambda v: v.value, reverse=True)
        elif name == "age_band":
            order = list(AgeBand.values)
            values.sort(key=lambda v: order.index(v.value) if v.value in order else 99)
        else:
            values.sort(key=lambda v: (-v.count, v.label.lower()))
        facets[name] = values
    return SearchResult(
        query=replace(query, page=page), entries=entries, total=total, pages=pages, facets=facets
    )


def library_entry_get(*, entry_uuid) -> Entry | None:
    try:
        value = uuid_module.UUID(str(entry_uuid))
    except (TypeError, ValueError, AttributeError):
        return None
    return Entry.objects.filter(uuid=value).first()


def library_entries_of_partnership(*, key: str) -> QuerySet[Entry]:
    """Every publication naming the partnership (its own, and the joint reviews it took part
    in, whichever partnership led them), newest first."""
    return Entry.objects.filter(partnership_keys__contains=[key]).order_by(
        F("published_on").desc(nulls_last=True), "title", "id"
    )


def library_latest(*, limit: int = 50) -> QuerySet[Entry]:
    return Entry.objects.filter(published_on__isnull=False).order_by(
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
            "SELECT theme, year, count(*) FROM library_entry, unnest(themes) AS theme "
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
