"""The public's downloads and requests for copies (DESIGN §2 step 7): a published document to
anyone while it is online, byte for byte what the gate passed; once it is available on request,
a request for a copy that the business manager approves (a link that works once, for 14 days)
or refuses with a reason. Every download is logged.
"""

import datetime
import hashlib
import logging
import secrets

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from publishing.models import (
    CopyRequest,
    CopyRequestStatus,
    DownloadVia,
    Publication,
    PublicationDocument,
    PublicationState,
    PublicDownload,
)
from publishing.permissions import publication_runners_emails, require_decide_copy_requests
from publishing.selectors import copy_link_state, latest_run, run_passed
from publishing.services.changes import publication_audit
from tenants import clock
from tenants.actors import Actor
from tenants.addresses import partnership_url
from tenants.files import StoredFileAltered, stored_file_read
from tenants.throttles import throttle_take
from tenants.validation import error_add, errors_raise, uuid_parse

logger = logging.getLogger(__name__)

COPY_LINK_DAYS = 14
REQUESTS_PER_ADDRESS_PER_HOUR = 5
REQUESTS_PER_EMAIL_PER_DAY = 3


class CopyRequestThrottled(Exception):
    """Too many requests from one address or for one email address."""


def _public_document(publication: Publication, document_uuid) -> PublicationDocument | None:
    value = uuid_parse(document_uuid)
    if value is None:
        return None
    return publication.documents.filter(uuid=value, is_public=True).first()


def public_document_download(
    *, publication: Publication, document_uuid
) -> tuple[PublicationDocument, bytes]:
    """A published document, to anyone, while the publication is online: the bytes served are
    checked against the SHA-256 the gate passed, and the download is logged."""
    document = _public_document(publication, document_uuid)
    if document is None or publication.state != PublicationState.PUBLISHED:
        raise PublicationDocument.DoesNotExist
    content = stored_file_read(document.file, sha256=document.sha256)
    run = latest_run(publication=publication, document=document)
    if not run_passed(run, document.sha256):
        logger.error("Publication document %s is public but its check is not", document.uuid)
        raise StoredFileAltered(str(document.uuid))
    PublicDownload.objects.create(
        publication=publication, document=document, via=DownloadVia.ONLINE
    )
    return document, content


def copy_request_create(
    *,
    actor: Actor,
    publication: Publication,
    document_uuid,
    name: str,
    email: str,
    organisation: str,
    reason: str,
    client_address: str,
) -> CopyRequest:
    """A member of the public asks for a copy of a publication no longer online: name, email,
    organisation (optional) and reason. At most 5 requests an hour from one address and 3 a day
    for one email address. The business managers are told; the request waits for their
    decision."""
    if publication.state != PublicationState.ON_REQUEST:
        raise ValidationError(["This publication is online: download it from its page."])
    errors: dict[str, list[str]] = {}
    name = " ".join((name or "").split())
    email = (email or "").strip().lower()
    organisation = " ".join((organisation or "").split())
    reason = (reason or "").strip()
    document = _public_document(publication, document_uuid)
    if document is None:
        error_add(errors, "document", "Choose the document you would like a copy of.")
    if not name:
        error_add(errors, "name", "Enter your name.")
    elif len(name) > 200:
        error_add(errors, "name", "Keep your name to 200 characters.")
    try:
        validate_email(email)
    except ValidationError:
        error_add(errors, "email", "Enter your email address, like name@example.com.")
    if len(organisation) > 200:
        error_add(errors, "organisation", "Keep the organisation to 200 characters.")
    if not reason:
        error_add(errors, "reason", "Say why you would like a copy.")
    elif len(reason) > 2000:
        error_add(errors, "reason", "Keep the reason to 2,000 characters.")
    errors_raise(errors)
    # Counted in the store every process shares (tenants.throttles), by the address as the
    # platform's own proxies saw it.
    if not throttle_take(
        scope="copy-requests-address",
        subject=client_address,
        limit=REQUESTS_PER_ADDRESS_PER_HOUR,
        seconds=3600,
    ):
        raise CopyRequestThrottled("Too many requests from your address: try again in an hour.")
    if not throttle_take(
        scope="copy-requests-email", subject=email, limit=REQUESTS_PER_EMAIL_PER_DAY, seconds=86400
    ):
        raise CopyRequestThrottled("Too many requests for this email address: try tomorrow.")
    with transaction.atomic():
        request = CopyRequest.objects.create(
            publication=publication,
            document=document,
            name=name,
            email=email,
            organisation=organisation,
            reason=reason,
        )
        publication_audit(actor, publication, "copy.requested", request=str(request.uuid))
        recipients = publication_runners_emails(actor.partnership)
        title = publication.public_record_run.record_snapshot["title"]
        if recipients:
            url = partnership_url(
                partnership=actor.partnership, path=f"/publications/copy-requests/{request.uuid}/"
            )
            transaction.on_commit(
                lambda: send_mail(
                    subject="A request for a copy of a published review",
                    message=f"Someone has asked for a copy of {title}.\n\nDecide: {url}",
                    from_email=None,
                    recipient_list=recipients,
                )
            )
    return request


