"""Benchmark: the time to create one partnership, by cloning the template schema and by running
every migration. Not a test; run it by hand:

    .venv/bin/python -m tests.perf.bench_partnership_create [--runs 5]

It works in a throwaway database (safeguard_bench, dropped afterwards) on the same server as
DATABASE_URL (default: the local PostgreSQL).
"""

import argparse
import os
import statistics
import sys
import time

import django
import psycopg


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    base_url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    admin_url = base_url.rsplit("/", 1)[0] + "/postgres"
    bench_url = base_url.rsplit("/", 1)[0] + "/safeguard_bench"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS safeguard_bench")
        conn.execute("CREATE DATABASE safeguard_bench")
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings.test")
    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    from tenants.services import partnership_create

    try:
        call_command("migrate_schemas", verbosity=0, interactive=False)

        def timed(prefix: str) -> list[float]:
            seconds = []
            for n in range(args.runs):
                started = time.perf_counter()
                partnership_create(key=f"{prefix}{n}", name=f"Bench {prefix} {n}")
                seconds.append(time.perf_counter() - started)
                connection.set_schema_to_public()
            return seconds

        timed("warm")  # the first clone also installs the clone function
        by_clone = timed("clone")
        with override_settings(TENANT_CREATION_FAKES_MIGRATIONS=False, TENANT_BASE_SCHEMA=None):
            by_migrations = timed("migrate")
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM django_migrations")
            public_migrations = cursor.fetchone()[0]
    finally:
        connection.close()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS safeguard_bench")

    def show(label, values):
        print(
            f"{label:<16} median {statistics.median(values):.3f} s  "
            f"min {min(values):.3f}  max {max(values):.3f}  "
            f"({', '.join(f'{v:.3f}' for v in values)})"
        )

    print(f"partnership creation, {args.runs} runs each ({public_migrations} migrations applied)")
    show("by clone", by_clone)
    show("by migrations", by_migrations)
    return 0


if __name__ == "__main__":
    sys.exit(main())
