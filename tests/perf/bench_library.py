"""Benchmark: the national library's search over 50,000 publications of 150 partnerships. Not a
test; run it by hand:

    .venv/bin/python -m tests.perf.bench_library [--runs 200] [--records 50000] [--keep]

It works in a throwaway database (safeguard_bench_library, dropped afterwards unless ``--keep``)
on the same server as DATABASE_URL (default: the local PostgreSQL). It migrates the public
schema, adds 150 partnership rows (no schemas: the library needs only their keys and names) and
bulk-inserts the records: titles with pseudonyms, a 60-word summary drawn from a safeguarding
vocabulary, 1 to 4 of the 30 themes, a year from 2008 to 2026, a review type, an age band, one
or two partnerships; then ``library_index_rebuild`` writes their index cards and counts, and
each card's vector is set as this benchmark always set it (title and pseudonyms A, themes and type
B, summary C: ``library_record_save``'s without the partnerships' names, which every record would
match, so that the figures compare with earlier runs), the cards packed as a library built record by
record has them (each written once), then VACUUM ANALYZE.

It times, server side (in-process, the selectors as the views call them), each ``--runs``
times with a different query each run after 10 warm-up runs:

- a text query: the first page of 20 ranked results for one or two words;
- a filtered query: theme and year (and a partnership for a third of the runs), first page;
- the facet counts for a text query (total and every filter's values);
- the facet counts with no query (the library's front page: all 50,000);
- the facet counts for the filtered queries above, and for one filter alone (a review type,
  an age band, a year or a theme);
- the whole search uncached (counts and first page) for a text query, as the views call it;
- the whole ``GET /api/v1/library/?q=…`` request through Django's test Client;

and prints the median, p95, min and max.
"""

import argparse
import datetime
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import uuid

from tests.perf.harness import percentile, throwaway_database

DB_NAME = "safeguard_bench_library"
PARTNERSHIPS = 150
WORDS = (  # noqa: SIM905 - a vocabulary, easier to read as prose
    "neglect injury bruising baby toddler adolescent exploitation county lines missing school "
    "exclusion health visitor midwife police social worker strategy discussion referral "
    "threshold escalation information sharing domestic abuse mental health substance misuse "
    "housing temporary accommodation overcrowding poverty disability autism language barrier "
    "interpreter faith culture father engagement voice child home visit assessment plan "
    "protection conference drowning sleep co-sleeping suicide self-harm online grooming "
    "gang knife criminal custody placement foster carer residential children's home"
).split()
TYPES = ["serious_case_review", "lcspr", "learning_review", "thematic", "near_miss"]
AGE_BANDS = ["under_1", "1_4", "5_9", "10_14", "15_17", "18_25"]


def vocabulary(rng) -> list[str]:
    """The safeguarding words first (the commonest), then 3,000 made-up words: drawn with a
    Zipf distribution, as words in real summaries are."""
    made_up = set()
    while len(made_up) < 3000:
        made_up.add("".join(rng.choices("abcdefghiklmnoprstuvw", k=rng.randint(4, 10))))
    return WORDS + sorted(made_up)


def zipf_words(rng, vocab: list[str], weights: list[float], count: int) -> list[str]:
    return rng.choices(vocab, weights=weights, k=count)


def build(records: int) -> list[str]:
    from django.core.management import call_command
    from django.db import connection

    from casework.processes import REVIEW_TYPES
    from publishing.library.models import LibraryRecord, Theme
    from publishing.library.services import library_index_rebuild
    from tenants.models import Domain, Partnership

    call_command("migrate_schemas", "--shared", verbosity=0, interactive=False)
    connection.set_schema_to_public()
    partnerships = Partnership.objects.bulk_create(
        Partnership(
            key=f"bench-{n:03d}",
            schema_name=f"bench_{n:03d}",
            name=f"Bench {n:03d} Safeguarding Children Partnership",
            reference_prefix=f"B{n:03d}",
        )
        for n in range(PARTNERSHIPS)
    )
    Domain.objects.bulk_create(
        Domain(domain=f"{p.key}.localhost", tenant=p, is_primary=True) for p in partnerships
    )
    themes = list(Theme.objects.values_list("slug", flat=True))
    rng = random.Random(2026)
    vocab = vocabulary(rng)
    weights = [1 / (rank + 1) for rank in range(len(vocab))]
    batch = []
    for n in range(records):
        owners = rng.sample(partnerships, 2 if rng.random() < 0.05 else 1)
        year = rng.randint(2008, 2026)
        review_type = rng.choice(TYPES)
        batch.append(
            LibraryRecord(
                uuid=uuid.uuid4(),
                lead_partnership_key=owners[0].key,
                partnership_keys=[p.key for p in owners],
                partnerships=[{"key": p.key, "name": p.name} for p in owners],
                title=f"Child {rng.choice('ABCDEFGHJKLMNPRSTW')}{n}",
                pseudonyms=[f"Child {n}"],
                review_type=review_type,
                review_type_label=REVIEW_TYPES[review_type].label,
                published_on=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                year=year,
                summary=" ".join(zipf_words(rng, vocab, weights, 60)),
                themes=rng.sample(themes, rng.randint(1, 4)),
                age_bands=[rng.choice(AGE_BANDS)],
                availability="online",
            )
        )
        if len(batch) == 5000:
            LibraryRecord.objects.bulk_create(batch)
            batch = []
    LibraryRecord.objects.bulk_create(batch)
    library_index_rebuild()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE library_indexcard AS c SET search_vector ="
            " setweight(to_tsvector('english', title || ' ' || array_to_string(pseudonyms, ' ')),"
            " 'A') || setweight(to_tsvector('english', replace(array_to_string(themes, ' '), '-',"
            " ' ') || ' ' || review_type_label), 'B') ||"
            " setweight(to_tsvector('english', summary), 'C')"
            " FROM library_libraryrecord AS e WHERE e.id = c.record_id"
        )
        # The cards were written twice (the rebuild's vector, then this one); a library built
        # record by record has each card written once (library_record_save leaves an unchanged
        # card be), so pack them as it would have them.
        cursor.execute("VACUUM FULL library_indexcard")
        cursor.execute("VACUUM ANALYZE library_libraryrecord")
        cursor.execute("VACUUM ANALYZE library_indexcard")
        cursor.execute("VACUUM ANALYZE library_filtervalue")
    return themes


