from celery import shared_task
from django.db import connection

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
