"""The demo data: every seed review published by its partnerships, in its proper state."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from publishing.library.models import LibraryRecord
from publishing.library.selectors import library_records_of_partnership
from publishing.models import Publication, PublicationState
from safeguard.demo.management.commands.load_demo import DEFAULT_SEEDS
from safeguard.demo.publications import demo_uuid, pseudonyms_from_title
from tenants.models import Partnership
from tests.support.world import inside


@pytest.mark.django_db
def test_load_demo_publishes_every_seed_review_once(capsys):
    seeds = json.loads(Path(DEFAULT_SEEDS).read_text())
    call_command("load_demo")
    call_command("load_demo")
    capsys.readouterr()
    reviews = seeds["reviews"]
    assert LibraryRecord.objects.count() == len(reviews)
    for review in reviews:
        record = LibraryRecord.objects.get(uuid=demo_uuid(review))
        assert record.title == review["title"]
        assert record.partnership_keys[0] == (review.get("lead") or review["partnerships"][0])
        assert sorted(record.partnership_keys) == sorted(review["partnerships"])
        expected = {"public": "online", "on_request": "on_request"}.get(
            review["availability"], "online"
        )
        assert record.availability == expected, review["title"]
        assert record.summary_only == (review["availability"] == "executive_summary_only")
        kinds = [document["kind"] for document in record.documents]
        assert kinds[0] == ("executive_summary" if record.summary_only else "full_report")
    # Joint reviews appear on every participant's page.
    for key in ("croydon", "lewisham"):
        assert "Children R, S and W" in {e.title for e in library_records_of_partnership(key=key)}
    for key in ("kingston", "merton"):
        assert "Family A" in {e.title for e in library_records_of_partnership(key=key)}
    croydon = Partnership.objects.get(key="croydon")
    with inside(croydon):
        josh = Publication.objects.get(title="Child P 'Josh'")
        assert josh.state == PublicationState.ON_REQUEST
        report = josh.documents.get()
        with report.file.open("rb") as handle:
            assert b"DEMO DOCUMENT" in handle.read()


def test_pseudonyms_are_read_from_the_seed_titles():
    assert pseudonyms_from_title('Child "Joe"') == ["Joe"]
    assert pseudonyms_from_title("Children R, S and W") == ["R", "S", "W"]
    assert pseudonyms_from_title("'Emily' and 'Jack'") == ["Emily", "Jack"]
    assert pseudonyms_from_title("Serious Case Review 2019") == []


@pytest.mark.django_db
def test_the_platform_edits_the_themes_vocabulary(capsys):
    from django.core.management.base import CommandError

    from publishing.library.models import Theme

    call_command("theme", "add", "Bullying")
    assert Theme.objects.get(slug="bullying").is_active
    call_command("theme", "rename", "bullying", "Bullying and peer abuse")
    call_command("theme", "retire", "bullying")
    theme = Theme.objects.get(slug="bullying")
    assert (theme.label, theme.is_active) == ("Bullying and peer abuse", False)
    call_command("theme", "list")
    assert "bullying" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already"):
        call_command("theme", "add", "Neglect")
    with pytest.raises(CommandError, match="no theme"):
        call_command("theme", "retire", "no-such-theme")
