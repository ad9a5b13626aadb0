"""Answering a form posted from one section of a page: the one helper every page uses.

A page (``referrals/referral.html``, a review's tabs, a publication) is one template with named
partials, one per section (``{% partialdef screening %}``), as in django-htmx's example. A form
in a section posts to a view that parses it and calls a service; the answer is:

- to htmx: the section again (with its success banner, or the form with its errors), and out of
  band the other parts of the page the change may have altered;
- otherwise: after a change, back to the page at the section, with the message; with errors,
  the whole page, its error summary leading to them (``page_error``: the title says so).

The rule itself is the service's: a ValidationError is shown on the form; a refusal by role
(PermissionDenied, a 403) or a missing record (Http404) goes up as it is.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string


@dataclass(frozen=True)
class After:
    """What a page's context is built from after a section's form is answered."""

    forms: dict = field(default_factory=dict)  # the forms with their errors, by context name
    done: dict | None = None  # {"section", "message"} after a change: the success banner
    whole_page: bool = False  # the whole page (a read of it, audited), not a section
    result: Any = None  # what ``perform`` returned


def section_answer(
    *,
    request: HttpRequest,
    page: str,
    section: str,
    form=None,
    form_key: str = "",
    perform: Callable[[dict], Any] | None = None,
    render_after: Callable[[After], dict],
    done: str | Callable[[Any], str] = "",
    refresh: Iterable[str] = (),
    back_to: str | Callable[[Any], str],
) -> HttpResponse:
    """Answer the POST of ``form`` (``form_key`` in the page's context; None: a button with
    nothing to read) from the ``section`` of the ``page`` template: when it reads,
    ``perform`` the service with its cleaned data. Then render what ``render_after`` builds:
    the section and, after a change, the ``refresh`` partials out of band (htmx), or the whole
    page with the errors; after a change without htmx, back to ``back_to`` (the page's address,
    or a function of what ``perform`` returned) at the section, with ``done`` as the message."""
    result = None
    changed = form is None or form.is_valid()
    if changed and perform is not None:
        try:
            result = perform(form.cleaned_data if form is not None else {})
        except ValidationError as error:
            if form is None:
                raise
            form.add_service_errors(error)
            changed = False
        except ObjectDoesNotExist:
            # A step that needs an earlier one not yet taken (the rapid review, the decision).
            raise Http404("Nothing to change here yet.") from None
    if changed:
        message = done(result) if callable(done) else done
        if request.htmx:
            banner = {"section": section, "message": message} if message else None
            context = render_after(After(done=banner, result=result))
            return _partials(request, page, section, context, refresh)
        if message:
            messages.success(request, message)
        url = back_to(result) if callable(back_to) else back_to
        return redirect(f"{url}#{section}")
    forms = {form_key: form}
    if request.htmx:
        return _partials(request, page, section, render_after(After(forms=forms)), ())
    context = render_after(After(forms=forms, whole_page=True))
    return render(request, page, {**context, "page_error": True})


def _partials(request, page: str, section: str, context: dict, refresh: Iterable[str]):
    html = render_to_string(f"{page}#{section}", context, request)
    for part in dict.fromkeys(refresh):
        if part != section:
            html += render_to_string(f"{page}#{part}", {**context, "oob": True}, request)
    return HttpResponse(html)
