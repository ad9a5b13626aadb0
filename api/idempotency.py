"""``Idempotency-Key`` on every POST of the API: a resent request gets the first answer.

The answer is remembered in the same transaction as the change it reports, so a request that
failed leaves nothing behind and can be resent as it is once put right. Two identical requests
racing each other cannot both change anything: the second's record collides with the first's on
the unique (API key, key) constraint once the first commits, its own work is rolled back, and it
answers with the first's answer instead.
"""

import functools

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer

from tenants.agencies.selectors import idempotency_record_find
from tenants.agencies.services import (
    IDEMPOTENCY_KEY_HEADER,
    IdempotencyKeyReused,
    idempotency_body_sha256,
    idempotency_key_check,
    idempotency_record_create,
    idempotency_record_match,
    idempotency_record_replayed,
)

REPLAYED_HEADER = "Idempotent-Replayed"


class IdempotencyKeyConflict(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = f"This {IDEMPOTENCY_KEY_HEADER} was already used for a different request."


class IdempotencyKeyInFlight(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = (
        f"Another request with this {IDEMPOTENCY_KEY_HEADER} was being handled; send it again."
    )


class _Raced(Exception):
    """A concurrent request with the same key committed first."""


def idempotent(post):
    """Wrap an APIView's ``post`` so that it honours ``Idempotency-Key``."""

    @functools.wraps(post)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(IDEMPOTENCY_KEY_HEADER)
        if key is None:
            return post(view, request, *args, **kwargs)
        idempotency_key_check(key=key)
        actor = request.user.actor
        fingerprint = {
            "method": request.method,
            "path": request.path,
            "body_sha256": idempotency_body_sha256(body=request.data),
        }
        try:
            with transaction.atomic():
                record = idempotency_record_find(api_key_uuid=actor.api_key_uuid, key=key)
                if record is not None:
                    return _replay(actor, record, fingerprint)
                response = post(view, request, *args, **kwargs)
                if not status.is_success(response.status_code):
                    transaction.set_rollback(True)
                    return response
                try:
                    idempotency_record_create(
                        api_key_uuid=actor.api_key_uuid,
                        key=key,
                        response_status=response.status_code,
                        response_body=JSONRenderer().render(response.data).decode(),
                        **fingerprint,
                    )
                except IntegrityError as error:
                    raise _Raced from error
                return response
        except _Raced:
            # This request's work has been rolled back; the winner's answer is now committed.
            record = idempotency_record_find(api_key_uuid=actor.api_key_uuid, key=key)
            if record is None:  # the winner's record is gone again (purged): nothing to replay
                raise IdempotencyKeyInFlight() from None
            return _replay(actor, record, fingerprint)

    wrapper.idempotent = True
    return wrapper


def _replay(actor, record, fingerprint) -> HttpResponse:
    try:
        idempotency_record_match(record=record, **fingerprint)
    except IdempotencyKeyReused as error:
        raise IdempotencyKeyConflict(str(error)) from None
    idempotency_record_replayed(actor=actor, record=record)
    response = HttpResponse(
        record.response_body, status=record.response_status, content_type="application/json"
    )
    response[REPLAYED_HEADER] = "true"
    return response
