"""Tasks take identifiers, never personal data, and call a service."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from publishing.services import (
    gate_run_execute,
    gate_runs_sweep,
    publications_daily,
)
from tenants.tasks import PartnershipTask

# The reading child is stopped at GATE_TIME_LIMIT_SECONDS (and the run "cannot be checked"); the
# task's own limit, two minutes later, catches whatever else hangs.
GATE_SOFT_TIME_LIMIT = settings.GATE_TIME_LIMIT_SECONDS + 120


@shared_task(
    base=PartnershipTask,
    bind=True,
    soft_time_limit=GATE_SOFT_TIME_LIMIT,
    time_limit=GATE_SOFT_TIME_LIMIT + 60,
)
def gate_run_task(self, run_uuid: str) -> str:
    """The anonymisation gate on one document (or on the public record). Safe to run twice."""
    actor = self.platform_actor("anonymisation gate")
    try:
        run = gate_run_execute(run_uuid=run_uuid, actor=actor)
    except SoftTimeLimitExceeded:
        run = gate_run_execute(
            run_uuid=run_uuid,
            actor=actor,
            give_up=(
                f"checking this file took more than {GATE_SOFT_TIME_LIMIT // 60} minutes, "
                "so it cannot be checked."
            ),
        )
    return run.outcome if run is not None else "missing"


def gate_run_send(run_uuid: str) -> None:
    """Send a run to the workers, on the queue they consume (named in the settings, so a test's
    own worker can be given its own)."""
    gate_run_task.apply_async(args=[run_uuid], queue=settings.CELERY_TASK_DEFAULT_QUEUE)


@shared_task(base=PartnershipTask, bind=True)
def gate_runs_sweep_task(self) -> dict:
    """Every few minutes, per partnership: send again the gate's runs whose worker died, or
    give them up (``gate_runs_sweep``)."""
    actor = self.platform_actor("gate sweeper")
    return gate_runs_sweep(actor=actor)


@shared_task(base=PartnershipTask, bind=True)
def publications_daily_task(self) -> dict:
    """Daily, per partnership: publish what is scheduled, and make available on request what
    has been online for the partnership's retention period."""
    actor = self.platform_actor("daily publications")
    return publications_daily(actor=actor)
