"""The national library's search and counts (public schema), against counting by hand: every
filter's counts under the others and the search, the ranking, and the index cards and counts
staying in step with the records through publishing, going on request, withdrawal and
republishing."""

import datetime
import importlib
import itertools
import random
import re
import uuid

import pytest
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, TextField, Value

from publishing import services
from publishing.library import search
from publishing.library import services as library_services
from publishing.library.models import (
    THEME_BITS,
    AgeBand,
    FilterValue,
    IndexCard,
    LibraryEdition,
    LibraryRecord,
    Theme,
)
from publishing.library.search import (
    FILTERS,
    LibraryQuery,
    library_counts,
    library_page,
    library_search,
)
from publishing.models import PublicationState
from tests.support.actors import actor, system
from tests.support.publications import published, refreshed
from tests.support.world import inside

pytestmark = pytest.mark.django_db

WORDS = ["neglect", "toddler", "school", "housing", "midwife", "police", "drowning", "faith"]
TYPES = {"lcspr": "Local child safeguarding practice review", "thematic": "Thematic review"}
PARTNERS = ["croydon", "lewisham", "bexley"]


def save(rng, n, vocabulary, **extra) -> LibraryRecord:
    partners = rng.sample(PARTNERS, 2 if rng.random() < 0.2 else 1)
    review_type = rng.choice(list(TYPES))
    published_on = None if rng.random() < 0.1 else datetime.date(rng.choice([2019, 2020]), 1, 1)
    values = {
        "uuid": uuid.uuid4(),
        "partnerships": [{"key": key, "name": key.title()} for key in partners],
        "title": f"Child {n}",
        "review_type": review_type,
        "review_type_label": TYPES[review_type],
        "availability": "online",
        "published_on": published_on,
        "summary": " ".join(rng.choices(WORDS, k=8)),
        "themes": rng.sample(vocabulary, rng.randint(0, min(3, len(vocabulary)))),
        "age_bands": rng.sample(list(AgeBand.values), rng.randint(0, 2)),
        **extra,
    }
    return library_services.library_record_save(data=library_services.LibraryRecordData(**values))


def values_of(record, name) -> list[str]:
    return {
        "theme": record.themes,
        "year": [str(record.year)] if record.year else [],
        "type": [record.review_type],
        "partnership": record.partnership_keys,
        "age_band": record.age_bands,
    }[name]


def passes(record, query, but=None) -> bool:
    """The record has every value the query filters by (but the one filter named)."""
    return all(
        str(value) in values_of(record, name)
        for name, value in query.filters.items()
        if name != but
    )


def matching(query) -> set[int]:
    if not query.q:
        return set(LibraryRecord.objects.values_list("pk", flat=True))
    text = SearchQuery(query.q, search_type="websearch", config="english")
    return set(IndexCard.objects.filter(search_vector=text).values_list("record", flat=True))


def by_hand(query: LibraryQuery) -> tuple[int, dict[str, dict[str, int]]]:
    """The counts as the library's readers understand them, from the records themselves."""
    found = matching(query)
    records = [record for record in LibraryRecord.objects.all() if record.pk in found]
    counts = {name: {} for name in FILTERS}
    for name in FILTERS:
        for record in records:
            if passes(record, query, but=name):
                for value in values_of(record, name):
                    counts[name][value] = counts[name].get(value, 0) + 1
    return sum(passes(record, query) for record in records), counts


def ranked_by_hand(query: LibraryQuery) -> list[int]:
    """Best first by ``ts_rank``, ties newest first (undated last), then by id."""
    text = SearchQuery(query.q, search_type="websearch", config="english")
    rank = dict(
        IndexCard.objects.filter(search_vector=text)
        .annotate(rank=SearchRank(F("search_vector"), text))
        .values_list("record", "rank")
    )
    records = [e for e in LibraryRecord.objects.filter(pk__in=rank) if passes(e, query)]
    return [
        e.pk
        for e in sorted(
            records,
            key=lambda e: (
                -rank[e.pk],
                -(e.published_on.toordinal() if e.published_on else 0),
                e.pk,
            ),
        )
    ]


