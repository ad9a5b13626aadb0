"""Benchmark: what the audit trail's hash chain (its BEFORE INSERT trigger) costs an INSERT, alone
and with clients writing one partnership's trail at once. Not a test; run it by hand:

    .venv/bin/python -m tests.perf.bench_audit_chain [--seconds 5] [--rounds 5] [--keep]

It builds a throwaway database on the server of DATABASE_URL (as that role, which must be able
to create databases and switch a table's triggers off: the owner or a superuser), migrated, with
one partnership. Then, round after round, it inserts audit rows shaped like a referral POST's
for ``--seconds`` with 1 and with 8 connections, each row its own transaction (as a page read's
row is), with the chain's trigger on and off (``ALTER TABLE … DISABLE TRIGGER audit_chain_link``,
the rows then numbered from a sequence so they stay unique). It prints each run and the medians:
rows per second and the mean time per row.

The trigger holds a lock on the trail until the transaction commits (positions follow commit
order), so concurrent writers of one trail take turns through their commits: the 8-connection
figure is the ceiling of audited actions per second in one partnership. Other partnerships'
trails have their own locks.
"""

import argparse
import os
import statistics
import threading
import time

import psycopg

from tests.perf.harness import throwaway_database

INSERT = """
INSERT INTO bench0.workspace_auditevent ("position", request_id, host, partnership_key,
    actor_type, actor_uuid, actor_label, actor_role, action, object_type, object_ref, detail)
VALUES (nextval('bench_position'), '99588356ce2d4eacb5d4f88dea5ebcc9', 'bench0.localhost',
    'bench0', 'api_key', '344a2283-29d6-4c90-a068-33e21010a4f5', 'API key 4r5NGAcw (Met Police)',
    'agency_system', 'referral.created', 'referral', 'B000-2026-0007',
    '{"children": 1, "agencies": ["Met Police", "NHS Croydon Health Services"]}')
"""


def run(url: str, clients: int, seconds: float) -> dict:
    counts = [0] * clients
    deadline = time.monotonic() + seconds

    def client(n: int) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            while time.monotonic() < deadline:
                conn.execute(INSERT)
                counts[n] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    rows = sum(counts)
    return {
        "rows_per_s": round(rows / elapsed, 1),
        "ms_per_row": round(1000 * elapsed * clients / rows, 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    with throwaway_database("safeguard_bench_audit_chain", keep=args.keep):
        from django.core.management import call_command
        from django.db import connection

        from tenants.services import partnership_create

        call_command("migrate_schemas", verbosity=0, interactive=False)
        connection.set_schema_to_public()
        partnership_create(key="bench0", name="Bench 0 Partnership")
        url = os.environ["DATABASE_URL"]
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE SEQUENCE bench_position")
        results: dict[tuple[str, int], list[dict]] = {}
        for round_ in range(args.rounds):
            modes = ("on", "off") if round_ % 2 == 0 else ("off", "on")
            for mode in modes:
                with psycopg.connect(url, autocommit=True) as conn:
                    verb = "ENABLE" if mode == "on" else "DISABLE"
                    conn.execute(
                        f"ALTER TABLE bench0.workspace_auditevent {verb} TRIGGER audit_chain_link"
                    )
                for clients in (1, 8):
                    figures = run(url, clients, args.seconds)
                    results.setdefault((mode, clients), []).append(figures)
                    print(
                        f"round {round_ + 1} trigger {mode} clients {clients}: {figures}",
                        flush=True,
                    )
        print("\n| trigger | connections | rows/s (median) | ms per row (median) | runs (rows/s) |")
        print("|---|---|---|---|---|")
        for (mode, clients), runs in sorted(results.items()):
            rates = [r["rows_per_s"] for r in runs]
            print(
                f"| {mode} | {clients} | **{statistics.median(rates)}** | "
                f"{statistics.median(r['ms_per_row'] for r in runs)} | "
                f"{', '.join(str(r) for r in rates)} |"
            )
        connection.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
