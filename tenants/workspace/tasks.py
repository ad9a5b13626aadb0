from celery import shared_task
from django.db import connection

from safeguard.celery import PartnershipTask
from tenants.actors import actor_for_platform
from tenants.models import Partnership
from tenants.workspace.services import (
    api_keys_revoke_expired,
    audit_trail_check,
    idempotency_records_purge,
)


@shared_task(base=PartnershipTask, bind=True)
def api_keys_revoke_expired_task(self) -> int:
    """Daily, per partnership: expired API keys are marked revoked, each with an audit row."""
    partnership = Partnership.objects.get(schema_name=connection.schema_name)
    actor = actor_for_platform(
        partnership=partnership, label="daily API key expiry", request_id=self.request.id
    )
    return api_keys_revoke_expired(actor=actor)


@shared_task(base=PartnershipTask, bind=True)
def idempotency_records_purge_task(self) -> int:
    """Daily, per partnership: forget Idempotency-Keys past their retention period."""
    return idempotency_records_purge()


@shared_task(base=PartnershipTask, bind=True)
def audit_trail_check_task(self) -> bool:
    """Daily, per partnership: verify the audit trail's hash chain, record its head as a
    checkpoint, alert the platform's operators if it is broken. True when intact."""
    partnership = Partnership.objects.get(schema_name=connection.schema_name)
    return audit_trail_check(partnership=partnership).intact
