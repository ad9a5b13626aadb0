"""A partner agency's referral of a serious incident (DESIGN §2 step 1), its references and its
files. Each action checks who may do it (``casework.permissions``), keeps the clocks right and
writes its audit row in the same transaction (the audit details name objects by reference,
never a child)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction

from casework import permissions
from casework.audit import referral_audit
from casework.models import (
    AbuseOrNeglect,
    Attachment,
    Child,
    Circumstance,
    Harm,
    Referral,
    Sex,
)
from casework.regimes import REGIMES, regimes_in_force
from casework.services.clocks import clocks_sync
from tenants.actors import Actor
from tenants.agencies.models import Agency
from tenants.clock import today
from tenants.files import (
    DOCUMENTS_AND_IMAGES,
    UploadedFile,
    Uploads,
    stored_file_keep,
)
from tenants.validation import error_add, errors_raise

MAX_CHILDREN = 4
# Bounds on what one referral may carry, so that no request can make a page or a row huge
# (100,000 agencies gave a 2.3 MB page): more agencies than any case involves, and a summary
# of some 3,000 words; the full account belongs in attachments.
MAX_AGENCIES_INVOLVED = 50
SUMMARY_MAX_LENGTH = 20_000
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
ATTACHMENTS = Uploads(DOCUMENTS_AND_IMAGES, "PDF, Word document (.docx) or image (PNG, JPEG)")


@dataclass
class ChildInput:
    given_name: str
    family_name: str
    date_of_birth: datetime.date | None
    sex: str
    ethnicity: str = ""
    looked_after: bool = False
    child_protection_plan: bool = False


def _validate_attachments(files, errors) -> list[tuple[UploadedFile, str]]:
    accepted = []
    for index, upload in enumerate(files):
        content_type = ATTACHMENTS.check(
            errors, f"attachments.{index}", upload, max_bytes=ATTACHMENT_MAX_BYTES
        )
        if content_type:
            accepted.append((upload, content_type))
    return accepted


def _referring_agency(actor: Actor, agency: Agency | None, active: list[Agency]) -> Agency:
    permissions.require_referrer(actor)
    if actor.is_agency:
        found = next((a for a in active if a.uuid == actor.agency_uuid), None)
        if found is None:
            raise PermissionDenied("Your agency cannot refer here.")
        return found
    if agency is None:
        raise ValidationError({"agency": ["Choose the agency that is referring."]})
    return agency


def referral_create(
    *,
    actor: Actor,
    incident_date: datetime.date | None,
    aware_date: datetime.date | None,
    harm: str,
    abuse_or_neglect: str,
    children: list[ChildInput],
    summary: str,
    circumstances: list[str] = (),
    agencies_involved: list[str] = (),
    regime: str | None = None,
    regime_reason: str = "",
    working_together_concern: bool | None = None,
    agency: Agency | None = None,
    attachments: list[UploadedFile] = (),
) -> Referral:
    """Refer a serious incident (DESIGN §2 step 1). The referral, its children, clocks,
    attachments and audit row are saved together or not at all. The referral comes back with
    the clocks just started as ``created_clocks``. Its rules follow from the awareness date
    (``casework.regimes``); the business manager may choose others in force that day, with a
    reason."""
    active = list(Agency.objects.own().filter(is_active=True))
    referring = _referring_agency(actor, agency, active)
    now = today()
    errors: dict[str, list[str]] = {}
    if incident_date is None:
        error_add(errors, "incident_date", "Enter the date of the incident.")
    elif incident_date > now:
        error_add(errors, "incident_date", "The date of the incident cannot be in the future.")
    if aware_date is None:
        error_add(errors, "aware_date", "Enter the date the partnership became aware.")
    elif aware_date > now:
        error_add(errors, "aware_date", "The date you became aware cannot be in the future.")
    elif incident_date is not None and aware_date < incident_date:
        error_add(errors, "aware_date", "The date you became aware cannot be before the incident.")
    if harm not in Harm.values:
        error_add(errors, "harm", "Say whether the child died or was seriously harmed.")
    if abuse_or_neglect not in AbuseOrNeglect.values:
        error_add(errors, "abuse_or_neglect", "Say whether abuse or neglect is known or suspected.")
    unknown = [c for c in circumstances if c not in Circumstance.values]
    if unknown:
        error_add(errors, "circumstances", f"Unknown circumstances: {', '.join(unknown)}.")
    regime, regime_reason = _regime_check(actor, errors, aware_date, regime, regime_reason)
    if not (summary or "").strip():
        error_add(errors, "summary", "Describe what happened.")
    elif len(summary) > SUMMARY_MAX_LENGTH:
        error_add(errors, "summary", f"Keep the summary to {SUMMARY_MAX_LENGTH:,} characters.")
    if len(agencies_involved) > MAX_AGENCIES_INVOLVED:
        error_add(
            errors,
            "agencies_involved",
            f"Name at most {MAX_AGENCIES_INVOLVED} agencies involved.",
        )
    if not children:
        error_add(errors, "children", "Name at least one child.")
    elif len(children) > MAX_CHILDREN:
        error_add(errors, "children", f"One referral covers at most {MAX_CHILDREN} children.")
    for index, child in enumerate(children):
        prefix = f"children.{index}"
        for field, label in (("given_name", "given name"), ("family_name", "family name")):
            value = getattr(child, field).strip()
            if not value:
                error_add(errors, f"{prefix}.{field}", f"Enter child {index + 1}'s {label}.")
            elif len(value) > 100:
                error_add(errors, f"{prefix}.{field}", f"Child {index + 1}'s {label} is too long.")
        if len(child.ethnicity.strip()) > 100:
            error_add(errors, f"{prefix}.ethnicity", "Describe the ethnicity in 100 characters.")
        if child.sex not in Sex.values:
            error_add(errors, f"{prefix}.sex", f"Choose child {index + 1}'s sex.")
        if child.date_of_birth is None:
            error_add(
                errors, f"{prefix}.date_of_birth", f"Enter child {index + 1}'s date of birth."
            )
        elif child.date_of_birth > now:
            error_add(errors, f"{prefix}.date_of_birth", "A date of birth cannot be in the future.")
        elif incident_date is not None and child.date_of_birth > incident_date:
            error_add(
                errors,
                f"{prefix}.date_of_birth",
                f"Child {index + 1} was born after the incident: check both dates.",
            )
    accepted = _validate_attachments(attachments, errors)
    errors_raise(errors)

    known = {agency.name.lower(): agency for agency in active}
    involved, others = [], []
    for name in dict.fromkeys(" ".join(n.split()) for n in agencies_involved if n.strip()):
        if name.lower() in known:
            involved.append(known[name.lower()])
        elif len(name) > 200:
            raise ValidationError({"agencies_involved": [f"'{name[:40]}…' is too long."]})
        else:
            others.append(name)

    # No savepoint: a caller inside its own transaction (the API's idempotency record) rolls
    # back whole when this fails; two statements fewer per referral.
    with transaction.atomic(savepoint=False):
        referral = Referral.objects.create(
            reference=reference_next(actor, "casework_referral_number", now),
            regime=regime,
            regime_reason=regime_reason,
            referring_agency=referring,
            referred_by=actor.label,
            referred_by_uuid=actor.uuid,
            incident_date=incident_date,
            aware_date=aware_date,
            harm=harm,
            abuse_or_neglect=abuse_or_neglect,
            circumstances=list(dict.fromkeys(circumstances)),
            other_agencies_involved=others,
            summary=summary.strip(),
            working_together_concern=working_together_concern,
        )
        created_children = Child.objects.bulk_create(
            Child(
                referral=referral,
                position=index + 1,
                given_name=child.given_name.strip(),
                family_name=child.family_name.strip(),
                date_of_birth=child.date_of_birth,
                sex=child.sex,
                ethnicity=child.ethnicity.strip(),
                looked_after=child.looked_after,
                child_protection_plan=child.child_protection_plan,
            )
            for index, child in enumerate(children)
        )
        if involved:
            referral.agencies_involved.add(*involved)
        for upload, content_type in accepted:
            _store_attachment(actor, referral, upload, content_type)
        referral.created_clocks = clocks_sync(
            referral=referral, children=created_children, fresh=True
        )
        referral_audit(
            actor,
            referral,
            "referral.created",
            agency=referring.name,
            children=len(created_children),
            attachments=len(accepted),
            regime=regime,
            regime_chosen=bool(regime_reason),
        )
    return referral


def _regime_check(
    actor: Actor, errors, aware_date: datetime.date | None, regime: str | None, reason: str
) -> tuple[str, str]:
    """The rules in force on the awareness date; another only where it was in force too (the
    2018-2019 transition), chosen by the business manager with a written reason."""
    if regime and regime not in REGIMES:
        error_add(
            errors, "regime", f"Unknown rules {regime!r}: choose one of {', '.join(REGIMES)}."
        )
        return "", ""
    if aware_date is None:
        return regime or "", ""
    in_force = regimes_in_force(aware_date)
    default = in_force[0].key
    if not regime or regime == default:
        return default, ""
    if regime not in {r.key for r in in_force}:
        error_add(
            errors,
            "regime",
            f"The {REGIMES[regime].label} rules were not in force on {aware_date.isoformat()}, "
            f"the date the partnership became aware: {in_force[0].label} applies.",
        )
    elif not permissions.may_choose_regime(actor):
        error_add(
            errors,
            "regime",
            f"{in_force[0].label} applies from the date the partnership became aware; only the "
            "business manager may choose other rules.",
        )
    elif not (reason or "").strip():
        error_add(errors, "regime_reason", "Give the reason for choosing these rules.")
    return regime, (reason or "").strip()


def reference_next(actor: Actor, sequence: str, day: datetime.date, infix: str = "") -> str:
    """The next human reference from a partnership's sequence: its prefix, the year, the number
    (``CRO-2026-0042``, with ``infix`` ``R-`` for reviews: ``CRO-R-2026-0001``); never reused."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [sequence])
        number = cursor.fetchone()[0]
    return f"{actor.partnership.reference_prefix}-{infix}{day.year}-{number:04d}"


def _store_attachment(actor: Actor, referral: Referral, upload: UploadedFile, content_type: str):
    return stored_file_keep(
        Attachment(referral=referral, uploaded_by=actor.label),
        upload=upload,
        content_type=content_type,
    )


def attachment_add(*, actor: Actor, referral: Referral, upload: UploadedFile) -> Attachment:
    """Add a file to a referral: its referring agency or the review group."""
    permissions.require_referral_file_adder(actor, referral)
    errors: dict[str, list[str]] = {}
    accepted = _validate_attachments([upload], errors)
    if errors:
        raise ValidationError({"attachment": errors["attachments.0"]})
    with transaction.atomic():
        attachment = _store_attachment(actor, referral, upload, accepted[0][1])
        referral_audit(
            actor,
            referral,
            "attachment.added",
            attachment=str(attachment.uuid),
            type=attachment.content_type,
        )
    return attachment
