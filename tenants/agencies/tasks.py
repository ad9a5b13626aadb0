from celery import shared_task

from tenants.agencies.audit import audit_trail_check
from tenants.agencies.services import api_keys_revoke_expired, idempotency_records_purge
from tenants.tasks import PartnershipTask


@shared_task(base=PartnershipTask, bind=True)
def api_keys_revoke_expired_task(self) -> int:
    """Daily, per partnership: expired API keys are marked revoked, each with an audit row."""
    return api_keys_revoke_expired(actor=self.platform_actor("daily API key expiry"))


@shared_task(base=PartnershipTask, bind=True)
def idempotency_records_purge_task(self) -> int:
    """Daily, per partnership: forget Idempotency-Keys past their retention period."""
    return idempotency_records_purge()


@shared_task(base=PartnershipTask, bind=True)
def audit_trail_check_task(self) -> bool:
    """Daily, per partnership: verify the audit trail's hash chain, record its head as a
    checkpoint, alert the platform's operators if it is broken. True when intact."""
    return audit_trail_check(partnership=self.partnership).intact
