"""Benchmark: referral submission through the agency API under gunicorn, on loopback. Not a
test; run it by hand (needs ``wrk``: ``apt-get install -y wrk``):

    .venv/bin/python -m tests.perf.bench_referral_api [--seconds 30] [--clients 16] [--rounds 3]

It builds two throwaway databases on the server of DATABASE_URL (dropped afterwards unless
``--keep``), each migrated: ``safeguard_bench_api_1`` with one partnership and
``safeguard_bench_api_200`` with 200 (created by clone, the platform's way), every partnership
with two agencies and an API key. Then:

1. it lists the SQL statements one referral POST sends under gunicorn (tenant routing and
   connection health check included), from PostgreSQL's own log (``log_statement = all`` on
   that database for the moment), after warm-up requests, as under load;
2. for each of ``--rounds`` rounds it starts gunicorn (2 sync workers, persistent connections)
   on each database in turn and loads it with ``--clients`` concurrent connections for
   ``--seconds`` (after a 5 s warm-up), each request the contract's referral body with a fresh
   ``Idempotency-Key``: 1 partnership; 200 partnerships, load on one; 200 partnerships, load
   spread over all. Interleaving the configurations matters on a shared virtual machine, whose
   speed drifts: a fixed CPU-bound loop (``speed_ms``) is timed before each run to show it;
3. it sends one request from each of ``--clients`` threads at once, all with the same key and
   body, and checks that exactly one referral was made and every answer is the same.

``--profile N`` profiles N requests in-process (cProfile) and prints where the time goes."""

import argparse
import concurrent.futures
import contextlib
import cProfile
import datetime
import http.client
import json
import os
import platform
import pstats
import re
import resource
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import django
import psycopg

from tests.perf.machine import children_of, cpu_seconds, free_port, machine_busy_seconds, speed_ms

PG_LOG = Path("/var/log/postgresql/postgresql-15-main.log")


ROOT = Path(__file__).resolve().parents[2]


BODY = {
    "incident_date": "2026-10-30",
    "aware_date": "2026-11-02",
    "harm": "serious_harm",
    "abuse_or_neglect": "suspected",
    "circumstances": [],
    "children": [
        {
            "given_name": "Amara",
            "family_name": "Okafor",
            "date_of_birth": "2026-06-01",
            "sex": "female",
            "ethnicity": "Black British",
            "looked_after": False,
            "child_protection_plan": False,
        }
    ],
    "agencies_involved": ["Met Police", "NHS Croydon Health Services"],
    "summary": "What happened, in the referrer's words.",
}


WRK_SCRIPT = """
local targets = {%(targets)s}
local body = [==[%(body)s]==]
local counter = 0
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  prefix = string.format("%%s-%%d", "%(run)s", id)
end

function request()
  counter = counter + 1
  local target = targets[(counter %% #targets) + 1]
  return wrk.format("POST", "/api/v1/referrals/", {
    ["Host"] = target[1],
    ["Authorization"] = "Api-Key " .. target[2],
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = prefix .. "-" .. counter,
  }, body)
end

function done(summary, latency, requests)
  io.write(string.format(
    '{"requests": %%d, "duration_us": %%d, "non_2xx": %%d, "connect": %%d, "read": %%d, ' ..
    '"write": %%d, "timeout": %%d, "p50_us": %%d, "p90_us": %%d, "p95_us": %%d, ' ..
    '"p99_us": %%d, "max_us": %%d, "mean_us": %%d}\\n',
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end
"""


SECRET = "benchmark-only-" + secrets.token_urlsafe(24)


def database_url(name: str) -> str:
    base = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/safeguard")
    return f"{base.rsplit('/', 1)[0]}/{name}"


