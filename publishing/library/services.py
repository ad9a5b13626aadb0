"""Writes to the national library index and the themes vocabulary (public schema).

``library_record_save`` and ``library_record_remove`` are called by ``publishing.services`` when a
publication's public record goes out, changes or is withdrawn, in the same transaction as the
change. They run on the partnership's connection without switching schemas: the public schema is on
every partnership's search_path, and these tables exist only there. With the record they write its
index card and the counts of its filter values (``models.IndexCard``, ``models.FilterValue``), from
the record's row, by the same SQL that ``library_index_rebuild`` runs for every record."""

import uuid as uuid_module
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Now
from django.utils.text import slugify

from publishing.library.models import (
    THEME_BITS,
    AgeBand,
    Availability,
    FilterValue,
    IndexCard,
    LibraryEdition,
    LibraryRecord,
    Theme,
)
from publishing.library.selectors import SEARCH_CONFIG


@dataclass
class LibraryRecordData:
    """The anonymised public record of one publication, as the library keeps it."""

    uuid: object
    partnerships: list[dict]  # [{"key", "name"}], lead first
    title: str
    review_type: str
    review_type_label: str
    availability: str
    pseudonyms: list[str] = field(default_factory=list)
    commissioned_month: object = None
    incident_month: object = None
    published_on: object = None
    published_precision: str = "day"
    summary: str = ""
    themes: list[str] = field(default_factory=list)
    age_bands: list[str] = field(default_factory=list)
    chair_statements: list[dict] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    summary_only: bool = False
    improvements: str = ""


def _sql(template: str, **fragments: str) -> str:
    """The template with each ``{name}`` in it replaced by that SQL fragment."""
    for name, fragment in fragments.items():
        template = template.replace("{" + name + "}", fragment)
    return template


# Each record's filter values, one row each (``n``: the place in the record's list: the lead
# partnership is the first), for the records chosen by ``{records}``.
_RECORD_VALUES = """
    SELECT e.id AS record_id, v.filter, v.value, v.n
    FROM library_libraryrecord AS e
    CROSS JOIN LATERAL (
        SELECT 'theme', t.value, t.n FROM unnest(e.themes) WITH ORDINALITY AS t(value, n)
        UNION ALL SELECT 'year', e.year::text, 1 WHERE e.year IS NOT NULL
        UNION ALL SELECT 'type', e.review_type, 1
        UNION ALL SELECT 'partnership', p.value, p.n
            FROM unnest(e.partnership_keys) WITH ORDINALITY AS p(value, n)
        UNION ALL SELECT 'age_band', a.value, a.n
            FROM unnest(e.age_bands) WITH ORDINALITY AS a(value, n)
    ) AS v(filter, value, n)
    WHERE {records}
"""

# A value seen for the first time gets the next position in its filter (writers hold the
# edition's lock, so positions never race).
_NEW_VALUES = """
INSERT INTO library_filtervalue (filter, value, position, records)
SELECT w.filter, w.value,
    coalesce((SELECT max(f.position) FROM library_filtervalue AS f WHERE f.filter = w.filter), -1)
        + row_number() OVER (PARTITION BY w.filter ORDER BY w.value),
    0
FROM (SELECT DISTINCT filter, value FROM ({record_values}) AS v) AS w
WHERE NOT EXISTS (
    SELECT 1 FROM library_filtervalue AS f WHERE f.filter = w.filter AND f.value = w.value
)
"""

_NEW_VALUES = _sql(_NEW_VALUES, record_values=_RECORD_VALUES)

# The search vector: title and pseudonyms weigh most (A), then the themes' labels, the type and
# the partnerships' names (B), then the summary and improvements (C), then the chairs'
# statements (D).
_VECTOR = """
    setweight(to_tsvector(%(config)s::regconfig,
        concat_ws(' ', e.title, array_to_string(e.pseudonyms, ' '))), 'A')
    || setweight(to_tsvector(%(config)s::regconfig, concat_ws(' ',
        (SELECT string_agg(coalesce(t.label, replace(s.slug, '-', ' ')), ' ' ORDER BY s.n)
            FROM unnest(e.themes) WITH ORDINALITY AS s(slug, n)
            LEFT JOIN library_theme AS t ON t.slug = s.slug),
        e.review_type_label,
        (SELECT string_agg(p.item ->> 'name', ' ' ORDER BY p.n)
            FROM jsonb_array_elements(e.partnerships) WITH ORDINALITY AS p(item, n)))), 'B')
    || setweight(to_tsvector(%(config)s::regconfig,
        concat_ws(' ', e.summary, e.improvements)), 'C')
    || setweight(to_tsvector(%(config)s::regconfig, coalesce(
        (SELECT string_agg(c.item ->> 'text', ' ' ORDER BY c.n)
            FROM jsonb_array_elements(e.chair_statements) WITH ORDINALITY AS c(item, n)), '')), 'D')
"""

