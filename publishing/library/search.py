"""Searching the national library (public schema): the filters read from a query string, one
page of results, and the counts beside each filter.

Search is PostgreSQL's full-text search in English (``websearch_to_tsquery``: words, "quoted
phrases", -exclusions, OR; it never fails on odd input), ranked by ``ts_rank`` over a weighted
vector (title and pseudonyms first). The counts beside each filter are of the publications the
other filters leave, so choosing a value shows what the others would give. Searching and
counting read the narrow index cards (``models.IndexCard``), not the records.
"""

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, QuerySet

from casework.processes import REVIEW_TYPES
from publishing.library.models import (
    THEME_BITS,
    AgeBand,
    FilterValue,
    IndexCard,
    LibraryEdition,
    LibraryRecord,
    Theme,
)
from publishing.library.selectors import SEARCH_CACHE_SECONDS, SEARCH_CONFIG, library_edition
from tenants.models import Partnership

QUERY_MAX_LENGTH = 200
PAGE_SIZE = 20
FILTERS = ("theme", "year", "type", "partnership", "age_band")
PARAMETERS = ("q", *FILTERS, "page")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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


def _filtered(query: LibraryQuery) -> QuerySet[LibraryRecord]:
    records = LibraryRecord.objects.all()
    if query.theme:
        records = records.filter(themes__contains=[query.theme])
    if query.year:
        records = records.filter(year=query.year)
    if query.type:
        records = records.filter(review_type=query.type)
    if query.partnership:
        records = records.filter(partnership_keys__contains=[query.partnership])
    if query.age_band:
        records = records.filter(age_bands__contains=[query.age_band])
    return records


@dataclass(frozen=True)
class _Values:
    """The library's filter values (``FilterValue``), read once per search: by code, by filter
    and value, and by filter and position (the bits of a card's ``theme_bits`` and
    ``age_bits``)."""

    by_id: dict[int, tuple[str, str]]
    by_value: dict[tuple[str, str], tuple[int, int]]  # (filter, value) -> (id, records)
    by_position: dict[tuple[str, int], str]
    themes: int  # how many theme positions there are


def _values() -> _Values:
    by_id, by_value, by_position = {}, {}, {}
    for code, name, value, position, records in FilterValue.objects.values_list(
        "id", "filter", "value", "position", "records"
    ):
        by_id[code] = (name, value)
        by_value[(name, value)] = (code, records)
        by_position[(name, position)] = value
    themes = 1 + max((p for (name, p) in by_position if name == "theme"), default=-1)
    return _Values(by_id, by_value, by_position, themes)


def _chosen(query: LibraryQuery, values: _Values) -> dict[str, int]:
    """The code of each value the query filters by; -1 (no card has it) for a value no record
    has ever had."""
    return {
        name: values.by_value.get((name, str(value)), (-1, 0))[0]
        for name, value in query.filters.items()
    }


_TEXT = "search_vector @@ websearch_to_tsquery(%(config)s::regconfig, %(q)s)"


def _page(
    query: LibraryQuery, values: _Values | None, offset: int, limit: int
) -> list[LibraryRecord]:
    if not query.q:
        records = _filtered(query).order_by(F("published_on").desc(nulls_last=True), "title", "id")
        return list(records[offset : offset + limit])
    text = SearchQuery(query.q, search_type="websearch", config=SEARCH_CONFIG)
    cards = IndexCard.objects.filter(search_vector=text)
    if query.filters:
        chosen = _chosen(query, values or _values())
        cards = cards.filter(filter_values__contains=list(chosen.values()))
    ids = list(
        cards.annotate(rank=SearchRank(F("search_vector"), text))
        .order_by("-rank", F("published_on").desc(nulls_last=True), "record_id")
        .values_list("record_id", flat=True)[offset : offset + limit]
    )
    found = LibraryRecord.objects.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def library_page(
    *, query: LibraryQuery, offset: int = 0, limit: int = PAGE_SIZE
) -> list[LibraryRecord]:
    """One page of the publications matching ``query``: best first for a search (``ts_rank``
    over the weighted vector; ties newest first), newest first otherwise. A search reads only
    the index cards, then the page's records by id."""
    return _page(query, None, offset, limit)