class Setup:
    def __init__(self, args):
        self.args = args
        self.targets: list[tuple[str, str]] = []  # (host, key) per partnership
        self.report: dict = {}

    def run(self) -> dict:
        name = self.args.setup
        with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
        os.environ.update(
            DATABASE_URL=database_url(name),
            DJANGO_SETTINGS_MODULE="safeguard.settings.base",
            SECRET_KEY=SECRET,
            DATABASE_CONN_MAX_AGE="60",
            LOG_LEVEL="WARNING",
        )
        django.setup()
        from django.core.management import call_command

        call_command("migrate_schemas", verbosity=0, interactive=False)
        self.targets.append(self.add_partnership(0))
        if self.args.profile:
            self.profile(self.args.profile)
        if self.args.partnerships > 1:
            started = time.perf_counter()
            for n in range(1, self.args.partnerships):
                self.targets.append(self.add_partnership(n))
            self.report["create_seconds_each"] = round(
                (time.perf_counter() - started) / (self.args.partnerships - 1), 3
            )
        self.report["targets"] = self.targets
        return self.report

    def add_partnership(self, n: int) -> tuple[str, str]:
        from django.db import connection
        from django_tenants.utils import tenant_context

        from tenants.actors import actor_for_platform
        from tenants.agencies.models import AgencyKind
        from tenants.agencies.services import agency_create, api_key_issue
        from tenants.services import partnership_create

        connection.set_schema_to_public()  # a request served in-process leaves its schema
        partnership = partnership_create(
            key=f"bench{n}", name=f"Bench {n} Partnership", reference_prefix=f"B{n:03d}"
        )
        with tenant_context(partnership):
            actor = actor_for_platform(partnership=partnership, label="benchmark")
            agency = agency_create(actor=actor, name="Met Police", kind=AgencyKind.POLICE)
            agency_create(actor=actor, name="NHS Croydon Health Services", kind=AgencyKind.HEALTH)
            _, key = api_key_issue(actor=actor, agency=agency, name="bench")
        connection.set_schema_to_public()
        return f"bench{n}.localhost", key

    def client(self):
        from django.test import Client

        host, key = self.targets[0]
        return Client(HTTP_HOST=host, HTTP_AUTHORIZATION=f"Api-Key {key}")

    def profile(self, requests: int):
        client = self.client()
        payload = json.dumps(BODY)
        for _ in range(20):
            client.post("/api/v1/referrals/", payload, content_type="application/json")
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for _ in range(requests):
            client.post(
                "/api/v1/referrals/",
                payload,
                content_type="application/json",
                HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
            )
        profiler.disable()
        elapsed = time.perf_counter() - started
        print(f"\nin-process: {requests} requests, {1000 * elapsed / requests:.2f} ms each")
        stats = pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative")
        stats.print_stats(40)
        stats.sort_stats("tottime").print_stats(25)


