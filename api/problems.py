"""Every API error as ``application/problem+json`` (RFC 9457)."""

from http import HTTPStatus

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"
PASSED_ON_HEADERS = ("WWW-Authenticate", "Retry-After", "Allow")


def problem(status: int, detail: str, instance: str = "", **extra) -> dict:
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update(extra)
    return body


def _flatten(errors, prefix: str = "") -> list[dict]:
    """DRF's nested error structure as a flat list of {"name": "children.0.sex", "reason": …}."""
    if isinstance(errors, dict):
        out = []
        for key, value in errors.items():
            # str(): a list's errors come keyed by the item's index, and index 0 is falsy.
            name = "" if key == "non_field_errors" else str(key)
            out += _flatten(value, f"{prefix}.{name}" if prefix and name else (name or prefix))
        return out
    if isinstance(errors, list):
        if all(isinstance(item, str) for item in errors):
            return [{"name": prefix, "reason": str(item)} for item in errors]
        out = []
        for index, item in enumerate(errors):
            if item:
                out += _flatten(item, f"{prefix}.{index}" if prefix else str(index))
        return out
    return [{"name": prefix, "reason": str(errors)}]


def problem_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)

    response = exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, exceptions.ValidationError):
        invalid = _flatten(exc.detail)
        names = sorted({item["name"] for item in invalid if item["name"]})
        detail = (
            "The request is not valid: " + ", ".join(names) + "."
            if names
            else (invalid[0]["reason"] if invalid else "The request is not valid.")
        )
        body = problem(400, detail, instance, errors=invalid)
    else:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        body = problem(response.status_code, detail, instance)
    return Response(
        body,
        status=response.status_code,
        headers={k: v for k, v in response.items() if k in PASSED_ON_HEADERS},
        content_type=PROBLEM_CONTENT_TYPE,
    )


def problem_response(request, status: int, detail: str) -> JsonResponse:
    """For errors raised outside DRF's views (an unknown /api/ path, a server error)."""
    return JsonResponse(
        problem(status, detail, request.path), status=status, content_type=PROBLEM_CONTENT_TYPE
    )