def assert_in_step():
    """Every record has its card, the card its record's values, each value its number of
    records, and the edition the number of records — as a rebuild would make them."""
    values = {(v.filter, v.value): v for v in FilterValue.objects.all()}
    expected = dict.fromkeys(values, 0)
    for record in LibraryRecord.objects.select_related("card"):
        card = record.card
        mine = [("theme", t) for t in record.themes] + [
            ("type", record.review_type),
            *(("partnership", key) for key in record.partnership_keys),
            *(("age_band", band) for band in record.age_bands),
        ]
        if record.year:
            mine.append(("year", str(record.year)))
        for key in mine:
            expected[key] += 1
        assert sorted(card.filter_values) == sorted(values[key].id for key in mine)
        assert card.year == record.year and card.published_on == record.published_on
        assert card.type_value == values[("type", record.review_type)].id
        lead, *others = record.partnership_keys
        assert card.lead_partnership_value == values[("partnership", lead)].id
        assert card.other_partnership_values == (
            [values[("partnership", k)].id for k in others] or None
        )
        positions = [values[("theme", t)].position for t in record.themes]
        assert card.theme_bits == sum(1 << p for p in positions if p < THEME_BITS)
        assert (
            sorted(
                values[("theme", t)].id
                for t in record.themes
                if values[("theme", t)].position >= THEME_BITS
            )
            or None
        ) == (sorted(card.more_theme_values) if card.more_theme_values else None)
        assert card.age_bits == sum(1 << values[("age_band", b)].position for b in record.age_bands)
    assert {key: v.records for key, v in values.items()} == expected
    assert IndexCard.objects.count() == LibraryRecord.objects.count()
    assert LibraryEdition.objects.get(pk=1).records == LibraryRecord.objects.count()
    for name in FilterValue.FILTERS:
        positions = sorted(v.position for (of, _), v in values.items() if of == name)
        assert positions == list(range(len(positions))), name


QUERIES = ["", "neglect", "toddler school", '"neglect toddler"', "police -faith", "nothing"]


@pytest.mark.parametrize("seed", [1, 2])
def test_every_count_and_page_is_what_counting_by_hand_gives(world, seed):
    rng = random.Random(seed)
    themes = list(Theme.objects.order_by("slug").values_list("slug", flat=True)[:6])
    for n in range(45):
        save(rng, n, themes)
    assert_in_step()
    choices = {
        "theme": [*themes, "online-harm"],  # one no record has
        "year": [2019, 2020, 2031],
        "type": [*TYPES, "serious_case_review"],
        "partnership": PARTNERS,
        "age_band": list(AgeBand.values),
    }
    tried = 0
    for q in QUERIES:
        for size in range(len(FILTERS) + 1):
            for names in itertools.combinations(FILTERS, size):
                if size > 2 and rng.random() < 0.7:
                    continue
                filters = {name: rng.choice(choices[name]) for name in names}
                query = LibraryQuery(q=q, **filters)
                assert library_counts(query) == by_hand(query), query
                if q:
                    expected = ranked_by_hand(query)
                    assert [e.pk for e in library_page(query=query, limit=100)] == expected
                    second = library_page(query=query, offset=5, limit=5)
                    assert [e.pk for e in second] == expected[5:10]
                tried += 1
    assert tried > 100


def test_themes_beyond_the_bits_are_counted_too(world):
    for n in range(THEME_BITS + 4 - Theme.objects.count()):
        library_services.theme_add(label=f"Theme number {n:03d}")
    themes = sorted(Theme.objects.values_list("slug", flat=True))
    rng = random.Random(3)
    last = themes[-3:]  # first given after the others: numbered beyond the bits
    save(rng, 0, themes, themes=themes[:THEME_BITS])
    for n in range(1, 25):
        save(rng, n, themes, themes=[*rng.sample(themes[:THEME_BITS], 2), rng.choice(last)])
    positions = FilterValue.objects.filter(filter="theme").values_list("position", flat=True)
    assert max(positions) == THEME_BITS + 2
    assert IndexCard.objects.filter(more_theme_values__isnull=False).count() == 24
    assert_in_step()
    for query in (
        LibraryQuery(),
        LibraryQuery(q="neglect"),
        LibraryQuery(theme=last[0]),
        LibraryQuery(theme=last[1], type="lcspr"),
        LibraryQuery(q="toddler", theme=themes[0]),
    ):
        assert library_counts(query) == by_hand(query), query


def test_a_changed_record_moves_its_counts_and_a_removed_one_takes_them_away(world):
    rng = random.Random(4)
    record = save(rng, 1, [], themes=["neglect"], age_bands=["1_4"], review_type="lcspr")
    save(
        rng,
        2,
        [],
        themes=["neglect", "adolescents"],
        partnerships=[{"key": "croydon", "name": "Croydon"}],
    )
    assert_in_step()
    assert library_counts(LibraryQuery())[1]["theme"]["neglect"] == 2
    data = library_services.LibraryRecordData(
        uuid=record.uuid,
        partnerships=[{"key": "lewisham", "name": "Lewisham"}],
        title="Child 1",
        review_type="thematic",
        review_type_label="Thematic review",
        availability="on_request",
        published_on=datetime.date(2011, 5, 1),
        themes=["adolescents", "malnutrition"],
        age_bands=["15_17"],
    )
    library_services.library_record_save(data=data)
    assert_in_step()
    total, counts = library_counts(LibraryQuery())
    assert total == 2 and counts["theme"] == {"neglect": 1, "adolescents": 2, "malnutrition": 1}
    assert counts["year"]["2011"] == 1 and counts["partnership"]["lewisham"] == 1
    assert library_services.library_record_remove(uuid=record.uuid) == 1
    assert library_services.library_record_remove(uuid=record.uuid) == 0
    assert_in_step()
    total, counts = library_counts(LibraryQuery())
    assert total == 1 and counts["theme"] == {"neglect": 1, "adolescents": 1}
    assert "2011" not in counts["year"] and FilterValue.objects.get(value="2011").records == 0


