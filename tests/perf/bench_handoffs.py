"""Benchmark: what hand-offs and webhooks cost a referral POST, and how soon a webhook is called.
Not a test; run it by hand:

    .venv/bin/python -m tests.perf.bench_handoffs [--posts 100] [--rounds 5] [--events 60] [--keep]

It builds a throwaway database on the server of DATABASE_URL (migrated, one partnership with a
business manager and two agencies, each with an API key), with the platform's own settings
(``safeguard.settings.base``: tasks go to a real broker, never run in the request). The broker
is Redis at ``REDIS_URL`` when it is set, else kombu's filesystem broker in a temporary folder,
as ``make run`` chooses.

1. **The request.** ``--rounds`` times ``--posts`` referral POSTs in-process through the Django
   test client by an agency with two webhooks subscribed to ``referral.received`` and as many
   by one with none, taking turns request by request (as the machine's speed drifts). Each
   POST writes the outbox row and sends its task after commit; the hand-off's handler, the
   emails and the deliveries run in the worker, so the two should be within a few per cent.
2. **Event to first delivery attempt.** A real Celery worker (``--pool solo``, as ``make run``'s
   worker runs, as the runtime role's settings) on its own queue, and a receiver on loopback
   (``http.server`` in a thread). ``--events`` referrals, one at a time; for each, the time
   from the POST's answer (its transaction committed) to the receiver's first byte of the
   delivery. Prints the median, 95th percentile and maximum.
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.perf.bench_referral_api import BODY
from tests.perf.harness import percentile, throwaway_database
from tests.perf.machine import speed_ms

ROOT = Path(__file__).resolve().parents[2]


class Arrivals:
    """A receiver on loopback that notes when each webhook-id first arrived."""

    def __init__(self):
        self.first: dict[str, float] = {}
        self.references: dict[str, float] = {}
        arrivals = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                moment = time.monotonic()
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                arrivals.references.setdefault(body["data"]["reference"], moment)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"


def _setup():
    from django.core.management import call_command
    from django.db import connection
    from django_tenants.utils import tenant_context

    from tenants.actors import actor_for_api_key, actor_for_platform
    from tenants.agencies.models import AgencyApiKey
    from tenants.agencies.services import agency_create, api_key_issue
    from tenants.models import Membership, Role, User
    from tenants.services import partnership_create

    call_command("migrate_schemas", verbosity=0, interactive=False)
    connection.set_schema_to_public()
    partnership = partnership_create(key="bench0", name="Bench 0 Partnership")
    user = User.objects.create_user(email="manager@bench0.example", password=secrets.token_hex())
    Membership.objects.create(user=user, partnership=partnership, role=Role.BUSINESS_MANAGER)
    with tenant_context(partnership):
        platform = actor_for_platform(partnership=partnership, label="bench")
        keys = {}
        for name in ("Met Police", "NHS Bench"):
            agency = agency_create(actor=platform, name=name)
            _, keys[name] = api_key_issue(actor=platform, agency=agency, name="bench")
        hooked = actor_for_api_key(
            partnership=partnership,
            api_key=AgencyApiKey.objects.get(agency__name="Met Police"),
        )
    return partnership, keys, hooked


def _post(client, key: str) -> str:
    response = client.post(
        "/api/v1/referrals/",
        json.dumps(BODY),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {key}",
    )
    assert response.status_code == 201, response.content[:300]
    return response.json()["reference"]


def request_cost(client, keys, posts: int, rounds: int) -> dict:
    """Each POST's own time, the two agencies taking turns request by request (which one goes
    first alternating), so the machine's drift falls on both alike."""
    times: dict[str, list[float]] = {"two webhooks": [], "none": []}
    who = {"two webhooks": keys["Met Police"], "none": keys["NHS Bench"]}
    for _ in range(10):
        _post(client, who["none"])
        _post(client, who["two webhooks"])
    for round_ in range(rounds):
        for n in range(posts):
            order = ("two webhooks", "none") if (n + round_) % 2 == 0 else ("none", "two webhooks")
            for label in order:
                started = time.perf_counter()
                _post(client, who[label])
                times[label].append(1000 * (time.perf_counter() - started))
        print(
            f"round {round_ + 1}: "
            + ", ".join(
                f"{label} median {statistics.median(values[-posts:]):.2f} ms"
                for label, values in times.items()
            )
            + f" (speed {speed_ms():.0f})",
            flush=True,
        )
    for label, values in times.items():
        print(
            f"{label}: {len(values)} POSTs, median {statistics.median(values):.2f} ms, "
            f"p95 {percentile(values, 0.95):.2f} ms"
        )
    return {label: statistics.median(values) for label, values in times.items()}


