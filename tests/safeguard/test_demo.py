"""The demo data (``load_demo``): the seed partnerships with their agencies, people, referrals
and joint reviews, and every seed review published by its partnerships, in its proper state;
the same however often it runs."""

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from publishing.library.models import LibraryRecord
from publishing.library.selectors import library_records_of_partnership
from publishing.models import Publication, PublicationState
from safeguard.demo.management.commands.load_demo import DEFAULT_SEEDS
from safeguard.demo.publications import demo_uuid, pseudonyms_from_title
from tenants.agencies.models import Agency
from tenants.models import Membership, Partnership, Role
from tests.support.world import inside

SEEDS = settings.BASE_DIR.parent / "shared" / "seeds" / "published_reviews.json"


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


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_load_demo_loads_the_seeds_and_is_idempotent(db):
    seeds = json.loads(Path(SEEDS).read_text())
    first = run("load_demo")
    second = run("load_demo")
    assert "Sign in with password" in first and first == second
    keys = {p["key"] for p in seeds["partnerships"]}
    assert keys <= set(Partnership.objects.values_list("key", flat=True))
    for item in seeds["partnerships"]:
        partnership = Partnership.objects.get(key=item["key"])
        assert partnership.former_name == item["former_name"]
        with inside(partnership):
            assert set(Agency.objects.values_list("name", flat=True)) >= set(item["agencies"])
            for name in item["agencies"]:
                assert Agency.objects.filter(name=name).count() == 1
    with inside(Partnership.objects.get(key="croydon")):
        from casework.models import Referral

        # One referral at each of the main steps (casework.steps).
        assert sorted(Referral.objects.values_list("status", flat=True)) == [
            "decided",
            "not_notifiable",
            "rapid_review",
            "received",
            "screened",
            "sent_to_panel",
        ]
        under_way = Referral.objects.get(status="rapid_review")
        requests = under_way.rapid_review.contribution_requests.all()
        assert sorted(r.received for r in requests) == [False, True]
    roles = set(
        Membership.objects.filter(user__email__endswith=".example").values_list("role", flat=True)
    )
    assert roles == set(Role.values)
    _check_the_demo_joint_reviews()


def _check_the_demo_joint_reviews():
    """An active joint review led by Croydon with Lewisham, and Merton's past part in Kingston's
    "Family A" — once each, however often load_demo runs."""
    from casework.joint.models import JointReviewGrant
    from casework.joint.selectors import review_partnerships
    from casework.models import Review
    from safeguard.demo.joint_reviews import CROYDON_TITLE, FAMILY_A_TITLE

    croydon = JointReviewGrant.objects.get(review_title=CROYDON_TITLE)
    assert croydon.lead.key == "croydon" and croydon.ended_at is None
    assert [(p.partnership.key, p.state) for p in croydon.participants.all()] == [
        ("lewisham", "active")
    ]
    with inside(croydon.lead):
        review = Review.objects.get(uuid=croydon.review_uuid)
        homes = set(review.chronology.values_list("agency__home_partnership_key", flat=True))
        assert homes == {"", "lewisham"}
        owners = set(review.actions.values_list("owner_agency__name", flat=True))
        assert owners == {"Met Police", "Met Police (Lewisham)"}
    family_a = JointReviewGrant.objects.get(review_title=FAMILY_A_TITLE)
    assert family_a.lead.key == "kingston" and family_a.ended_at is not None
    assert [(p.partnership.key, p.state) for p in family_a.participants.all()] == [
        ("merton", "ended")
    ]
    with inside(family_a.lead):
        review = Review.objects.get(uuid=family_a.review_uuid)
        assert review.stage == "completed"
        assert [p.key for p in review_partnerships(review)] == ["kingston", "merton"]
        (signed,) = review.partnership_sign_offs.all()
        assert signed.partnership_key == "merton" and "Merton" in signed.statement