def test_a_value_first_seen_while_counting_is_named_all_the_same(world):
    rng = random.Random(7)
    save(rng, 1, [], themes=["neglect"], partnerships=[{"key": "croydon", "name": "Croydon"}])
    read_before = search._values()
    save(rng, 2, [], themes=["neglect"], partnerships=[{"key": "bexley", "name": "Bexley"}])
    query = LibraryQuery(q="child")
    assert search._counts(query, read_before) == by_hand(query)
    assert by_hand(query)[1]["partnership"] == {"croydon": 1, "bexley": 1}


def test_a_card_is_written_again_only_when_it_changes(world):
    """Going on request changes the record, not its card: no dead row left for each."""
    record = save(random.Random(8), 1, [], themes=["neglect"])

    def version():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ctid::text FROM library_indexcard WHERE record_id = %s", [record.pk]
            )
            return cursor.fetchone()[0]

    def again(**changes):
        data = {
            "uuid": record.uuid,
            "partnerships": record.partnerships,
            "title": record.title,
            "review_type": record.review_type,
            "review_type_label": record.review_type_label,
            "availability": "online",
            "published_on": record.published_on,
            "summary": record.summary,
            "themes": record.themes,
            "age_bands": record.age_bands,
            **changes,
        }
        library_services.library_record_save(data=library_services.LibraryRecordData(**data))

    written = version()
    edition = LibraryEdition.objects.get(pk=1).token
    again(availability="on_request")
    assert version() == written and LibraryRecord.objects.get().availability == "on_request"
    assert LibraryEdition.objects.get(pk=1).token != edition
    assert_in_step()
    again(availability="on_request", themes=["neglect", "adolescents"])
    assert version() != written
    assert_in_step()


def test_unknown_age_bands_are_refused(world):
    with pytest.raises(ValueError, match="age bands"):
        save(random.Random(5), 1, [], age_bands=["teenager"])
    assert not LibraryRecord.objects.exists()


def test_the_counts_keep_in_step_through_publishing_on_request_withdrawal_and_again(world, ready):
    published(world, ready)
    assert_in_step()
    counts = library_counts(LibraryQuery())[1]
    assert counts["theme"] == {"neglect": 1, "information-sharing": 1}
    assert counts["type"] == {"lcspr": 1} and counts["partnership"] == {"croydon": 1}
    with inside(world.croydon):
        later = refreshed(ready).online_until + datetime.timedelta(days=1)
        services.publications_daily(actor=system(world.croydon), day=later)
        assert refreshed(ready).state == PublicationState.ON_REQUEST
    assert LibraryRecord.objects.get().availability == "on_request"
    assert_in_step()
    assert library_counts(LibraryQuery())[1] == counts
    with inside(world.croydon):
        services.publication_withdraw(
            actor=actor(world, "carol"), publication=refreshed(ready), reason="An error"
        )
    assert_in_step()
    assert library_counts(LibraryQuery()) == (0, {name: {} for name in FILTERS})
    assert library_search(query=LibraryQuery(q="toddler")).total == 0
    with inside(world.croydon):
        services.publication_reopen(actor=actor(world, "alice"), publication=refreshed(ready))
        services.publication_publish(actor=actor(world, "alice"), publication=refreshed(ready))
    assert_in_step()
    assert library_counts(LibraryQuery())[1] == counts
    assert library_search(query=LibraryQuery(q="toddler")).total == 1


