"""Reading identifiers from addresses and forms, and gathering a service's errors.

Public identifiers are UUIDs or human references (``CRO-2026-0042``), never row ids (STYLE.md
rule 4). Whatever a client puts where one belongs, a malformed value finds nothing: the same 404
as a missing or someone else's record, so that probing tells nothing (Zulip's ``access_*``).
"""

import uuid

from django.core.exceptions import ValidationError
from django.http import Http404


def uuid_parse(value) -> uuid.UUID | None:
    """``value`` (a UUID, or its text from a URL, a form or a JSON body) as a UUID; None when it
    is not one."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def uuid_or_404(value, message: str = "No such record.") -> uuid.UUID:
    """``value`` as a UUID, or the same 404 a missing record gives."""
    parsed = uuid_parse(value)
    if parsed is None:
        raise Http404(message)
    return parsed


def reference_parse(value) -> str:
    """A human reference as stored (``CRO-2026-0042``, ``CRO-R-2026-0001``): references are
    written in capitals; one typed in lower case finds the same record."""
    return str(value).upper()


def error_add(errors: dict[str, list[str]], field: str, message: str) -> None:
    """Note a problem with ``field`` among a service's errors, to raise them all together."""
    errors.setdefault(field, []).append(message)


def errors_raise(errors: dict[str, list[str]]) -> None:
    """Raise the gathered errors as one ValidationError (by field), if there are any."""
    if errors:
        raise ValidationError(errors)


def error_text(error: ValidationError) -> str:
    """A ValidationError on one line, for a command's standard error: ``field: message``."""
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    return " ".join(error.messages)


def found_or_404(found, message: str = "No such record."):
    """``found`` (what a lookup gave), or the 404 a missing record gives when it is None."""
    if found is None:
        raise Http404(message)
    return found
