"""Benchmark: the multi-agency chronology and the action tracker on the web, server side. Not a
test; run it by hand:

    .venv/bin/python -m tests.perf.bench_chronology [--runs 30] [--keep]

It works in a throwaway database (safeguard_bench_chronology, dropped afterwards unless
``--keep``) on the same server as DATABASE_URL (default: the local PostgreSQL): one partnership
with 12 agencies, one review whose terms of reference cover two years, 5,000 chronology entries
from the 12 agencies (bulk-created, a tenth of them key practice episodes, some outside the
period) and 2,000 open actions. A signed-in business manager then asks, through Django's test
Client (in-process: the request's whole path through the middleware and the view, no network),

- the chronology's first page (100 entries);
- a filtered page: one agency, over six months;
- the CSV export of all 5,000 entries (the streamed body read to its end);
- the action tracker (its first page of 100 of the 2,000 open actions, with the counts), and the
  number of SQL queries it sends;

each ``--runs`` times after two warm-up requests, and prints the median, p95, min and max.
Database connections persist between requests, as in production (``CONN_MAX_AGE``).
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

from tests.perf.harness import percentile, signed_in_client, throwaway_database

DB_NAME = "safeguard_bench_chronology"
ENTRIES = 5_000
AGENCIES = 12
ACTIONS = 2_000
ROLES = ["health visitor", "police officer", "social worker", "GP", "school nurse", "teacher"]
EVENTS = [
    "Home visit: the child seen asleep; mother said all was well.",
    "Call to the address after a neighbour reported shouting; no answer at the door.",
    "Missed appointment; letter sent offering another.",
    "Strategy discussion held; agreed a section 47 enquiry was not needed.",
    "Referral received from the school about the child's weight loss and absences.",
    "Bruise to the cheek noted at nursery; explanation accepted, not shared.",
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    with throwaway_database(DB_NAME, keep=args.keep):
        return run(args)


def build():
    """The partnership, its manager (signed in, second factor passed) and the review."""
    from django.core.management import call_command
    from django.db import connection
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_tenants.utils import tenant_context

    from casework import services as review_services
    from casework.models import Action, ChronologyEntry
    from tenants.actors import actor_for_member
    from tenants.agencies.models import Agency
    from tenants.clock import today
    from tenants.models import Membership, Role, User
    from tenants.services import partnership_create

    call_command("migrate_schemas", verbosity=0, interactive=False)
    partnership = partnership_create(key="bench", name="Bench Safeguarding Children Partnership")
    connection.set_schema_to_public()
    user = User.objects.create_user("manager@bench.example", "bench-password-123456")
    membership = Membership.objects.create(
        user=user, partnership=partnership, role=Role.BUSINESS_MANAGER
    )
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    membership = Membership.objects.select_related("user", "partnership").get(pk=membership.pk)
    rng = random.Random(2026)
    day = today()
    with tenant_context(partnership):
        actor = actor_for_member(membership=membership)
        agencies = [
            Agency.objects.create(name=f"Agency {n:02d}", kind="other") for n in range(AGENCIES)
        ]
        review = review_services.thematic_review_commission(
            actor=actor, title="Benchmark review", commissioned_on=day, agencies=agencies
        )
        review_services.terms_write(
            actor=actor,
            review=review,
            scope="Two years of the family's contact with every agency.",
            lines_of_enquiry="Information sharing",
            period_start=day - datetime.timedelta(days=730),
            period_end=day - datetime.timedelta(days=30),
        )
        ChronologyEntry.objects.bulk_create(
            (
                ChronologyEntry(
                    review=review,
                    # Some fall outside the period under review, to be flagged.
                    occurred_on=day - datetime.timedelta(days=rng.randint(1, 800)),
                    occurred_at=datetime.time(rng.randint(8, 19), rng.choice([0, 15, 30, 45]))
                    if rng.random() < 0.6
                    else None,
                    agency=agencies[n % AGENCIES],
                    what_happened=rng.choice(EVENTS) + " " + rng.choice(EVENTS),
                    who=rng.choice(ROLES),
                    source_document=f"Record {n}",
                    key_episode=rng.random() < 0.1,
                    entered_by="import@bench.example",
                )
                for n in range(ENTRIES)
            ),
            batch_size=1000,
        )
        recommendation = review_services.recommendation_add(
            actor=actor, review=review, text="Share information.", to_partnership=True
        )
        Action.objects.bulk_create(
            (
                Action(
                    recommendation=recommendation,
                    review=review,
                    description=f"Action {n}: audit the information-sharing protocol",
                    owner_agency=agencies[n % AGENCIES],
                    due=day + datetime.timedelta(days=rng.randint(-30, 300)),
                    status=rng.choice(["not_started", "in_progress", "complete"]),
                )
                for n in range(ACTIONS)
            ),
            batch_size=1000,
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        reference = review.reference
        agency_uuid = str(agencies[3].uuid)
    connection.set_schema_to_public()

    return signed_in_client(partnership, user, device), reference, agency_uuid, day


def timed(client, path: str, runs: int, *, stream: bool = False) -> tuple[list[float], bytes]:
    def once():
        started = time.perf_counter()
        response = client.get(path)
        content = b"".join(response.streaming_content) if stream else response.content
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, (path, response.status_code)
        return elapsed, content

    for _ in range(2):
        once()
    seconds, content = [], b""
    for _ in range(runs):
        elapsed, content = once()
        seconds.append(elapsed)
    return seconds, content


def run(args) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, reference, agency_uuid, day = build()
    start = (day - datetime.timedelta(days=400)).isoformat()
    end = (day - datetime.timedelta(days=220)).isoformat()
    base = f"/case-reviews/{reference}/chronology/"
    scenarios = [
        ("chronology, first page", base, False),
        ("chronology, filtered", f"{base}?agency={agency_uuid}&start={start}&end={end}", False),
        ("CSV export, all entries", f"/case-reviews/{reference}/chronology.csv", True),
        ("action tracker", "/actions/", False),
    ]
    results = []
    for label, path, stream in scenarios:
        seconds, content = timed(client, path, args.runs, stream=stream)
        results.append((label, seconds, content))

    with CaptureQueriesContext(connection) as captured:
        client.get("/actions/")
    tracker_queries = len(captured)
    csv_lines = results[2][2].decode("utf-8-sig").count("\n")
    first_page_rows = results[0][2].count(b'data-entry="')
    filtered = results[1][2].decode()
    filtered_caption = filtered[filtered.index('govuk-table__caption--s">') + 25 :].split("<")[0]

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
        f"{ENTRIES} entries from {AGENCIES} agencies; first page {first_page_rows} rows; "
        f"filtered: {filtered_caption.strip()}; CSV {csv_lines - 1} rows; "
        f"{ACTIONS} open actions, tracker {tracker_queries} queries; {args.runs} runs each"
    )
    print(f"{'':<26}{'median':>10}{'p95':>10}{'min':>10}{'max':>10}")
    for label, seconds, _ in results:
        ms = [s * 1000 for s in seconds]
        print(
            f"{label:<26}{statistics.median(ms):>8.1f}ms{percentile(ms, 0.95):>8.1f}ms"
            f"{min(ms):>8.1f}ms{max(ms):>8.1f}ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