def test_a_rebuild_and_the_migration_give_the_cards_and_counts_the_services_keep(world):
    rng = random.Random(6)
    themes = list(Theme.objects.values_list("slug", flat=True)[:8])
    records = [save(rng, n, themes) for n in range(12)]
    library_services.library_record_remove(uuid=records[0].uuid)
    kept = {
        card.record_id: (sorted(card.filter_values), card.theme_bits, str(card.search_vector))
        for card in IndexCard.objects.all()
    }
    counts = library_counts(LibraryQuery())
    assert library_services.library_index_rebuild() == 11
    assert_in_step()
    assert library_counts(LibraryQuery()) == counts
    # The migration's frozen copy, on a library without its cards and values.
    migration = importlib.import_module("publishing.library.migrations.0004_index_cards")
    IndexCard.objects.all().delete()
    FilterValue.objects.all().delete()
    # Its SQL names the tables and columns as they were then; 0005 renamed them (the entry is a
    # library record), nothing else.
    renamed = {"library_entry": "library_libraryrecord", "entry_id": "record_id"}
    with connection.cursor() as cursor:
        for statement in migration.INDEX_EVERY_ENTRY:
            for old, new in renamed.items():
                statement = re.sub(rf"\b{old}\b", new, statement)
            cursor.execute(re.sub(r"\bentries\b", "records", statement))
    assert_in_step()
    assert library_counts(LibraryQuery()) == counts
    again = {
        card.record_id: (sorted(card.filter_values), str(card.search_vector))
        for card in IndexCard.objects.all()
    }
    assert {pk: str(vector) for pk, (_v, _b, vector) in kept.items()} == {
        pk: vector for pk, (_v, vector) in again.items()
    }


def test_the_vector_weighs_the_record_as_before(world):
    """The card's vector is the one ``library_record_save`` computed from the record before it
    moved to SQL over the record's row: title and pseudonyms A, themes' labels, type and
    partnerships B, summary and improvements C, chairs' statements D."""
    data = library_services.LibraryRecordData(
        uuid=uuid.uuid4(),
        partnerships=[{"key": "croydon", "name": "Croydon SCP"}, {"key": "bexley", "name": "Bex"}],
        title='Child "Joy"',
        pseudonyms=["Joy", "Sam"],
        review_type="lcspr",
        review_type_label="Local child safeguarding practice review",
        availability="not_published",
        summary="A toddler drowned.",
        improvements="Health visitors now share records.",
        themes=["information-sharing", "no-such-theme"],
        chair_statements=[{"text": "We are sorry."}, {"text": "We have changed."}],
    )
    record = library_services.library_record_save(data=data)

    def text(*parts):
        return Value(" ".join(part for part in parts if part), output_field=TextField())

    before = (
        SearchVector(text(data.title, *data.pseudonyms), weight="A", config="english")
        + SearchVector(
            text("Information sharing", "no such theme", data.review_type_label, "Croydon SCP Bex"),
            weight="B",
            config="english",
        )
        + SearchVector(text(data.summary, data.improvements), weight="C", config="english")
        + SearchVector(text("We are sorry.", "We have changed."), weight="D", config="english")
    )
    expected = (
        LibraryRecord.objects.filter(pk=record.pk).annotate(v=before).values_list("v", flat=True)
    )
    assert record.card.search_vector == expected.get()


def test_a_title_match_ranks_first_then_the_most_mentions_then_the_newest(world):
    def make(title, summary, year):
        return library_services.library_record_save(
            data=library_services.LibraryRecordData(
                uuid=uuid.uuid4(),
                partnerships=[{"key": "croydon", "name": "Croydon"}],
                title=title,
                review_type="lcspr",
                review_type_label="Review",
                availability="online",
                published_on=datetime.date(year, 1, 1),
                summary=summary,
            )
        )

    once_old = make("Child A", "A drowning at home.", 2015)
    once_new = make("Child B", "A drowning at home.", 2020)
    twice = make("Child C", "A drowning; the drowning was not foreseen.", 2012)
    titled = make("Drowning of Child D", "At home.", 2010)
    make("Child E", "Nothing of the kind.", 2021)
    ranked = library_page(query=LibraryQuery(q="drowning"))
    assert [e.pk for e in ranked] == [titled.pk, twice.pk, once_new.pk, once_old.pk]
    assert [e.pk for e in library_page(query=LibraryQuery(q="drowning", year=2015))] == [
        once_old.pk
    ]


def test_a_renamed_theme_is_found_by_its_new_name(world):
    theme = library_services.theme_add(label="Sibling carers")
    rng = random.Random(9)
    tagged = save(rng, 1, [], themes=[theme.slug], summary="neglect")
    save(rng, 2, [], themes=[], summary="neglect")
    before = LibraryEdition.objects.get(pk=1).token
    assert [e.pk for e in library_page(query=LibraryQuery(q="carers"))] == [tagged.pk]
    library_services.theme_rename(slug=theme.slug, label="Young caregivers")
    assert [e.pk for e in library_page(query=LibraryQuery(q="caregivers"))] == [tagged.pk]
    assert library_page(query=LibraryQuery(q="carers")) == []
    assert LibraryEdition.objects.get(pk=1).token != before
    assert_in_step()
