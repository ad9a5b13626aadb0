"""Writes to the national library index and the themes vocabulary (public schema).

``entry_save`` and ``entry_remove`` are called by ``publishing.services`` when a publication's
public record goes out, changes or is withdrawn, in the same transaction as the change. They run
on the partnership's connection without switching schemas: the public schema is on every
partnership's search_path, and these tables exist only there.
"""

import uuid as uuid_module
from dataclasses import asdict, dataclass, field

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import TextField, Value
from django.db.models.functions import Now
from django.utils.text import slugify

from publishing.library.models import Availability, Entry, LibraryEdition, Theme

SEARCH_CONFIG = "english"


@dataclass
class EntryData:
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


def _new_edition() -> None:
    if not LibraryEdition.objects.filter(pk=1).update(token=uuid_module.uuid4()):
        LibraryEdition.objects.create(pk=1, token=uuid_module.uuid4())


def _text(*parts) -> Value:
    return Value(" ".join(str(part) for part in parts if part), output_field=TextField())


def entry_save(*, data: EntryData) -> Entry:
    """Put a publication's public record in the library, or bring it up to date, with its
    full-text search vector (title and pseudonyms weigh most, then themes, type and
    partnerships, then the summary and improvements, then the chair's statements)."""
    if data.availability not in Availability.values:
        raise ValueError(f"Unknown availability {data.availability!r}")
    values = asdict(data)
    entry_uuid = values.pop("uuid")
    values["lead_partnership_key"] = data.partnerships[0]["key"]
    values["partnership_keys"] = [p["key"] for p in data.partnerships]
    values["year"] = data.published_on.year if data.published_on else None
    labels = dict(Theme.objects.filter(slug__in=data.themes).values_list("slug", "label"))
    with transaction.atomic():
        entry, _ = Entry.objects.update_or_create(
            uuid=entry_uuid, defaults={**values, "indexed_at": Now()}
        )
        Entry.objects.filter(pk=entry.pk).update(
            search_vector=SearchVector(
                _text(data.title, *data.pseudonyms), weight="A", config=SEARCH_CONFIG
            )
            + SearchVector(
                _text(
                    *(labels.get(slug, slug.replace("-", " ")) for slug in data.themes),
                    data.review_type_label,
                    *(p["name"] for p in data.partnerships),
                ),
                weight="B",
                config=SEARCH_CONFIG,
            )
            + SearchVector(_text(data.summary, data.improvements), weight="C", config=SEARCH_CONFIG)
            + SearchVector(
                _text(*(s.get("text", "") for s in data.chair_statements)),
                weight="D",
                config=SEARCH_CONFIG,
            )
        )
        _new_edition()
    return entry


def entry_remove(*, uuid) -> int:
    """Take a publication out of the library (withdrawn). Safe to run twice."""
    deleted, _ = Entry.objects.filter(uuid=uuid).delete()
    if deleted:
        _new_edition()
    return deleted


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
    """A new name for a theme; its slug (what publications are tagged with) stays."""
    theme = Theme.objects.filter(slug=slug).first()
    if theme is None:
        raise ValidationError({"slug": [f"There is no theme '{slug}'."]})
    label = " ".join((label or "").split())
    if not label or len(label) > 100:
        raise ValidationError({"label": ["Give the theme a name of up to 100 characters."]})
    if Theme.objects.filter(label__iexact=label).exclude(pk=theme.pk).exists():
        raise ValidationError({"label": [f"There is already a theme '{label}'."]})
    theme.label = label
    theme.save(update_fields=["label"])
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
