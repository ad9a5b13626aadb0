from celery import shared_task

from casework.services import actions_chase, clock_reminders_send, information_requests_chase
from tenants.tasks import PartnershipTask


@shared_task(base=PartnershipTask, bind=True)
def clock_reminders_send_task(self) -> int:
    """Daily, per partnership: remind the responsible people of clocks due soon or overdue."""
    return clock_reminders_send(actor=self.platform_actor("daily clock reminders"))


@shared_task(base=PartnershipTask, bind=True)
def review_chasers_send_task(self) -> int:
    """Daily, per partnership: chase overdue information requests and overdue actions, each once
    a day."""
    actor = self.platform_actor("daily review chasers")
    return information_requests_chase(actor=actor) + actions_chase(actor=actor)
