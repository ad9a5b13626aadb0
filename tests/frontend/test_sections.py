"""The one htmx "answer a form section" helper (frontend/sections.py), on its own: what a page's
section gets back after a change, after errors, with and without htmx."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from frontend import sections
from frontend.forms.base import apply_service_errors
from frontend.sections import After, section_answer


class NameForm(forms.Form):
    name = forms.CharField()

    def add_service_errors(self, error):
        apply_service_errors(self, error)


@pytest.fixture
def rendered(monkeypatch):
    """What the helper renders: (template, context) of each partial, and of a whole page."""
    calls = []

    def render_to_string(template, context, request):
        calls.append((template, context))
        return f"<{template}>"

    def render(request, template, context):
        calls.append((template, context))
        return HttpResponse(f"<{template}>")

    monkeypatch.setattr(sections, "render_to_string", render_to_string)
    monkeypatch.setattr(sections, "render", render)
    return calls


def post(htmx: bool, data=None):
    request = RequestFactory().post("/things/1/name/", data or {"name": "Ada"})
    request.htmx = htmx
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def answer(request, **overrides):
    afters = []

    def render_after(after: After) -> dict:
        afters.append(after)
        return {"forms": after.forms, "done": after.done}

    arguments = {
        "request": request,
        "page": "things/thing.html",
        "section": "name",
        "form": NameForm(request.POST),
        "form_key": "name_form",
        "perform": lambda data: data["name"].upper(),
        "render_after": render_after,
        "done": lambda result: f"Renamed {result}.",
        "refresh": ("status", "name", "status", "history"),
        "back_to": lambda result: f"/things/{result}/",
    }
    arguments.update(overrides)
    return section_answer(**arguments), afters


def test_after_a_change_htmx_gets_the_section_and_what_the_change_may_alter(rendered):
    response, afters = answer(post(htmx=True))
    assert afters == [After(done={"section": "name", "message": "Renamed ADA."}, result="ADA")]
    assert [template for template, _ in rendered] == [
        "things/thing.html#name",
        "things/thing.html#status",
        "things/thing.html#history",
    ]
    assert [context.get("oob") for _, context in rendered] == [None, True, True]
    assert response.content == (
        b"<things/thing.html#name><things/thing.html#status><things/thing.html#history>"
    )


def test_after_a_change_the_page_is_shown_again_at_the_section_with_the_message(rendered):
    request = post(htmx=False)
    response, afters = answer(request)
    assert (response.status_code, response["Location"]) == (302, "/things/ADA/#name")
    assert [str(m) for m in get_messages(request)] == ["Renamed ADA."]
    assert afters == [] and rendered == []


def test_a_service_refusal_goes_to_the_form_and_only_its_section_is_sent(rendered):
    def refuse(data):
        raise ValidationError({"name": ["That name is taken."]})

    _, afters = answer(post(htmx=True), perform=refuse)
    [after] = afters
    assert after.done is None and not after.whole_page
    assert after.forms["name_form"].errors == {"name": ["That name is taken."]}
    assert [template for template, _ in rendered] == ["things/thing.html#name"]


def test_without_htmx_errors_show_the_whole_page_read_for_the_page(rendered):
    _, afters = answer(post(htmx=False, data={"name": ""}))
    [after] = afters
    assert after.whole_page and "name" in after.forms["name_form"].errors
    [(template, context)] = rendered
    assert template == "things/thing.html" and context["page_error"] is True


def test_a_step_not_yet_possible_is_a_404():
    def missing(data):
        raise ObjectDoesNotExist

    with pytest.raises(Http404):
        answer(post(htmx=True), perform=missing)


def test_a_button_without_a_form_performs_and_lets_a_refusal_go_up(rendered):
    performed = []
    response, _ = answer(
        post(htmx=False),
        form=None,
        perform=lambda data: performed.append(data) or "done",
        done="Closed.",
        back_to="/things/1/",
    )
    assert performed == [{}] and response["Location"] == "/things/1/#name"

    def refuse(data):
        raise ValidationError(["Not now."])

    with pytest.raises(ValidationError):
        answer(post(htmx=False), form=None, perform=refuse)


def test_no_message_no_banner(rendered):
    request = post(htmx=True)
    _, afters = answer(request, perform=None, done="")
    assert afters == [After()]
    request = post(htmx=False)
    answer(request, perform=None, done="", back_to="/things/1/")
    assert list(get_messages(request)) == []
