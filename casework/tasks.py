from celery import shared_task
from django.db import connection

from casework.review_services import actions_chase, information_requests_chase
from casework.services import clock_reminders_send
from safeguard.celery import PartnershipTask
from tenants.actors import actor_for_platform
from tenants.models import Partnership


@shared_task(base=PartnershipTask, bind=True)
def clock_reminders_send_task(self) -> int:
    """Daily, per partnership: remind the responsible people of clocks due soon or overdue."""
    partnership = Partnership.objects.get(schema_name=connection.schema_name)
    actor = actor_for_platform(
        partnership=partnership, label="daily clock reminders", request_id=self.request.id
    )
    return clock_reminders_send(actor=actor)


@shared_task(base=PartnershipTask, bind=True)
def review_chasers_send_task(self) -> int:
    """Daily, per partnership: chase overdue information requests and overdue actions, each once
    a day."""
    partnership = Partnership.objects.get(schema_name=connection.schema_name)
    actor = actor_for_platform(
        partnership=partnership, label="daily review chasers", request_id=self.request.id
    )
    return information_requests_chase(actor=actor) + actions_chase(actor=actor)
