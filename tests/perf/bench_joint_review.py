"""Benchmark: the joint-review door's overhead. Not a test; run it by hand:

    .venv/bin/python -m tests.perf.bench_joint_review [--runs 40] [--keep]

It works in a throwaway database (safeguard_bench_joint, dropped afterwards unless ``--keep``)
on the same server as DATABASE_URL (default: the local PostgreSQL): a lead partnership and a
participant, each with 6 agencies; one joint review (the participant active, every permission)
with terms of reference, 300 chronology entries (half from the lead's agencies, half from the
participant's, i.e. their mirrors), 6 information requests, 4 recommendations and 40 actions.
The same workspace pages are then asked through Django's test Client (in-process: middleware
and view, no network) by the lead's business manager on the lead's host
(``/case-reviews/<reference>/…``) and by the participant's business manager on its own host
(``/joint-reviews/<uuid>/…``, through the door), alternately, ``--runs`` times each after two
warm-ups; it prints the medians, the ratio participant / lead (target ≤ 1.2) and the queries
each page sends. Database connections persist between requests, as in production.
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

from tests.perf.harness import signed_in_client, throwaway_database

DB_NAME = "safeguard_bench_joint"
AGENCIES = 6
ENTRIES = 300
ACTIONS = 40
TARGET = 1.2
PAGES = [
    ("overview", ""),
    ("terms of reference", "terms/"),
    ("information requests", "information/"),
    ("chronology, first page", "chronology/"),
    ("findings and recommendations", "findings/"),
    ("action plan", "actions/"),
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    with throwaway_database(DB_NAME, keep=args.keep):
        return run(args)


def build():
    """Both partnerships, their managers (signed in), and the joint review with its content."""
    from django.core.management import call_command
    from django.db import connection
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_tenants.utils import tenant_context

    from casework import services as review_services
    from casework.joint import services as joint_services
    from casework.models import Action, ChronologyEntry
    from tenants.actors import actor_for_member
    from tenants.agencies.models import Agency
    from tenants.clock import today
    from tenants.models import Membership, Role, User
    from tenants.services import partnership_create

    call_command("migrate_schemas", verbosity=0, interactive=False)
    people = {}
    for key in ("bench-lead", "bench-part"):
        partnership = partnership_create(key=key, name=f"{key.title()} Safeguarding Partnership")
        connection.set_schema_to_public()
        user = User.objects.create_user(f"manager@{key}.example", "bench-password-123456")
        membership = Membership.objects.create(
            user=user, partnership=partnership, role=Role.BUSINESS_MANAGER
        )
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        membership = Membership.objects.select_related("user", "partnership").get(pk=membership.pk)
        with tenant_context(partnership):
            for n in range(AGENCIES):
                Agency.objects.create(name=f"{key} agency {n}", kind="other")
        people[key] = (partnership, user, device, membership)
    lead, lead_user, lead_device, lead_membership = people["bench-lead"]
    part, part_user, part_device, part_membership = people["bench-part"]
    rng = random.Random(2026)
    day = today()
    with tenant_context(lead):
        actor = actor_for_member(membership=lead_membership)
        own = list(Agency.objects.own())
        review = review_services.thematic_review_commission(
            actor=actor, title="Benchmark joint review", commissioned_on=day, agencies=own
        )
        review_services.terms_write(
            actor=actor,
            review=review,
            scope="Two years of the family's contact with both partnerships' agencies.",
            lines_of_enquiry="Information sharing\nMoving between boroughs",
            period_start=day - datetime.timedelta(days=730),
            period_end=day - datetime.timedelta(days=30),
        )
        invited = joint_services.joint_review_invite(
            actor=actor, review=review, partnership_key="bench-part"
        )
    with tenant_context(part):
        joint_services.joint_review_accept(
            actor=actor_for_member(membership=part_membership), part=invited
        )
    lead_client = signed_in_client(lead, lead_user, lead_device)
    part_client = signed_in_client(part, part_user, part_device)
    assert part_client.get(f"/joint-reviews/{review.uuid}/").status_code == 200  # mirrors made
    connection.set_schema_to_public()
    with tenant_context(lead):
        agencies = own + list(Agency.objects.mirrors_of("bench-part"))
        ChronologyEntry.objects.bulk_create(
            ChronologyEntry(
                review=review,
                occurred_on=day - datetime.timedelta(days=rng.randint(1, 760)),
                agency=agencies[n % len(agencies)],
                what_happened=f"Event {n}: a home visit, a call, a missed appointment.",
                who="social worker",
                key_episode=rng.random() < 0.1,
                entered_by="import@bench.example",
            )
            for n in range(ENTRIES)
        )
        for agency in agencies[::2]:
            review_services.information_request_create(
                actor=actor, review=review, agency=agency, asks=["chronology"]
            )
        recommendations = [
            review_services.recommendation_add(
                actor=actor, review=review, text=f"Recommendation {n}", to_partnership=True
            )
            for n in range(4)
        ]
        Action.objects.bulk_create(
            Action(
                recommendation=recommendations[n % 4],
                review=review,
                description=f"Action {n}",
                owner_agency=agencies[n % len(agencies)],
                due=day + datetime.timedelta(days=rng.randint(5, 300)),
            )
            for n in range(ACTIONS)
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    connection.set_schema_to_public()
    return lead_client, part_client, review.reference, review.uuid


def _once(client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (path, response.status_code)
    return elapsed


def run(args) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lead_client, part_client, reference, review_uuid = build()
    rows = []
    for label, tail in PAGES:
        lead_path = f"/case-reviews/{reference}/{tail}"
        part_path = f"/joint-reviews/{review_uuid}/{tail}"
        for _ in range(2):
            _once(lead_client, lead_path)
            _once(part_client, part_path)
        lead_ms, part_ms = [], []
        for _ in range(args.runs):  # alternately, so that the machine's drift hits both alike
            lead_ms.append(_once(lead_client, lead_path) * 1000)
            part_ms.append(_once(part_client, part_path) * 1000)
        with CaptureQueriesContext(connection) as lead_queries:
            lead_client.get(lead_path)
        with CaptureQueriesContext(connection) as part_queries:
            part_client.get(part_path)
        rows.append(
            (
                label,
                statistics.median(lead_ms),
                statistics.median(part_ms),
                len(lead_queries),
                len(part_queries),
            )
        )

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
        f"{ENTRIES} chronology entries, {ACTIONS} actions, {AGENCIES} agencies each side; "
        f"{args.runs} runs each, alternately"
    )
    print(f"{'page':<30}{'lead':>10}{'through door':>14}{'ratio':>8}{'queries':>10}")
    worst = 0.0
    for label, lead, part, lead_q, part_q in rows:
        ratio = part / lead
        worst = max(worst, ratio)
        print(f"{label:<30}{lead:>8.1f}ms{part:>12.1f}ms{ratio:>8.2f}{lead_q:>5} → {part_q}")
    total_lead = sum(r[1] for r in rows)
    total_part = sum(r[2] for r in rows)
    print(
        f"{'all six tabs':<30}{total_lead:>8.1f}ms{total_part:>12.1f}ms"
        f"{total_part / total_lead:>8.2f}   worst tab {worst:.2f}, target ≤ {TARGET}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
