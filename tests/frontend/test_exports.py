"""Lists as spreadsheets on the web (issue 14, item 3): the action tracker (with its new
"the partnership" owner filter), referrals, clocks and the audit trail between two dates, as
CSV and Excel, formula-safe, each download in the audit trail, to those who may see the list."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from casework import services
from tenants.agencies.models import AuditEvent
from tests.support.actors import actor
from tests.support.clients import signed_in_client
from tests.support.world import inside

pytestmark = pytest.mark.django_db

PLANTED = '=HYPERLINK("https://evil.example","Click")'


def rows_of(response) -> list[list[str]]:
    if response["Content-Type"].startswith("text/csv"):
        text = b"".join(response.streaming_content).decode()
        return list(csv.reader(io.StringIO(text)))
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [["" if c.value is None else str(c.value) for c in row] for row in sheet.iter_rows()]


def get(world, who: str, path: str):
    return signed_in_client(getattr(world, who), world.croydon).get(path)


def exported(world) -> list[AuditEvent]:
    with inside(world.croydon):
        return list(AuditEvent.objects.filter(action__endswith=".exported").order_by("id"))


@pytest.fixture
def actions(world, review):
    """Two actions on the review: the Met's, described as a formula, and the partnership's."""
    with inside(world.croydon):
        alice = actor(world, "alice")
        recommendation = services.recommendation_add(
            actor=alice,
            review=review,
            text="Share records.",
            to_partnership=True,
            agencies=[world.met_croydon],
        )
        met = services.action_add(
            actor=alice,
            recommendation=recommendation,
            description=PLANTED,
            owner_agency=world.met_croydon,
            due=datetime.date(2026, 12, 1),
        )
        ours = services.action_add(
            actor=alice,
            recommendation=recommendation,
            description="Audit the partnership's records",
            owner_agency=None,
            due=datetime.date(2027, 1, 4),
        )
    return met, ours


class TestTheActionTracker:
    @pytest.mark.parametrize("file_format", ["csv", "xlsx"])
    def test_its_actions_download_formula_safe_and_the_download_is_recorded(
        self, world, actions, file_format
    ):
        response = get(world, "dave", f"/actions/export.{file_format}")
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="actions.{file_format}"'
        assert response["Cache-Control"] == "private, no-store"
        header, *rows = rows_of(response)
        assert header[:4] == ["Review", "Led by", "Recommendation", "Action"]
        assert [row[3] for row in rows] == ["'" + PLANTED, "Audit the partnership's records"]
        assert [row[4] for row in rows] == ["Met Police", world.croydon.name]
        (event,) = exported(world)
        assert (event.action, event.detail["format"]) == ("actions.exported", file_format)

    def test_the_partnership_owner_filter(self, world, actions):
        met, ours = actions
        page = get(world, "alice", "/actions/?agency=partnership").content.decode()
        assert str(ours.uuid) in page and str(met.uuid) not in page
        assert '<option value="partnership" selected>The partnership</option>' in page
        rows = rows_of(get(world, "alice", "/actions/export.csv?agency=partnership"))[1:]
        assert [row[3] for row in rows] == ["Audit the partnership's records"]
        assert exported(world)[0].detail["partnership_owned"] is True

    def test_an_agency_downloads_only_the_actions_it_owns(self, world, actions):
        rows = rows_of(get(world, "bob", "/actions/export.xlsx"))[1:]
        assert [row[4] for row in rows] == ["Met Police"]
        assert rows_of(get(world, "frank", "/actions/export.csv"))[1:] == []


class TestReferralsAndClocks:
    def test_referrals_download_without_a_childs_name(self, world, review):
        with inside(world.croydon):
            reference = review.referral.reference
        header, *rows = rows_of(get(world, "carol", "/referrals/export.csv?status=decided"))
        assert header[0] == "Reference" and [row[0] for row in rows] == [reference]
        assert "Okafor" not in str(rows) and "Amara" not in str(rows)
        # An agency: its own referrals only.
        assert [row[0] for row in rows_of(get(world, "bob", "/referrals/export.xlsx"))[1:]] == [
            reference
        ]
        assert rows_of(get(world, "frank", "/referrals/export.csv"))[1:] == []
        assert exported(world)[0].detail == {"status": "decided", "format": "csv"}

    def test_clocks_download_for_the_review_group_only(self, world, review):
        header, *rows = rows_of(get(world, "dave", "/clocks/export.xlsx"))
        assert header[:4] == ["Referral", "Clock", "Counted from", "Due"]
        assert rows and all(row[0].startswith("CRO-2026-") for row in rows)
        assert get(world, "bob", "/clocks/export.csv").status_code == 403
        assert get(world, "dave", "/clocks/export.pdf").status_code == 404


class TestTheAuditTrail:
    def test_between_two_dates_for_the_managers_only(self, world, review):
        with inside(world.croydon):
            made = AuditEvent.objects.get(action="referral.created").occurred_at
        day = timezone.localtime(made).date()  # the database times each row itself

        def actions(query: str) -> list[str]:
            rows = rows_of(get(world, "carol", f"/workspace/audit/export.csv?{query}"))
            return [row[4] for row in rows[1:]]

        assert "referral.created" in actions(f"date_from={day}&date_to={day}")
        assert actions(f"date_to={day - datetime.timedelta(days=1)}") == []
        assert actions(f"date_from={day + datetime.timedelta(days=1)}") == []
        assert get(world, "dave", "/workspace/audit/export.csv").status_code == 404
        page = get(world, "alice", f"/workspace/audit/?date_from={day}").content.decode()
        assert f"/workspace/audit/export.xlsx?date_from={day}" in page
        assert exported(world)[0].detail == {
            "date_from": str(day),
            "date_to": str(day),
            "format": "csv",
        }