_CARDS = """
INSERT INTO library_indexcard AS card (
    record_id, published_on, search_vector, filter_values, year, type_value,
    lead_partnership_value, other_partnership_values, theme_bits, more_theme_values, age_bits
)
SELECT e.id, e.published_on, {vector}, c.filter_values, e.year, c.type_value,
    c.lead_partnership_value, c.other_partnership_values, c.theme_bits, c.more_theme_values,
    c.age_bits
FROM library_libraryrecord AS e
JOIN (
    SELECT v.record_id,
        array_agg(DISTINCT f.id ORDER BY f.id) AS filter_values,
        min(f.id) FILTER (WHERE v.filter = 'type') AS type_value,
        min(f.id) FILTER (WHERE v.filter = 'partnership' AND v.n = 1) AS lead_partnership_value,
        array_agg(f.id ORDER BY v.n)
            FILTER (WHERE v.filter = 'partnership' AND v.n > 1)
            AS other_partnership_values,
        coalesce(bit_or(1::bigint << f.position)
            FILTER (WHERE v.filter = 'theme' AND f.position < {theme_bits}), 0) AS theme_bits,
        array_agg(DISTINCT f.id ORDER BY f.id)
            FILTER (WHERE v.filter = 'theme' AND f.position >= {theme_bits})
            AS more_theme_values,
        coalesce(bit_or(1::bigint << f.position) FILTER (WHERE v.filter = 'age_band'), 0)
            AS age_bits
    FROM ({record_values}) AS v
    JOIN library_filtervalue AS f ON f.filter = v.filter AND f.value = v.value
    GROUP BY v.record_id
) AS c ON c.record_id = e.id
ON CONFLICT (record_id) DO UPDATE SET
    published_on = EXCLUDED.published_on,
    search_vector = EXCLUDED.search_vector,
    filter_values = EXCLUDED.filter_values,
    year = EXCLUDED.year,
    type_value = EXCLUDED.type_value,
    lead_partnership_value = EXCLUDED.lead_partnership_value,
    other_partnership_values = EXCLUDED.other_partnership_values,
    theme_bits = EXCLUDED.theme_bits,
    more_theme_values = EXCLUDED.more_theme_values,
    age_bits = EXCLUDED.age_bits
-- A card that would not change is not written again (going on request changes no card).
WHERE (card.published_on, card.search_vector, card.filter_values, card.year, card.type_value,
        card.lead_partnership_value, card.other_partnership_values, card.theme_bits,
        card.more_theme_values, card.age_bits)
    IS DISTINCT FROM (EXCLUDED.published_on, EXCLUDED.search_vector, EXCLUDED.filter_values,
        EXCLUDED.year, EXCLUDED.type_value, EXCLUDED.lead_partnership_value,
        EXCLUDED.other_partnership_values, EXCLUDED.theme_bits, EXCLUDED.more_theme_values,
        EXCLUDED.age_bits)
RETURNING card.filter_values
"""
_CARDS = _sql(_CARDS, vector=_VECTOR, record_values=_RECORD_VALUES, theme_bits=str(THEME_BITS))


def _index(*, record_ids: list[int] | None) -> list[int] | None:
    """Write the index cards of the records named (all of them for None) from their rows, with
    any filter value not seen before; the codes of the last card written (None if none
    changed)."""
    records = "e.id = ANY(%(ids)s)" if record_ids is not None else "TRUE"
    params = {"ids": record_ids, "config": SEARCH_CONFIG}
    with connection.cursor() as cursor:
        cursor.execute(_sql(_NEW_VALUES, records=records), params)
        cursor.execute(_sql(_CARDS, records=records), params)
        written = cursor.fetchall() if record_ids is not None else []
    return written[-1][0] if written else None


def _edition_locked() -> LibraryEdition:
    """The edition's row, locked until the transaction ends: one writer to the library at a
    time."""
    edition = LibraryEdition.objects.select_for_update().filter(pk=1).first()
    if edition is None:
        LibraryEdition.objects.get_or_create(
            pk=1, defaults={"token": uuid_module.uuid4(), "records": LibraryRecord.objects.count()}
        )
        edition = LibraryEdition.objects.select_for_update().get(pk=1)
    return edition


def _recount(*, edition: LibraryEdition, added=(), removed=(), records: int = 0) -> None:
    """Bring the counts in step with a change, and start a new edition."""
    if added:
        FilterValue.objects.filter(id__in=added).update(records=F("records") + 1)
    if removed:
        FilterValue.objects.filter(id__in=removed).update(records=F("records") - 1)
    edition.token = uuid_module.uuid4()
    edition.records += records
    edition.save(update_fields=["token", "records"])