def copy_request_decide(
    *, actor: Actor, copy_request: CopyRequest, approve: bool, reason: str
) -> CopyRequest:
    """The business manager approves a request (the requester is emailed a link that works
    once, for 14 days) or refuses it with a reason (the requester is told it)."""
    require_decide_copy_requests(actor)
    reason = (reason or "").strip()
    if copy_request.status != CopyRequestStatus.PENDING:
        raise ValidationError(["This request has already been decided."])
    if not approve and not reason:
        raise ValidationError({"decision_reason": ["Say why the request is refused."]})
    if len(reason) > 2000:
        raise ValidationError({"decision_reason": ["Keep the reason to 2,000 characters."]})
    publication = copy_request.publication
    title = (
        publication.public_record_run.record_snapshot["title"]
        if publication.public_record_run
        else publication.title
    )
    token = secrets.token_urlsafe(32) if approve else ""
    now = clock.now()
    with transaction.atomic():
        claimed = CopyRequest.objects.filter(
            pk=copy_request.pk, status=CopyRequestStatus.PENDING
        ).update(
            status=CopyRequestStatus.APPROVED if approve else CopyRequestStatus.REFUSED,
            decided_by=actor.label,
            decided_at=now,
            decision_reason=reason,
            token_sha256=hashlib.sha256(token.encode()).hexdigest() if approve else None,
            link_expires_at=now + datetime.timedelta(days=COPY_LINK_DAYS) if approve else None,
        )
        if not claimed:
            raise ValidationError(["This request has already been decided."])
        copy_request.refresh_from_db()
        publication_audit(
            actor,
            publication,
            "copy.approved" if approve else "copy.refused",
            request=str(copy_request.uuid),
        )
        partnership = actor.partnership
        if approve:
            link = partnership_url(partnership=partnership, path=f"/reviews/copies/{token}/")
            message = (
                f"{partnership.name} has approved your request for a copy of {title}.\n\n"
                f"Download it here (the link works once, until "
                f"{timezone.localtime(copy_request.link_expires_at):%Y-%m-%d}):\n{link}\n"
            )
            subject = f"Your copy of {title}"
        else:
            message = (
                f"{partnership.name} cannot send you a copy of {title}.\n\nThe reason: {reason}\n"
            )
            subject = f"Your request for a copy of {title}"
        recipient = copy_request.email
        transaction.on_commit(
            lambda: send_mail(
                subject=subject, message=message, from_email=None, recipient_list=[recipient]
            )
        )
    return copy_request


def copy_link_download(*, actor: Actor, token: str) -> tuple[PublicationDocument, bytes]:
    """Use a link sent on request: once, within 14 days, for the document asked for, checked
    against the SHA-256 the gate passed. The download is logged."""
    link = copy_link_state(token=token)
    if link.state != "valid":
        raise ValidationError([link.state])
    request = link.request
    with transaction.atomic():
        content = stored_file_read(request.document.file, sha256=request.document.sha256)
        claimed = CopyRequest.objects.filter(
            pk=request.pk, link_used_at__isnull=True, link_expires_at__gt=clock.now()
        ).update(link_used_at=clock.now())
        if not claimed:
            raise ValidationError(["used"])
        PublicDownload.objects.create(
            publication=request.publication,
            document=request.document,
            via=DownloadVia.COPY_LINK,
            copy_request=request,
        )
        publication_audit(actor, request.publication, "copy.downloaded", request=str(request.uuid))
    return request.document, content
