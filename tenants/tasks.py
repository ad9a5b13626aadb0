"""Tasks take identifiers, never personal data, and call a service."""

from celery import current_app, shared_task
from django.db import connection
from django_tenants.utils import tenant_context

from safeguard.celery import SchemaTask
from tenants.actors import actor_for_platform
from tenants.models import Membership
from tenants.selectors import partnership_list


class PartnershipTask(SchemaTask):
    """Base for tasks that touch one partnership's schema (``SchemaTask``: never the public
    schema, acknowledged late, so safe to run twice), acting there as the platform."""

    abstract = True

    def platform_actor(self, label: str):
        """The platform acting for this partnership in this task (``label`` says which job),
        its request id the task's own, so the audit rows name the run."""
        return actor_for_platform(
            partnership=self.partnership, label=label, request_id=self.request.id
        )


@shared_task(acks_late=True)
def partnerships_fan_out(task_name: str) -> int:
    """A periodic job: send ``task_name`` once for every live partnership, inside its schema
    (so the message carries it). The template schema has no partnership row, so it is never
    included."""
    sent = 0
    for partnership in partnership_list():
        with tenant_context(partnership):
            current_app.send_task(task_name)
        sent += 1
    return sent


@shared_task(base=PartnershipTask, bind=True)
def membership_invitation_send(self, membership_uuid: str) -> bool:
    from tenants.services import invitation_email_send

    membership = (
        Membership.objects.select_related("user", "partnership")
        .filter(uuid=membership_uuid, partnership__schema_name=connection.schema_name)
        .first()
    )
    if membership is None:
        return False
    actor = actor_for_platform(
        partnership=membership.partnership, label="invitation email", request_id=self.request.id
    )
    return invitation_email_send(actor=actor, membership=membership)