@contextlib.contextmanager
def gunicorn(database: str, target: tuple[str, str]):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "safeguard.settings.base",
        "SECRET_KEY": SECRET,
        "DATABASE_URL": database_url(database),
        "DATABASE_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "gunicorn", "safeguard.wsgi"]
    command += ["--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        host, key = target
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                headers = {"Host": host, "Authorization": f"Api-Key {key}"}
                conn.request("GET", "/api/v1/whoami/", headers=headers)
                if conn.getresponse().status == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer")
            time.sleep(0.2)
        yield server, port
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def wrk(port: int, targets, seconds: int, clients: int, run: str) -> dict:
    lua = WRK_SCRIPT % {
        "targets": ", ".join(f'{{"{host}", "{key}"}}' for host, key in targets),
        "body": json.dumps(BODY),
        "run": run,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        command = ["wrk", "--threads", "2", "--connections", str(clients)]
        command += ["--duration", f"{seconds}s", "--timeout", "10s", "--script", script.name]
        result = subprocess.run(
            [*command, f"http://127.0.0.1:{port}/"], capture_output=True, text=True, check=True
        )
    finally:
        os.unlink(script.name)
    return json.loads(result.stdout.strip().splitlines()[-1])


def postgres_cpu(database: str) -> float:
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [database])
        pids = [row[0] for row in rows]
    return sum(cpu_seconds(pid) for pid in pids if Path(f"/proc/{pid}").exists())


def load(args, label: str, database: str, targets) -> dict:
    run = f"{label[:3]}-{uuid.uuid4().hex[:8]}"
    with gunicorn(database, targets[0]) as (server, port):
        wrk(port, targets, 5, args.clients, f"warm-{run}")
        speed = speed_ms()
        workers = children_of(server.pid)
        cpu_before = {pid: cpu_seconds(pid) for pid in workers}
        pg_before = postgres_cpu(database)
        wrk_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        machine_before, load_before = machine_busy_seconds(), os.getloadavg()[0]
        result = wrk(port, targets, args.seconds, args.clients, run)
        machine_cpu = machine_busy_seconds() - machine_before
        wrk_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        workers_cpu = sum(cpu_seconds(pid) - cpu_before[pid] for pid in workers)
        pg_cpu = postgres_cpu(database) - pg_before
    seconds = result["duration_us"] / 1e6
    ok = result["requests"] - result["non_2xx"]
    wrk_cpu = wrk_after.ru_utime + wrk_after.ru_stime - wrk_before.ru_utime - wrk_before.ru_stime
    ours = workers_cpu + pg_cpu + wrk_cpu
    cores = seconds * os.cpu_count()
    figures = {
        "label": label,
        "requests": result["requests"],
        "errors": sum(result[k] for k in ("non_2xx", "connect", "read", "write", "timeout")),
        "rps": round(ok / seconds, 1),
        "p50_ms": round(result["p50_us"] / 1000, 1),
        "p95_ms": round(result["p95_us"] / 1000, 1),
        "p99_ms": round(result["p99_us"] / 1000, 1),
        "max_ms": round(result["max_us"] / 1000, 1),
        "cpu_ms_per_request": {
            "gunicorn": round(1000 * workers_cpu / max(ok, 1), 2),
            "postgres": round(1000 * pg_cpu / max(ok, 1), 2),
            "wrk": round(1000 * wrk_cpu / max(ok, 1), 2),
        },
        # How busy the cores were, and how much of it was other processes' work.
        "machine_busy_pct": round(100 * machine_cpu / cores, 1),
        "others_cpu_pct": round(100 * max(machine_cpu - ours, 0) / cores, 1),
        "load_before": round(load_before, 2),
        "speed_ms": speed,
    }
    print(json.dumps(figures), flush=True)
    return figures


def race(args, database: str, target: tuple[str, str]) -> dict:
    """Every client at once, one key, one body: one referral, one answer."""
    host, key = target
    idempotency_key = f"race-{uuid.uuid4()}"
    payload = json.dumps(BODY)

    def referrals() -> int:
        with psycopg.connect(database_url(database)) as conn:
            return conn.execute('SELECT count(*) FROM "bench0".casework_referral').fetchone()[0]

    with gunicorn(database, target) as (_, port):

        def send(_):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            headers = {
                "Host": host,
                "Authorization": f"Api-Key {key}",
                "Content-Type": "application/json",
                "Idempotency-Key": idempotency_key,
            }
            conn.request("POST", "/api/v1/referrals/", payload, headers)
            response = conn.getresponse()
            return response.status, response.read()

        before = referrals()
        with concurrent.futures.ThreadPoolExecutor(args.clients) as pool:
            answers = list(pool.map(send, range(args.clients)))
        made = referrals() - before
    return {
        "requests": len(answers),
        "statuses": sorted({status for status, _ in answers}),
        "distinct_bodies": len({content for _, content in answers}),
        "referrals_made": made,
    }


def capture_sql(database: str, target: tuple[str, str]) -> list[str]:
    """The statements PostgreSQL receives for one referral POST under gunicorn, from its own
    log (``log_statement = all`` on this database for the moment), after warm-up requests."""
    host, key = target
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(f"ALTER DATABASE {database} SET log_statement = 'all'")
    try:
        with gunicorn(database, target) as (_, port):

            def send() -> int:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                headers = {
                    "Host": host,
                    "Authorization": f"Api-Key {key}",
                    "Content-Type": "application/json",
                    "Idempotency-Key": str(uuid.uuid4()),
                }
                conn.request("POST", "/api/v1/referrals/", json.dumps(BODY), headers)
                response = conn.getresponse()
                response.read()
                return response.status

            for _ in range(6):  # both workers warm: host cache, connection
                send()
            time.sleep(0.5)
            offset = PG_LOG.stat().st_size
            assert send() == 201
            time.sleep(0.5)
            with PG_LOG.open("rb") as log:
                log.seek(offset)
                lines = log.read().decode(errors="replace").splitlines()
    finally:
        with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
            conn.execute(f"ALTER DATABASE {database} RESET log_statement")
    statements = []
    for line in lines:
        match = re.search(r"LOG:\s+(?:statement|execute [^:]*):\s(.*)$", line)
        if f"@{database} " in line and match:
            statements.append(match.group(1))
    return statements


def set_up(args, database: str, partnerships: int, capture: bool) -> dict:
    command = [sys.executable, "-m", "tests.perf.bench_referral_api", "--setup", database]
    command += ["--partnerships", str(partnerships)]
    if capture:
        command += ["--profile", str(args.profile)]
    result = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
    sys.stderr.write(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def median(values):
    return statistics.median(values)


def bench(args) -> int:
    one, many = "safeguard_bench_api_1", f"safeguard_bench_api_{args.partnerships}"
    started = datetime.datetime.now(datetime.UTC)
    try:
        first = set_up(args, one, 1, capture=True)
        print("SQL of one referral POST under gunicorn (PostgreSQL's log):")
        for n, statement in enumerate(capture_sql(one, first["targets"][0]), 1):
            print(f"{n:>3}. {statement[:400]}")
        print(flush=True)
        second = set_up(args, many, args.partnerships, capture=False)
        print(
            f"{args.partnerships} partnerships created, "
            f"{second['create_seconds_each']} s each (clone, agencies, key)\n",
            flush=True,
        )
        configurations = [
            ("1 partnership", one, first["targets"][:1]),
            (f"{args.partnerships} partnerships, load on one", many, second["targets"][:1]),
            (f"{args.partnerships} partnerships, load spread over all", many, second["targets"]),
        ]
        runs = {label: [] for label, _, _ in configurations}
        for _ in range(args.rounds):
            for label, database, targets in configurations:
                runs[label].append(load(args, label, database, targets))
        print("\nrace:", json.dumps(race(args, one, first["targets"][0])))
        # Runs during which other processes took more than 5 % of the machine are shown but
        # left out of the "clean" medians: on a shared machine they measure the neighbours.
        print(
            "\n| run | requests/s (each run; * = others > 5 % CPU) | median, clean runs |", end=""
        )
        print(" p50 ms | p95 ms | p99 ms | gunicorn / postgres CPU ms per request | errors |")
        print("|---|---|---|---|---|---|---|---|")
        for label, figures in runs.items():
            clean = [f for f in figures if f["others_cpu_pct"] <= 5] or figures
            each = ", ".join(f"{f['rps']}{'*' if f['others_cpu_pct'] > 5 else ''}" for f in figures)
            cpu = [f["cpu_ms_per_request"] for f in clean]
            print(
                f"| {label} | {each} | **{median([f['rps'] for f in clean])}** | "
                f"{median([f['p50_ms'] for f in clean])} | "
                f"{median([f['p95_ms'] for f in clean])} | "
                f"{median([f['p99_ms'] for f in clean])} | "
                f"{median([c['gunicorn'] for c in cpu])} / "
                f"{median([c['postgres'] for c in cpu])} | "
                f"{sum(f['errors'] for f in figures)} |"
            )
        print(
            f"\n{started:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, {platform.python_version()}"
        )
    finally:
        if not args.keep:
            with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
                for database in (one, many):
                    conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--partnerships", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--keep", action="store_true", help="keep the bench databases")
    parser.add_argument("--setup", metavar="DATABASE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        print(json.dumps(Setup(args).run()))
        return 0
    return bench(args)


if __name__ == "__main__":
    sys.exit(main())