def timed(label: str, function, inputs: list, runs: int):
    for item in inputs[:10]:
        function(item)
    seconds = []
    for n in range(runs):
        item = inputs[(n + 10) % len(inputs)]
        started = time.perf_counter()
        function(item)
        seconds.append(time.perf_counter() - started)
    return label, seconds


def run(args) -> int:
    from django.db import connection
    from django.test import Client

    from publishing.library.search import (
        LibraryQuery,
        library_counts,
        library_page,
        library_search,
    )

    themes = build(args.records)
    rng = random.Random(7)
    words = [" ".join(rng.sample(WORDS, 1 if n % 2 else 2)) for n in range(args.runs + 10)]
    filters = [
        LibraryQuery(
            theme=rng.choice(themes),
            year=rng.randint(2008, 2026),
            partnership=f"bench-{rng.randrange(PARTNERSHIPS):03d}" if n % 3 == 0 else "",
        )
        for n in range(args.runs + 10)
    ]
    alone = [
        LibraryQuery(
            **[
                {"type": rng.choice(TYPES)},
                {"age_band": rng.choice(AGE_BANDS)},
                {"year": rng.randint(2008, 2026)},
                {"theme": rng.choice(themes)},
            ][n % 4]
        )
        for n in range(args.runs + 10)
    ]
    client = Client(HTTP_HOST="localhost")

    def api(q):
        response = client.get("/api/v1/library/", {"q": q})
        assert response.status_code == 200, response.content[:300]

    results = [
        timed(
            "text query, first page",
            lambda q: library_page(query=LibraryQuery(q=q)),
            words,
            args.runs,
        ),
        timed("filtered query, first page", lambda f: library_page(query=f), filters, args.runs),
        timed(
            "facet counts, text query",
            lambda q: library_counts(LibraryQuery(q=q)),
            words,
            args.runs,
        ),
        timed("facet counts, no query", lambda _: library_counts(LibraryQuery()), words, args.runs),
        timed("facet counts, filtered", library_counts, filters, args.runs),
        timed("facet counts, one filter", library_counts, alone, args.runs),
        timed(
            "whole search uncached, text",
            lambda q: library_search(query=LibraryQuery(q=q), cached=False),
            words,
            args.runs,
        ),
        timed("GET /api/v1/library/?q=", api, words, args.runs),
        timed(
            "front page counts, cached",
            lambda _: library_search(query=LibraryQuery()),
            words,
            args.runs,
        ),
    ]
    matches = [library_counts(LibraryQuery(q=q))[0] for q in words[10:]]

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    print(
        f"{datetime.date.today().isoformat()}, commit {commit}, {platform.node()}: "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, PostgreSQL {server}"
    )
    print(
        f"{args.records} records, {PARTNERSHIPS} partnerships, {len(themes)} themes; "
        f"a text query matches {min(matches)} to {max(matches)} records "
        f"(median {statistics.median(matches):.0f}); {args.runs} runs each"
    )
    print(f"{'':<30}{'median':>10}{'p95':>10}{'min':>10}{'max':>10}")
    for label, seconds in results:
        ms = [s * 1000 for s in seconds]
        print(
            f"{label:<30}{statistics.median(ms):>8.1f}ms{percentile(ms, 0.95):>8.1f}ms"
            f"{min(ms):>8.1f}ms{max(ms):>8.1f}ms"
        )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    with throwaway_database(DB_NAME, keep=args.keep):
        return run(args)


if __name__ == "__main__":
    sys.exit(main())