def library_record_save(*, data: LibraryRecordData) -> LibraryRecord:
    """Put a publication's public record in the library, or bring it up to date, with its index
    card (the full-text search vector, see ``_VECTOR``, and its filter values) and the counts
    of each filter value, in one transaction."""
    if data.availability not in Availability.values:
        raise ValueError(f"Unknown availability {data.availability!r}")
    unknown = set(data.age_bands) - set(AgeBand.values)
    if unknown:
        raise ValueError(f"Unknown age bands {sorted(unknown)!r}")
    values = asdict(data)
    record_uuid = values.pop("uuid")
    values["lead_partnership_key"] = data.partnerships[0]["key"]
    values["partnership_keys"] = [p["key"] for p in data.partnerships]
    values["year"] = data.published_on.year if data.published_on else None
    with transaction.atomic():
        edition = _edition_locked()
        record, created = LibraryRecord.objects.update_or_create(
            uuid=record_uuid, defaults={**values, "indexed_at": Now()}
        )
        before = set(
            IndexCard.objects.filter(record=record).values_list("filter_values", flat=True).first()
            or ()
        )
        written = _index(record_ids=[record.pk])
        after = before if written is None else set(written)
        _recount(
            edition=edition, added=after - before, removed=before - after, records=int(created)
        )
    return record


def library_record_remove(*, uuid) -> int:
    """Take a publication out of the library (withdrawn), and its filter values out of the
    counts. Safe to run twice."""
    if not LibraryRecord.objects.filter(uuid=uuid).exists():
        return 0
    with transaction.atomic():
        edition = _edition_locked()
        record = LibraryRecord.objects.filter(uuid=uuid).first()
        if record is None:
            return 0
        codes = IndexCard.objects.filter(record=record).values_list("filter_values", flat=True)
        removed = set(codes.first() or ())
        record.delete()
        _recount(edition=edition, removed=removed, records=-1)
    return 1


def library_index_rebuild() -> int:
    """Write every record's index card again from its row, and count every filter value afresh:
    for records loaded in bulk, or after a change to the vector. Returns the number of
    records."""
    with transaction.atomic():
        edition = _edition_locked()
        IndexCard.objects.exclude(record__in=LibraryRecord.objects.all()).delete()
        _index(record_ids=None)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE library_filtervalue AS f SET records = ("
                " SELECT count(*) FROM library_indexcard AS c WHERE c.filter_values @> ARRAY[f.id])"
            )
        edition.token = uuid_module.uuid4()
        edition.records = LibraryRecord.objects.count()
        edition.save(update_fields=["token", "records"])
    return edition.records


# --- The themes vocabulary (the platform's) ----------------------------------------------------


def theme_add(*, label: str, description: str = "") -> Theme:
    label = " ".join((label or "").split())
    slug = slugify(label)
    if not label or not slug:
        raise ValidationError({"label": ["Give the theme a name."]})
    if len(slug) > 60 or len(label) > 100:
        raise ValidationError({"label": ["Keep the theme's name under 60 characters."]})
    if Theme.objects.filter(slug=slug).exists() or Theme.objects.filter(label__iexact=label):
        raise ValidationError({"label": [f"There is already a theme '{label}'."]})
    return Theme.objects.create(slug=slug, label=label, description=description.strip())


def theme_rename(*, slug: str, label: str) -> Theme:
    """A new name for a theme; its slug (what publications are tagged with) stays. The records
    tagged with it are indexed again, so that a search finds them by the new name."""
    theme = Theme.objects.filter(slug=slug).first()
    if theme is None:
        raise ValidationError({"slug": [f"There is no theme '{slug}'."]})
    label = " ".join((label or "").split())
    if not label or len(label) > 100:
        raise ValidationError({"label": ["Give the theme a name of up to 100 characters."]})
    if Theme.objects.filter(label__iexact=label).exclude(pk=theme.pk).exists():
        raise ValidationError({"label": [f"There is already a theme '{label}'."]})
    with transaction.atomic():
        edition = _edition_locked()
        theme.label = label
        theme.save(update_fields=["label"])
        tagged = list(
            LibraryRecord.objects.filter(themes__contains=[slug]).values_list("id", flat=True)
        )
        if tagged:
            _index(record_ids=tagged)
        # Answers cached for the old name are of another edition now.
        edition.token = uuid_module.uuid4()
        edition.save(update_fields=["token"])
    return theme


def theme_set_active(*, slug: str, active: bool) -> Theme:
    """Retire a theme (no longer offered for new tags; publications keep theirs) or bring it
    back."""
    theme = Theme.objects.filter(slug=slug).first()
    if theme is None:
        raise ValidationError({"slug": [f"There is no theme '{slug}'."]})
    theme.is_active = active
    theme.save(update_fields=["is_active"])
    return theme
