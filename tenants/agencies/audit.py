"""The audit trail of a partnership's schema: writing its rows, and the daily check of its chain.

Every read and every change of casework is recorded (DESIGN §5). Services record their changes
with ``audit_event_record`` in the same transaction; selectors record the reads of a page, a
download or a list with it too, which is why it lives here and not in ``services``: a selector
imports this module, never a services module. The chain that makes the trail tamper-evident is
computed in ``chain.py``, beside this.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection

from tenants import clock
from tenants.actors import Actor, request_id_or_new
from tenants.agencies.chain import ChainReport, audit_chain_verify
from tenants.agencies.models import ActorType, AuditEvent
from tenants.handoffs import handoff_queue
from tenants.models import AuditCheckpoint, Partnership

logger = logging.getLogger(__name__)


def audit_event_record(
    *,
    actor: Actor,
    action: str,
    object_type: str = "",
    object_ref: str = "",
    detail: dict | None = None,
) -> AuditEvent:
    """Append one row to the partnership's audit trail (DESIGN §5: every read and every change
    of casework, who, what, when, from which host). ``detail`` must never hold a child's or a
    family's identifiers: name objects by reference or UUID.

    The database numbers, times and seals the row (its trigger, see ``AuditEvent``): the
    returned event carries its ``position``, ``occurred_at`` and ``hash``. A request id that is
    not of the safe form is replaced by a fresh one, whoever supplied it."""
    # A joint review's participant, working in the lead's schema through the door, is
    # recorded in the lead's trail under their own partnership's key (``partnership_key``).
    if connection.schema_name != actor.schema_name:
        raise RuntimeError(
            f"Audit row for {actor.schema_name!r} written on {connection.schema_name!r}."
        )
    event = AuditEvent.objects.create(
        request_id=request_id_or_new(actor.request_id),
        host=actor.host,
        partnership_key=actor.partnership.key,
        actor_type=ActorType(actor.kind),
        actor_uuid=actor.uuid,
        actor_label=actor.label,
        actor_role=actor.role,
        action=action,
        object_type=object_type,
        object_ref=object_ref,
        detail=detail or {},
    )
    # Whoever's turn it now is hears of it: an outbox row in this transaction (tenants.handoffs).
    handoff_queue(audit_event=event, actor=actor)
    return event


def audit_trail_check(*, partnership: Partnership) -> ChainReport:
    """The daily check of a partnership's audit trail (DESIGN §5: a change by anyone, a
    superuser included, is detected). Recompute its hash chain (``tenants.agencies.chain``);
    intact, record its head as a checkpoint in the public schema, which later checks hold the
    trail to; broken, email the platform's operators (``PLATFORM_ALERT_EMAILS``) the first row
    that does not match. Safe to run twice: a head already recorded is not recorded again."""
    report = audit_chain_verify(partnership=partnership)
    if report.intact:
        logger.info(
            "Audit trail of %s intact: %s rows, head %s %s",
            partnership.key,
            report.rows,
            report.head_position,
            report.head_hash,
        )
        if report.head_position:
            AuditCheckpoint.objects.bulk_create(
                [
                    AuditCheckpoint(
                        partnership=partnership,
                        position=report.head_position,
                        hash=report.head_hash,
                        verified_on=clock.today(),
                    )
                ],
                ignore_conflicts=True,
            )
        return report
    logger.error("Audit trail of %s is broken at %s", partnership.key, report.broken)
    recipients = settings.PLATFORM_ALERT_EMAILS
    if recipients:
        send_mail(
            subject=f"Safeguard: the audit trail of {partnership.key} does not verify",
            message=(
                f"The daily check of {partnership.name}'s audit trail (schema "
                f"{partnership.schema_name}) found that it no longer matches its hash chain.\n\n"
                f"First row that does not match: {report.broken}.\n"
                f"Rows verified before it: {report.rows}.\n\n"
                "Someone with the database's owner or superuser rights changed, removed or "
                "added rows. Compare with a backup, and run\n\n"
                f"    manage.py audit_verify {partnership.key}\n\n"
                "to see it again."
            ),
            from_email=None,
            recipient_list=recipients,
        )
    return report
