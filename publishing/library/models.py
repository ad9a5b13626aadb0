"""The public schema's part of publishing: the themes vocabulary and the national library index.

A ``LibraryRecord`` is the anonymised public record of one publication, copied here when the
partnership publishes it (DESIGN §3: the second door). It holds only what the partnership's own
public page shows and what passed the anonymisation gate: title, pseudonyms, type, dates,
summary, themes, age bands, the partnerships, chair's statements and the documents' names. No
child's name, date of birth, address or any other identifier of the case record is ever here.

What the search reads is kept apart from it, derived from it by ``services.library_record_save`` in
the same transaction: an ``IndexCard`` per record (its search vector and its filter values as small
integer codes, narrow so that a search over most of the library reads a few thousand pages, not the
records' own), and a ``FilterValue`` per value of each filter with the number of records that have
it (the counts beside the filters when nothing is searched for)."""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Now


class Theme(models.Model):
    """One term of the controlled vocabulary publications are tagged with. The platform edits
    it (``manage.py theme``); a theme no longer offered is retired, never deleted, so that older
    publications keep their tags."""

    slug = models.SlugField(max_length=60, unique=True)
    label = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Availability(models.TextChoices):
    ONLINE = "online", "Online"
    ON_REQUEST = "on_request", "Available on request"
    NOT_PUBLISHED = "not_published", "Report not published; improvements published"


class AgeBand(models.TextChoices):
    """The child's age when it happened, in the bands the library filters by."""

    UNDER_1 = "under_1", "Under 1"
    AGE_1_4 = "1_4", "1 to 4"
    AGE_5_9 = "5_9", "5 to 9"
    AGE_10_14 = "10_14", "10 to 14"
    AGE_15_17 = "15_17", "15 to 17"
    AGE_18_25 = "18_25", "18 to 25 (care leavers)"


class LibraryRecord(models.Model):
    """The anonymised public record of one publication, in the national library (it was
    ``Entry``: the table keeps the model's name, ``library_libraryrecord``)."""

    uuid = models.UUIDField(unique=True, help_text="The publication's own UUID")
    lead_partnership_key = models.CharField(max_length=40)
    partnership_keys = ArrayField(models.CharField(max_length=40))
    # [{"key": …, "name": …}], lead first: names as they were at publication.
    partnerships = models.JSONField(default=list)
    title = models.CharField(max_length=200)
    pseudonyms = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    review_type = models.CharField(max_length=32)
    review_type_label = models.CharField(max_length=200)
    commissioned_month = models.DateField(null=True, blank=True)
    incident_month = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    published_precision = models.CharField(max_length=8, default="day")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    summary = models.TextField(blank=True)
    themes = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    age_bands = ArrayField(models.CharField(max_length=16), default=list, blank=True)
    # [{"partnership_key", "partnership_name", "name", "role", "text"}]
    chair_statements = models.JSONField(default=list, blank=True)
    # [{"uuid", "kind", "label", "size", "content_type"}]: served from the lead's host.
    documents = models.JSONField(default=list, blank=True)
    availability = models.CharField(max_length=16, choices=Availability.choices)
    summary_only = models.BooleanField(
        default=False, help_text="A review before 2013: only its executive summary was published"
    )
    improvements = models.TextField(blank=True)
    indexed_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = [models.F("published_on").desc(nulls_last=True), "title", "id"]
        indexes = [
            GinIndex(fields=["themes"], name="library_themes"),
            GinIndex(fields=["partnership_keys"], name="library_partnerships"),
            GinIndex(fields=["age_bands"], name="library_age_bands"),
            models.Index(fields=["year"], name="library_year"),
            models.Index(fields=["review_type"], name="library_type"),
            models.Index(
                models.F("published_on").desc(nulls_last=True), "title", name="library_newest"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class FilterValue(models.Model):
    """One value of one of the library's filters (a theme's slug, a year, a review type, a
    partnership's key, an age band) and how many records have it: the counts beside the filters
    on the library's front page, kept by ``library_record_save`` and ``library_record_remove``
    in the same transaction as the record. Its id is the code index cards carry; ``position``
    numbers the values of one filter from 0, a theme's or an age band's bit in a card's
    ``theme_bits`` or ``age_bits``. A value no record has any more keeps its row (and its code)
    at 0."""

    FILTERS = ("theme", "year", "type", "partnership", "age_band")

    id = models.AutoField(primary_key=True)
    filter = models.CharField(max_length=16)
    value = models.CharField(max_length=60)
    position = models.PositiveIntegerField()
    records = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["filter", "value"], name="library_filter_value"),
            models.UniqueConstraint(fields=["filter", "position"], name="library_filter_position"),
        ]

    def __str__(self) -> str:
        return f"{self.filter}={self.value}"


# Bits 0-62 of a signed 64-bit integer; a theme numbered beyond is in ``more_theme_values``.
THEME_BITS = 63


class IndexCard(models.Model):
    """What the library's search reads for one record, and nothing else: the search vector, the
    date that breaks ties in ranking, and the record's filter values as ``FilterValue`` codes —
    all of them in ``filter_values`` (to select by), and again one column per filter (to count
    by, a single pass grouping on small integers: PostgreSQL counts a bit of ``theme_bits`` far
    faster than it unnests an array). Written only by ``services``, from the record's row."""

    record = models.OneToOneField(
        LibraryRecord, primary_key=True, on_delete=models.CASCADE, related_name="card"
    )
    published_on = models.DateField(null=True)
    search_vector = SearchVectorField()
    filter_values = ArrayField(models.IntegerField())
    year = models.PositiveSmallIntegerField(null=True)
    type_value = models.IntegerField()
    lead_partnership_value = models.IntegerField()
    # NULL, not empty, when there are none: most cards, and a NULL costs nothing to group by.
    other_partnership_values = ArrayField(models.IntegerField(), null=True)
    theme_bits = models.BigIntegerField()
    more_theme_values = ArrayField(models.IntegerField(), null=True)
    age_bits = models.BigIntegerField()

    class Meta:
        indexes = [
            GinIndex(fields=["search_vector"], name="library_card_search"),
            GinIndex(fields=["filter_values"], name="library_card_values"),
        ]

    def __str__(self) -> str:
        return f"index card of record {self.record_id}"


class LibraryEdition(models.Model):
    """One row naming the library's current edition: a new random token whenever a record is
    saved or removed, in the same transaction. Search results are cached under it, so a cached
    answer is never one of another edition's (a rolled-back change brings its token back with
    its data). It also counts the library's records, and every write to the library locks it
    first, so that writers take their turns (publishing is rare) and counts never race."""

    token = models.UUIDField()
    records = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.token)
