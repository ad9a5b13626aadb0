"""A review's information in the services: requests the agency answers and that are chased once a
day, and the chronology, whose corrections keep the original and whose dates outside the
review's period are flagged."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from casework import selectors, services
from casework.models import ChronologyEntry
from casework.services import EntryInput
from tenants.actors import actor_for_platform
from tests.support.actors import actor
from tests.support.world import inside

pytestmark = pytest.mark.django_db

D = datetime.date


class TestInformationAndChronology:
    def test_requests_are_answered_by_the_agency_and_chased_once_a_day(self, world, review, frozen):
        alice = actor(world, "alice")
        with inside(world.croydon):
            request = services.information_request_create(
                actor=alice,
                review=review,
                agency=world.met_croydon,
                asks=["chronology", "single_agency_report"],
            )
            assert request.due == D(2026, 12, 1)  # 20 working days
            frozen(D(2026, 12, 2))
            system = actor_for_platform(partnership=world.croydon, label="daily chase")
            assert services.information_requests_chase(actor=system) == 1
            assert services.information_requests_chase(actor=system) == 0
            assert mail.outbox[0].to == ["bob@met.example"]
            with pytest.raises(PermissionDenied):
                services.information_response_submit(
                    actor=actor(world, "frank"), request=request, text="x"
                )
            services.information_response_submit(
                actor=actor(world, "bob"), request=request, text="Our chronology is attached."
            )
            request.refresh_from_db()
            assert request.status == "answered"
            frozen(D(2026, 12, 3))
            assert services.information_requests_chase(actor=system) == 0

    def test_corrections_keep_the_original_and_dates_outside_the_period_are_flagged(
        self, world, review
    ):
        alice = actor(world, "alice")
        with inside(world.croydon):
            services.terms_write(
                actor=alice,
                review=review,
                scope="s",
                lines_of_enquiry="l",
                period_start=D(2026, 1, 1),
                period_end=D(2026, 10, 30),
            )
            entry = services.chronology_entry_add(
                actor=alice,
                review=review,
                data=EntryInput(
                    D(2026, 3, 4),
                    world.nhs_croydon,
                    "Health visit: no concerns",
                    "health visitor",
                    key_episode=True,
                ),
            )
            services.chronology_entry_add(
                actor=alice,
                review=review,
                data=EntryInput(D(2025, 12, 20), world.met_croydon, "Call to the address", "PC"),
            )
            fixed = services.chronology_entry_correct(
                actor=alice,
                entry=entry,
                data=EntryInput(
                    D(2026, 3, 5),
                    world.nhs_croydon,
                    "Health visit: bruise noted",
                    "health visitor",
                    key_episode=True,
                ),
            )
            with pytest.raises(ValidationError, match="already been corrected"):
                services.chronology_entry_correct(
                    actor=alice,
                    entry=entry,
                    data=EntryInput(D(2026, 3, 5), world.nhs_croydon, "x", "y"),
                )
            page = selectors.chronology_page(actor=alice, review=review)
            assert [e.what_happened for e in page["entries"]] == [
                "Call to the address",
                "Health visit: bruise noted",
            ]
            assert [e.outside_period for e in page["entries"]] == [True, False]
            assert [e.what_happened for e in selectors.chronology_history(entry=fixed)] == [
                "Health visit: bruise noted",
                "Health visit: no concerns",
            ]
            assert ChronologyEntry.objects.get(pk=entry.pk).what_happened == (
                "Health visit: no concerns"
            )
            key = selectors.chronology_entries(review=review, key_only=True)
            assert list(key) == [fixed]
            by_agency = selectors.chronology_entries(
                review=review, agency_uuid=world.met_croydon.uuid
            )
            assert by_agency.count() == 1
            lines = list(selectors.chronology_csv(actor=alice, review=review))
        assert lines[0].startswith("date,time,agency")
        assert "Health visit: bruise noted" in lines[2]