def first_attempts(client, keys, events: int, queue: str) -> list[float]:
    from django.conf import settings

    arrivals = Arrivals()
    with _inside_bench():
        from tenants.notifications.models import Webhook

        Webhook.objects.update(url=arrivals.url)
    env = {
        **os.environ,
        "CELERY_QUEUE": queue,
        "DJANGO_SETTINGS_MODULE": "safeguard.settings.base",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "safeguard",
            "worker",
            "--pool",
            "solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "WARNING",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    latencies = []
    try:
        warm = _post(client, keys["Met Police"])
        _wait_for(arrivals, warm, timeout=120)
        for _ in range(events):
            reference = _post(client, keys["Met Police"])
            answered = time.monotonic()
            arrived = _wait_for(arrivals, reference, timeout=60)
            latencies.append(1000 * (arrived - answered))
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        arrivals.server.shutdown()
    return latencies


def _wait_for(arrivals: Arrivals, reference: str, timeout: float) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if reference in arrivals.references:
            return arrivals.references[reference]
        time.sleep(0.002)
    raise TimeoutError(f"no delivery of {reference} within {timeout} s")


def _inside_bench():
    from django_tenants.utils import schema_context

    return schema_context("bench0")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--events", type=int, default=60)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        os.environ["DATA_DIR"] = tempfile.mkdtemp(prefix="bench-handoffs-")
    os.environ.setdefault("SECRET_KEY", secrets.token_hex(32))
    os.environ["WEBHOOKS_ALLOW_LOOPBACK"] = "1"
    backlog = f"bench-backlog-{secrets.token_hex(4)}"
    os.environ["CELERY_QUEUE"] = backlog
    with throwaway_database(
        "safeguard_bench_handoffs", keep=args.keep, settings="safeguard.settings.base"
    ):
        from django.test import Client
        from django.test.utils import setup_test_environment

        from safeguard.celery import app

        setup_test_environment()
        _, keys, hooked = _setup()
        from tenants.notifications.webhooks import webhook_create

        with _inside_bench():
            for n in range(2):
                webhook_create(
                    actor=hooked, url=f"http://127.0.0.1:9/hooks/{n}", events=["referral.received"]
                )
        client = Client(HTTP_HOST="bench0.localhost")
        broker = "Redis" if os.environ.get("REDIS_URL") else "the filesystem broker"
        print(f"broker: {broker}", flush=True)
        medians = request_cost(client, keys, args.posts, args.rounds)
        ratio = medians["two webhooks"] / medians["none"]
        print(
            f"\nmedian ms per referral POST: two webhooks {medians['two webhooks']:.2f}, "
            f"none {medians['none']:.2f} ({100 * (ratio - 1):+.1f} %)"
        )
        # The first part's tasks were never worked: the worker starts on an empty queue.
        with app.connection_for_write() as connection:
            purged = connection.default_channel.queue_purge(backlog)
        print(f"purged {purged} queued tasks of the first part", flush=True)
        with _inside_bench():
            from tenants.notifications.models import Webhook

            Webhook.objects.exclude(pk=Webhook.objects.order_by("pk").first().pk).delete()
        latencies = first_attempts(client, keys, args.events, backlog)
        print(
            f"event to first delivery attempt over {len(latencies)} referrals ({broker}): "
            f"median {statistics.median(latencies):.0f} ms, "
            f"p95 {percentile(latencies, 0.95):.0f} ms, max {max(latencies):.0f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
