"""The chronology tab on the web: inline add and correction with htmx, filters, the CSV export and
the printable page, pages of 100, and bad entries shown with nothing saved."""

import csv
import io

import pytest

from casework.models import ChronologyEntry
from tenants.agencies.models import AuditEvent
from tests.support.review_pages import client, days, error_summary, htmx, signed_terms
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


class TestChronology:
    def test_inline_add_correct_filter_and_export(self, world, appointed):
        ref = appointed.reference
        signed_terms(world, appointed, start=days(-400), end=days(-10))
        erin = client(world, "erin")
        entry = {
            "entry-occurred_on": days(-100).isoformat(),
            "entry-occurred_at": "14:30",
            "entry-agency": str(world.met_croydon.uuid),
            "entry-what_happened": "Call to the address: no answer",
            "entry-who": "police officer",
            "entry-source_document": "Call log 17",
            "entry-key_episode": "on",
        }
        response = htmx(erin, f"/case-reviews/{ref}/chronology/entries/", entry)
        html = body(response)
        assert html.lstrip().startswith('<section id="add"')
        assert f"Entry added for {days(-100).isoformat()} (Met Police)." in html
        assert '<div id="results" hx-swap-oob="true">' in html and "Call to the address" in html

        # A date outside the period under review is saved, and flagged.
        outside = {
            **entry,
            "entry-occurred_on": days(-500).isoformat(),
            "entry-key_episode": "",
            "entry-agency": str(world.nhs_croydon.uuid),
            "entry-what_happened": "Health visit",
            "entry-who": "health visitor",
        }
        response = htmx(erin, f"/case-reviews/{ref}/chronology/entries/", outside)
        assert "It is outside the period under review, so it is flagged." in body(response)
        page = body(erin.get(f"/case-reviews/{ref}/chronology/"))
        assert page.count("Outside the period under review</strong>") == 1
        assert page.index("Health visit") < page.index("Call to the address")  # in date order

        with inside(world.croydon):
            first = ChronologyEntry.objects.get(what_happened__startswith="Call to")
        row = body(htmx(erin, f"/case-reviews/{ref}/chronology/{first.uuid}/correct/"))
        prefix = f"correct-{first.uuid.hex[:8]}"
        assert row.lstrip().startswith("<tr") and f'name="{prefix}-what_happened"' in row
        assert "Call to the address: no answer" in row
        correction = {key.replace("entry-", f"{prefix}-"): value for key, value in entry.items()}
        correction[f"{prefix}-what_happened"] = (
            "Call to the address: mother answered, child not seen"
        )
        response = htmx(erin, f"/case-reviews/{ref}/chronology/{first.uuid}/correct/", correction)
        row = body(response)
        assert row.lstrip().startswith("<tr")
        assert "Corrected by erin@reviews.example, was:" in row and "no answer" in row
        response = htmx(erin, f"/case-reviews/{ref}/chronology/{first.uuid}/correct/", correction)
        assert "This entry has already been corrected; correct the latest one." in body(response)
        with inside(world.croydon):
            assert (
                ChronologyEntry.objects.get(pk=first.pk).what_happened
                == "Call to the address: no answer"
            )
            current = ChronologyEntry.objects.get(is_current=True, agency=world.met_croydon)
        history = body(erin.get(f"/case-reviews/{ref}/chronology/{current.uuid}/"))
        assert "mother answered" in history and "no answer" in history

        # Filters: by agency, by period, key episodes only.
        page = body(htmx(erin, f"/case-reviews/{ref}/chronology/?agency={world.nhs_croydon.uuid}"))
        assert page.lstrip().startswith('<div id="results">')
        assert (
            "Health visit" in page and "mother answered" not in page and "1 entry matching" in page
        )
        page = body(
            erin.get(
                f"/case-reviews/{ref}/chronology/?start={days(-200).isoformat()}&end={days(-1).isoformat()}"
            )
        )
        assert "Health visit" not in page and "mother answered" in page
        page = body(erin.get(f"/case-reviews/{ref}/chronology/?key_only=on"))
        assert "Health visit" not in page and "mother answered" in page
        page = body(erin.get(f"/case-reviews/{ref}/chronology/?start=yesterday"))
        assert "Enter the first date as year-month-day" in page

        # The CSV export, streamed and audited; filtered like the page.
        response = erin.get(f"/case-reviews/{ref}/chronology.csv")
        assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
        assert f'filename="{ref}-chronology.csv"' in response["Content-Disposition"]
        rows = list(
            csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
        )
        assert rows[0][:3] == ["date", "time", "agency"]
        assert [row[3] for row in rows[1:]] == [
            "Health visit",
            "Call to the address: mother answered, child not seen",
        ]
        assert rows[2][1] == "14:30" and rows[2][6] == "yes"
        response = erin.get(f"/case-reviews/{ref}/chronology.csv?agency={world.met_croydon.uuid}")
        assert (
            len(
                list(
                    csv.reader(
                        io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))
                    )
                )
            )
            == 2
        )
        with inside(world.croydon):
            assert (
                AuditEvent.objects.filter(action="chronology.exported", object_ref=ref).count() == 2
            )

        # The printable page: the whole chronology, no navigation.
        page = body(erin.get(f"/case-reviews/{ref}/chronology/print/"))
        assert "Health visit" in page and "mother answered" in page
        assert "govuk-service-navigation" not in page and "moj-sub-navigation" not in page
        assert "[Outside the period under review]" in page

    def test_the_chronology_pages_by_100(self, world, appointed):
        with inside(world.croydon):
            ChronologyEntry.objects.bulk_create(
                ChronologyEntry(
                    review=appointed,
                    occurred_on=days(-300 + n),
                    agency=world.met_croydon,
                    what_happened=f"Event number {n:03d}",
                    who="officer",
                    entered_by="import",
                )
                for n in range(150)
            )
        erin = client(world, "erin")
        page = body(erin.get(f"/case-reviews/{appointed.reference}/chronology/"))
        assert "150 entries, page 1 of 2" in page
        assert "Event number 099" in page and "Event number 100" not in page
        page = body(htmx(erin, f"/case-reviews/{appointed.reference}/chronology/?page=2"))
        assert "Event number 100" in page and "Event number 099" not in page

    def test_bad_entries_are_shown_and_nothing_is_saved(self, world, appointed):
        response = client(world, "erin").post(
            f"/case-reviews/{appointed.reference}/chronology/entries/",
            {"entry-occurred_on": days(5).isoformat(), "entry-agency": str(world.met_croydon.uuid)},
        )
        summary = error_summary(body(response))
        assert "The date cannot be in the future." in summary
        assert "Say what happened." in summary
        assert "Say who, by role" in summary
        with inside(world.croydon):
            assert not ChronologyEntry.objects.exists()