_DECODE_BITS = """
UNION ALL SELECT {n}, {first} - 1 + bit::int, count::int FROM (
    SELECT ARRAY[{bits}] AS counts FROM grouped WHERE grouping = {grouping}{tags}
) AS bits, unnest(counts) WITH ORDINALITY AS bit(count, bit) WHERE count > 0
"""
_DECODE_CODES = """
UNION ALL SELECT {n}, code, sum(n)::int FROM grouped, unnest({column}) AS code
    WHERE grouping = {grouping}{tags} GROUP BY 2
"""
_DECODE_CODE = """
UNION ALL SELECT {n}, {column}::int, sum(n)::int FROM grouped
    WHERE grouping = {grouping} AND {column} IS NOT NULL{tags} GROUP BY 2
"""


@dataclass(frozen=True)
class _Key:
    """One column the counting pass groups the cards by, and what it holds: ``year`` the year,
    ``code`` a FilterValue's id, ``codes`` an array of them, ``bits`` a bit per value from
    position ``first`` (``width`` of them)."""

    filter: str
    expression: str
    kind: str
    first: int = 0
    width: int = 0

    def decoded(self, n: int, column: str, grouping: int, tags: str) -> str:
        """SQL giving (n, value, count) for each filter value in the groups of this key's set:
        a bit's count is the sum over the groups with that bit set."""
        if self.kind == "bits":
            bits = ", ".join(
                f"sum(n) FILTER (WHERE {column} & {1 << bit} <> 0)" for bit in range(self.width)
            )
            return _DECODE_BITS.format(
                n=n, first=self.first, bits=bits, grouping=grouping, tags=tags
            )
        template = _DECODE_CODES if self.kind == "codes" else _DECODE_CODE
        return template.format(n=n, column=column, grouping=grouping, tags=tags)

    def known(self, key: int, values: _Values) -> bool:
        if self.kind == "year":
            return True
        if self.kind == "bits":
            return (self.filter, key) in values.by_position
        return key in values.by_id

    def value(self, key: int, values: _Values) -> str:
        if self.kind == "year":
            return str(key)
        if self.kind == "bits":
            return values.by_position[(self.filter, key)]
        return values.by_id[key][1]


THEME_SLICE = 10


def _sets(names: list[str], values: _Values) -> list[list[_Key]]:
    """What to group by, for the filters named: few grouping sets, since PostgreSQL looks each
    card up once per set, each with few groups. Year, type and age band together (a few
    hundred combinations); the lead partnership with the others (NULL for all but joint
    reviews: free to group by); the themes' bits ten at a time (grouping by the set of themes
    would give thousands of groups, and unnesting a row per theme costs far more)."""
    sets = []
    small = [
        _Key(name, expression, kind, width=len(AgeBand.values) if kind == "bits" else 0)
        for name, expression, kind in (
            ("year", "year", "year"),
            ("type", "type_value", "code"),
            ("age_band", "age_bits", "bits"),
        )
        if name in names
    ]
    if small:
        sets.append(small)
    if "partnership" in names:
        lead = _Key("partnership", "lead_partnership_value", "code")
        sets.append([lead, _Key("partnership", "other_partnership_values", "codes")])
    if "theme" in names:
        for first in range(0, min(values.themes, THEME_BITS), THEME_SLICE):
            width = min(THEME_SLICE, THEME_BITS - first)
            expression = f"(theme_bits >> {first}) & {(1 << width) - 1}"
            sets.append([_Key("theme", expression, "bits", first, width)])
        if values.themes > THEME_BITS:
            sets.append([_Key("theme", "more_theme_values", "codes")])
    return sets


# One pass over the cards needed, grouping them (OFFSET 0 keeps the inner query apart, so that
# the tag is computed once for each card, not once for each grouping set); then the groups,
# a few hundred, give one row for each filter value: (the key's place, its value, the count).
_COUNT_CARDS = """
WITH grouped AS MATERIALIZED (
    SELECT GROUPING({keys}) AS grouping, {tag_column}{keys}, count(*) AS n
    FROM (SELECT {tag}{columns} FROM library_indexcard WHERE {where} OFFSET 0) AS near
    GROUP BY GROUPING SETS ({sets})
)
SELECT -1, 0, sum(n)::int FROM grouped WHERE grouping = {everything}{total_tag}
{decoded}
"""


