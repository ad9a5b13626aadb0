"""The national learning library on the bare platform domain (no sign-in): search with filters
and counts, the theme trends chart (an SVG drawn here, with its table: readable without
JavaScript), a page per publication linking to its partnerships' pages, and an Atom feed."""

import datetime
from dataclasses import replace
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET

from casework.processes import REVIEW_TYPES
from frontend.views.public_reviews import record_links, record_page
from publishing.library.models import AgeBand
from publishing.library.search import FILTERS, LibraryQuery, library_query_parse, library_search
from publishing.library.selectors import (
    library_latest,
    library_record_get,
    library_trends,
    partnerships_by_key,
    theme_labels,
)
from tenants.addresses import platform_url

FILTER_LABELS = {
    "theme": "Theme",
    "year": "Year published",
    "type": "Type of review",
    "partnership": "Partnership",
    "age_band": "Child's age",
}
# GOV.UK colours, each with its own dash pattern so that no line is told apart by colour alone.
LINE_STYLES = [
    ("#1d70b8", ""),
    ("#d4351c", "8 4"),
    ("#00703c", "2 3"),
    ("#f47738", "10 3 2 3"),
    ("#4c2c92", "5 5"),
    ("#28a197", "1 6"),
]


def _link(query: LibraryQuery) -> str:
    params = query.params()
    return "?" + urlencode(params) if params else "?"


def _facets(result) -> list[dict]:
    facets = []
    for name in FILTERS:
        values = [
            {
                "value": value,
                "url": _link(
                    result.query.without(name)
                    if value.selected
                    else result.query.with_value(
                        name, int(value.value) if name == "year" else value.value
                    )
                ),
            }
            for value in result.facets.get(name, [])
        ]
        facets.append({"name": name, "label": FILTER_LABELS[name], "values": values})
    return facets


def trends_chart(trends, width: int = 640, height: int = 280) -> dict:
    """The geometry of the theme trends chart: one line per theme over the years."""
    left, right, top, bottom = 44, 16, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    years = trends.years
    maximum = max(trends.maximum, 1)
    step = plot_w / max(len(years) - 1, 1)

    def x(index):
        return round(left + index * step, 1)

    def y(count):
        return round(top + plot_h - plot_h * count / maximum, 1)

    ticks = sorted({0, maximum, maximum // 2} if maximum > 1 else {0, 1})
    label_every = max(1, len(years) // 8)
    lines = []
    for (slug, label), (colour, dash) in zip(trends.themes, LINE_STYLES, strict=False):
        counts = [trends.counts.get((slug, year), 0) for year in years]
        lines.append(
            {
                "slug": slug,
                "label": label,
                "colour": colour,
                "dash": dash,
                "counts": counts,
                "points": " ".join(f"{x(i)},{y(c)}" for i, c in enumerate(counts)),
                "dots": [
                    {"x": x(i), "y": y(c), "count": c, "year": years[i]}
                    for i, c in enumerate(counts)
                ],
            }
        )
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "top": top,
        "bottom": top + plot_h,
        "years": [
            {"year": year, "x": x(i), "shown": i % label_every == 0 or i == len(years) - 1}
            for i, year in enumerate(years)
        ],
        "ticks": [{"value": tick, "y": y(tick)} for tick in ticks],
        "lines": lines,
    }


@require_GET
def library(request):
    errors = None
    try:
        query = library_query_parse(request.GET)
    except ValidationError as error:
        errors = [
            (field, message)
            for field, messages in error.message_dict.items()
            for message in messages
        ]
        query = LibraryQuery()
    result = library_search(query=query) if errors is None else None
    keys = {key for record in (result.records if result else []) for key in record.partnership_keys}
    partnerships = partnerships_by_key(keys=keys)
    trends = library_trends()
    labels = theme_labels()
    context = {
        "query": query,
        "result": result,
        "errors": errors,
        "items": [record_links(request, record, partnerships, labels) for record in result.records]
        if result
        else [],
        "facets": _facets(result) if result else [],
        "labels": labels,
        "trends": trends,
        "chart": trends_chart(trends) if trends.years else None,
        "previous_url": _link(replace(result.query, page=result.query.page - 1))
        if result and result.query.page > 1
        else "",
        "next_url": _link(replace(result.query, page=result.query.page + 1))
        if result and result.query.page < result.pages
        else "",
        "feed_url": "/library/feed/" + ("?" + urlencode(query.filters) if query.filters else ""),
        "type_labels": {key: t.label for key, t in REVIEW_TYPES.items()},
        "age_labels": dict(AgeBand.choices),
    }
    return render(request, "library/search.html", context, status=400 if errors else 200)


@require_GET
def library_record(request, record_uuid):
    record = library_record_get(record_uuid=record_uuid)
    if record is None:
        raise Http404("No such publication.")
    return record_page(request, record, "library/record.html")


class LibraryFeed(Feed):
    """The newest publications in the library, as Atom (the same filters as the search, for a
    feed of one theme or one partnership)."""

    feed_type = Atom1Feed
    title = "National case review library: newest publications"
    subtitle = "Published case reviews from England's safeguarding children partnerships"

    def __call__(self, request, *args, **kwargs):
        # An invalid query is the client's mistake, named as the page and the API name it:
        # a 400, not a 404 that says the feed does not exist.
        try:
            request.library_query = library_query_parse(request.GET)
        except ValidationError as error:
            lines = [
                f"{field}: {message}"
                for field, messages in error.message_dict.items()
                for message in messages
            ]
            return HttpResponseBadRequest(
                "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
            )
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request):
        return request.library_query

    def link(self, query):
        return platform_url("/library/")

    def items(self, query):
        if query.filters or query.q:
            records = library_search(query=query, page_size=50).records
        else:
            records = list(library_latest(limit=50))
        labels = theme_labels()
        for record in records:
            record.theme_labels = [labels.get(slug, slug) for slug in record.themes]
        return records

    def item_title(self, record):
        return record.title

    def item_description(self, record):
        return record.summary or record.improvements

    def item_link(self, record):
        return platform_url(f"/library/{record.uuid}/")

    def item_guid(self, record):
        return f"urn:uuid:{record.uuid}"

    item_guid_is_permalink = False

    def item_pubdate(self, record):
        if record.published_on is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(record.published_on, datetime.time()))

    def item_updateddate(self, record):
        return record.indexed_at

    def item_author_name(self, record):
        return ", ".join(p["name"] for p in record.partnerships)

    def item_categories(self, record):
        return record.theme_labels


library_feed = LibraryFeed()
