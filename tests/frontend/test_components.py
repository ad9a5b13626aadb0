"""The shared template pieces (frontend/templates/components/), rendered on their own: what each
page that includes them relies on."""

import datetime
from types import SimpleNamespace

from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template.loader import render_to_string


def test_a_section_shows_its_success_banner_only_after_its_own_change():
    done = {"section": "screening", "message": "The screening is recorded."}
    html = render_to_string(
        "components/success_banner.html", {"done": done, "section": "screening"}
    )
    assert "govuk-notification-banner--success" in html and 'role="alert"' in html
    assert 'aria-labelledby="screening-done-title"' in html and 'id="screening-done-title"' in html
    assert "<h3" in html and "The screening is recorded." in html
    other = render_to_string(
        "components/success_banner.html", {"done": done, "section": "decision"}
    )
    assert "notification-banner" not in other


def test_messages_are_each_a_banner_success_or_important():
    messages = [
        Message(constants.SUCCESS, "The file is added."),
        Message(constants.ERROR, "That identifier was already removed."),
    ]
    html = render_to_string("components/messages.html", {"messages": messages})
    assert html.count('data-module="govuk-notification-banner"') == 2
    assert 'id="notification-title-1">Success</h2>' in html
    assert 'id="notification-title-2">Important</h2>' in html
    assert html.count("govuk-notification-banner--success") == 1
    assert 'role="region"' in html


def test_the_error_summary_links_each_message_to_its_field():
    errors = [("id_rationale", "Give the rationale."), ("id_view_met_1", "Choose one.")]
    html = render_to_string("components/error_summary.html", {"errors": errors})
    assert '<a href="#id_rationale">Give the rationale.</a>' in html
    assert "There is a problem" in html
    assert render_to_string("components/error_summary.html", {"errors": []}).strip() == ""


def test_the_clock_table_shows_each_clock_or_what_to_say_when_there_is_none():
    clock = SimpleNamespace(
        name="rapid_review",
        label="Rapid review",
        source="Working Together 2023, ch. 5",
        counted_from=datetime.date(2026, 11, 2),
        due=datetime.date(2026, 11, 23),
        length_label="15 working days",
        stopped_on=None,
    )
    row = {"clock": clock, "state": "running", "due_soon": False, "days_left": 3}
    html = render_to_string(
        "components/clock_table.html", {"clocks": [row], "caption": "The referral's clocks"}
    )
    assert 'data-clock="rapid_review"' in html and "2026-11-23" in html
    assert "3 working days left" in html and "Running" in html
    none = render_to_string(
        "components/clock_table.html", {"clocks": [], "caption": "c", "empty": "No clocks."}
    )
    assert "No clocks." in none
    bare = render_to_string("components/clock_table.html", {"clocks": [], "caption": "c"})
    assert "colspan" not in bare


def test_pagination_links_keep_the_query_and_target_the_results():
    html = render_to_string(
        "components/pagination.html",
        {
            "page": 2,
            "pages": 3,
            "numbers": [1, 2, 3],
            "base": "/actions/",
            "query": "rag=red",
            "target": "#results",
            "label": "Pages of actions",
        },
    )
    assert 'aria-label="Pages of actions"' in html
    assert 'href="/actions/?rag=red&amp;page=1"' in html and 'rel="next"' in html
    assert 'aria-current="page"' in html
    one = {"page": 1, "pages": 1, "numbers": [1], "base": "/", "target": "#r", "label": "l"}
    assert "govuk-pagination" not in render_to_string("components/pagination.html", one)