def _counts(query: LibraryQuery, values: _Values) -> tuple[int, dict[str, dict[str, int]]]:
    chosen = _chosen(query, values)
    counts: dict[str, dict[str, int]] = {name: {} for name in FILTERS}
    # A filter's counts are under the other filters and the search: with neither, they are
    # the totals every FilterValue keeps.
    from_cards = [name for name in FILTERS if query.q or set(chosen) - {name}]
    for (name, value), (_code, records) in values.by_value.items():
        if name not in from_cards and records > 0:
            counts[name][value] = records
    if not query.q and not chosen:
        edition = LibraryEdition.objects.filter(pk=1).values_list("records", flat=True)
        return edition.first() or 0, counts

    params: dict = {"config": SEARCH_CONFIG, "q": query.q}
    conditions = [_TEXT] if query.q else []
    # A chosen filter whose counts come from the cards needs the cards failing it alone; the
    # others need the cards passing every chosen filter.
    failing = [name for name in chosen if name in from_cards]
    near = []
    for n, name in enumerate(failing or [None]):
        codes = [code for of, code in chosen.items() if of != name]
        if not codes:  # the one filter chosen, with a search: every card the search finds
            near = []
            break
        params[f"near{n}"] = codes
        near.append(f"filter_values @> %(near{n})s::int[]")
    if near:
        conditions.append("(" + " OR ".join(near) + ")")
    # The tag: the chosen filter a card fails (at most one, by the condition above), numbered
    # by its place in FILTERS from 1; 0 for none.
    tags = {name: 1 + FILTERS.index(name) for name in chosen}
    tag = ""
    if failing:
        cases = []
        for name, code in chosen.items():
            params[f"tag{tags[name]}"] = code
            cases.append(f"WHEN NOT filter_values @> ARRAY[%(tag{tags[name]})s] THEN {tags[name]}")
        tag = "CASE " + " ".join(cases) + " ELSE 0 END"

    sets = _sets(from_cards, values)  # never none: a search or a filter needs counting
    keys = [key for group in sets for key in group]
    names = [f"k{n}" for n in range(len(keys))]
    everything = (1 << len(keys)) - 1  # GROUPING's bits, the first key's highest: not grouped
    with_tag = ["tag"] if tag else []
    groups, decoded, first = [], [], 0
    for group in sets:
        mine = range(first, first + len(group))
        grouping = everything - sum(1 << (len(keys) - 1 - n) for n in mine)
        for n in mine:
            if not tag:
                accepted = ""
            elif keys[n].filter in tags:
                accepted = f" AND tag IN (0, {tags[keys[n].filter]})"
            else:
                accepted = " AND tag = 0"
            decoded.append(keys[n].decoded(n, names[n], grouping, accepted))
        groups.append("(" + ", ".join(with_tag + [names[n] for n in mine]) + ")")
        first += len(group)
    sql = _COUNT_CARDS.format(
        keys=", ".join(names),
        tag_column="tag, " if tag else "",
        tag=f"{tag} AS tag, " if tag else "",
        columns=", ".join(f"{k.expression} AS {n}" for k, n in zip(keys, names, strict=True)),
        where=" AND ".join(conditions) or "TRUE",
        sets=", ".join(["(" + ", ".join(with_tag) + ")", *groups]),
        everything=everything,
        total_tag=" AND tag = 0" if tag else "",
        decoded="".join(decoded),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not all(keys[n].known(key, values) for n, key, _count in rows if n >= 0):
        # A value first seen by a publication committed since the values were read: read them
        # again (they now hold all the cards counted had).
        values = _values()
    total = 0
    for n, key, count in rows:
        if n < 0:
            total = count or 0
        else:
            value = keys[n].value(key, values)
            counts[keys[n].filter][value] = counts[keys[n].filter].get(value, 0) + count
    return total, counts


def library_counts(query: LibraryQuery) -> tuple[int, dict[str, dict[str, int]]]:
    """How many publications match, and for each filter the count of each of its values under
    the other filters (and the search): with no search, a filter chosen alone or none count
    from the totals every ``FilterValue`` keeps; otherwise one pass over the matching index
    cards, grouping on small integers (a theme is a bit of ``theme_bits``)."""
    return _counts(query, _values())


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResult:
    query: LibraryQuery
    records: list[LibraryRecord]
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
    values = _values()
    total, counts = _counts(query, values)
    pages = max(1, -(-total // page_size))
    page = min(query.page, pages)
    offset = (page - 1) * page_size
    records = _page(query, values, offset, page_size)
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
        query=replace(query, page=page), records=records, total=total, pages=pages, facets=facets
    )
