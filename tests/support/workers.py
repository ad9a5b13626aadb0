"""A real Celery worker process for a test (or a benchmark): one task at a time (``--pool
solo``, as ``make run``'s worker), on a queue of its own, as the runtime database role."""

import subprocess
import sys

from django.conf import settings

from tests.support.database import runtime_process_environment


def worker_process(queue: str, *, output=subprocess.DEVNULL, **environment: str):
    """Start a worker consuming ``queue`` on the test database; the caller terminates it."""
    return subprocess.Popen(
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
            "INFO",
        ],
        cwd=settings.BASE_DIR,
        env=runtime_process_environment(CELERY_QUEUE=queue, **environment),
        stdout=output,
        stderr=subprocess.STDOUT,
    )
