"""The referral process in the services: who may do what, the clocks, nothing half-saved."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from casework import services
from casework.criteria import screening_criteria
from casework.models import Child, Clock, Referral, Reminder, Review
from casework.selectors import access_referral, clock_board, referral_list, referral_timeline
from tenants.actors import actor_for_platform
from tenants.agencies.models import AuditEvent
from tenants.files import UploadedFile
from tests.support.actors import actor
from tests.support.isolation import assert_row_only_in
from tests.support.world import inside

pytestmark = pytest.mark.django_db

D = datetime.date


def child(**overrides):
    values = dict(
        given_name="Amara", family_name="Okafor", date_of_birth=D(2026, 6, 1), sex="female"
    )
    values.update(overrides)
    return services.ChildInput(**values)


def refer(world, who="bob", **overrides):
    values = dict(
        incident_date=D(2026, 10, 30),
        aware_date=D(2026, 11, 2),
        harm="serious_harm",
        abuse_or_neglect="suspected",
        children=[child()],
        summary="Found with injuries at home.",
        agencies_involved=["Met Police", "NHS Croydon Health Services", "St Mary's School"],
    )
    values.update(overrides)
    return services.referral_create(actor=actor(world, who), **values)


@pytest.fixture
def frozen_today(clock):
    """Today is 3 November 2026 (tests/support/clock.py); ``frozen_today(day)`` moves it."""
    clock.today(D(2026, 11, 3))
    return clock.today


class TestReferral:
    def test_an_agency_user_refers_for_their_agency(self, world, frozen_today):
        with inside(world.croydon):
            referral = refer(world)
            assert referral.reference == f"CRO-2026-{referral.reference[-4:]}"
            assert referral.referring_agency == world.met_croydon
            assert referral.status == "received"
            assert set(referral.agencies_involved.values_list("name", flat=True)) == {
                "Met Police",
                "NHS Croydon Health Services",
            }
            assert referral.other_agencies_involved == ["St Mary's School"]
            clock = referral.clocks.get()
            assert (clock.name, clock.counted_from, clock.due) == (
                "panel_notification",
                D(2026, 11, 2),
                D(2026, 11, 9),
            )
            event = AuditEvent.objects.get(action="referral.created")
        assert "Amara" not in str(event.detail) and "Okafor" not in str(event.detail)
        assert_row_only_in("croydon", "casework_referral", "reference", referral.reference)

    def test_references_are_unique_and_never_reused(self, world, frozen_today):
        with inside(world.croydon):
            first = refer(world)
            with pytest.raises(ValidationError):
                refer(world, children=[])
            second = refer(world)
        assert int(second.reference[-4:]) > int(first.reference[-4:])

    @pytest.mark.parametrize(
        ("overrides", "fields"),
        [
            ({"aware_date": D(2026, 10, 29)}, {"aware_date"}),
            (
                {"incident_date": D(2026, 12, 1), "aware_date": D(2026, 12, 2)},
                {"incident_date", "aware_date"},
            ),
            ({"children": []}, {"children"}),
            ({"children": [child(date_of_birth=D(2026, 10, 31))]}, {"children.0.date_of_birth"}),
            (
                {"children": [child(), child(given_name="", sex="x")]},
                {"children.1.given_name", "children.1.sex"},
            ),
            ({"harm": "bruised", "summary": " "}, {"harm", "summary"}),
            ({"children": [child()] * 5}, {"children"}),
        ],
    )
    def test_bad_input_names_each_field_and_saves_nothing(
        self, world, frozen_today, overrides, fields
    ):
        with inside(world.croydon):
            before = (Referral.objects.count(), Child.objects.count(), Clock.objects.count())
            with pytest.raises(ValidationError) as error:
                refer(world, **overrides)
            assert set(error.value.message_dict) == fields
            assert (
                Referral.objects.count(),
                Child.objects.count(),
                Clock.objects.count(),
            ) == before

    def test_an_attachment_must_be_what_its_name_says(self, world, frozen_today):
        with inside(world.croydon):
            with pytest.raises(ValidationError) as error:
                refer(world, attachments=[UploadedFile("report.pdf", b"MZ\x90\x00exe")])
            assert "attachments.0" in error.value.message_dict
            assert not Referral.objects.exists()
            referral = refer(world, attachments=[UploadedFile("report.pdf", b"%PDF-1.7\n%test\n")])
            attachment = referral.attachments.get()
        assert attachment.content_type == "application/pdf"
        assert "report" not in attachment.file.name and str(attachment.uuid) in attachment.file.name
        assert attachment.file.name.startswith("referrals/")

    def test_an_oversized_attachment_is_refused(self, world, frozen_today, monkeypatch):
        monkeypatch.setattr(services.referrals, "ATTACHMENT_MAX_BYTES", 10)
        with inside(world.croydon), pytest.raises(ValidationError, match="larger than"):
            refer(world, attachments=[UploadedFile("a.png", b"\x89PNG\r\n\x1a\n" * 3)])

    @pytest.mark.parametrize("who", ["carol", "dave", "erin"])
    def test_only_agencies_and_the_business_manager_refer(self, world, frozen_today, who):
        with inside(world.croydon), pytest.raises(PermissionDenied):
            refer(world, who=who)

    def test_the_business_manager_refers_for_a_named_agency(self, world, frozen_today):
        with inside(world.croydon):
            with pytest.raises(ValidationError):
                refer(world, who="alice")
            referral = refer(world, who="alice", agency=world.nhs_croydon)
        assert referral.referring_agency == world.nhs_croydon


class TestWhoSeesWhat:
    def test_agencies_see_their_own_referrals_the_review_group_sees_all(self, world, frozen_today):
        with inside(world.croydon):
            referral = refer(world)
            for who in ("alice", "carol", "dave", "bob"):
                assert access_referral(actor=actor(world, who), reference=referral.reference)
                assert referral in referral_list(actor=actor(world, who))
            for who in ("erin", "frank"):
                with pytest.raises(Exception, match="No such referral"):
                    access_referral(actor=actor(world, who), reference=referral.reference)
                assert referral not in referral_list(actor=actor(world, who))

    def test_the_triage_filters(self, world, frozen_today):
        with inside(world.croydon):
            overdue = refer(world, aware_date=D(2026, 10, 30))
            frozen_today(D(2026, 11, 9))
            fresh = refer(world, incident_date=D(2026, 11, 8), aware_date=D(2026, 11, 9))
            dave = actor(world, "dave")
            assert list(referral_list(actor=dave, overdue=True)) == [overdue]
            assert list(referral_list(actor=dave, due_soon=True)) == []
            frozen_today(D(2026, 11, 13))
            assert fresh in referral_list(actor=dave, due_soon=True)
            board = clock_board(actor=dave)
            assert [c.referral for c in board["overdue"]] == [overdue]


class TestTheProcess:
    def test_from_referral_to_a_commissioned_review(self, world, frozen_today):
        with inside(world.croydon):
            referral = refer(world)
            met, reasons = screening_criteria(referral)
            assert met and "Regulations 2018" in reasons[0]
            with pytest.raises(ValidationError, match="override"):
                services.screening_record(
                    actor=actor(world, "dave"),
                    referral=referral,
                    view_met=False,
                    rationale="Not needed",
                )
            services.screening_record(
                actor=actor(world, "dave"),
                referral=referral,
                view_met=True,
                rationale="Serious harm, neglect suspected",
            )
            with pytest.raises(PermissionDenied):
                services.panel_notification_record(
                    actor=actor(world, "dave"),
                    referral=referral,
                    submitted_on=D(2026, 11, 3),
                    panel_reference="X",
                )
            services.panel_notification_record(
                actor=actor(world, "alice"),
                referral=referral,
                submitted_on=D(2026, 11, 3),
                panel_reference="CSPRP-12345",
            )
            clocks = {c.name: c for c in referral.clocks.all()}
            assert clocks["panel_notification"].stopped_on == D(2026, 11, 3)
            assert clocks["rapid_review"].due == D(2026, 11, 24)

            services.rapid_review_start(
                actor=actor(world, "dave"),
                referral=referral,
                agencies=[world.met_croydon, world.nhs_croydon],
            )
            requests = {r.agency.name: r for r in referral.rapid_review.contribution_requests.all()}
            assert requests["Met Police"].due == D(2026, 11, 10)
            with pytest.raises(PermissionDenied):
                services.contribution_submit(
                    actor=actor(world, "bob"),
                    request=requests["NHS Croydon Health Services"],
                    facts="f",
                    involvement="i",
                    immediate_safety_actions="",
                )
            services.contribution_submit(
                actor=actor(world, "bob"),
                request=requests["Met Police"],
                facts="Called at 02:10",
                involvement="Attended",
                immediate_safety_actions="Siblings safeguarded",
            )
            with pytest.raises(ValidationError) as error:
                services.rapid_review_send(
                    actor=actor(world, "alice"), referral=referral, sent_on=D(2026, 11, 3)
                )
            assert "racism_inequality_disability" in error.value.message_dict
            services.rapid_review_update(
                actor=actor(world, "dave"),
                referral=referral,
                immediate_actions="Plan",
                potential_improvements="Sharing",
                racism_inequality_disability="Considered",
                recommended_next_step="lcspr",
            )
            services.rapid_review_send(
                actor=actor(world, "alice"), referral=referral, sent_on=D(2026, 11, 3)
            )
            assert referral.clocks.get(name="rapid_review").stopped_on == D(2026, 11, 3)
            services.panel_response_record(
                actor=actor(world, "dave"),
                referral=referral,
                kind="agrees",
                response="",
                responded_on=D(2026, 11, 3),
            )

            for who in ("alice", "dave", "bob"):
                with pytest.raises(PermissionDenied):
                    services.decision_record(
                        actor=actor(world, who),
                        referral=referral,
                        outcome="lcspr",
                        rationale="r",
                        decided_on=D(2026, 11, 3),
                    )
            assert not Review.objects.exists()
            services.decision_record(
                actor=actor(world, "carol"),
                referral=referral,
                outcome="lcspr",
                rationale="Learning about information sharing",
                decided_on=D(2026, 11, 3),
                family_informed_on=D(2026, 11, 3),
                family_informed_how="Home visit",
            )
            referral.refresh_from_db()
            review = Review.objects.get()
            assert referral.status == "decided"
            assert review.referral == referral and review.review_type == "lcspr"
            assert set(review.children.all()) == set(referral.children.all())
            assert set(review.agencies.all()) == {world.met_croydon, world.nhs_croydon}
            # The publication clock is the review's own (WT: 6 months from the decision).
            publication = review.clocks.get(name="publication")
            assert publication.referral is None and publication.due == D(2027, 5, 3)
            assert not referral.clocks.filter(name="publication").exists()
            actions = [e.action for e in referral_timeline(referral=referral)]
        assert actions[0] == "referral.created" and "review.commissioned" in actions
        assert "decision.recorded" in actions

    def test_a_decision_not_to_review_creates_no_review(self, world, frozen_today):
        with inside(world.croydon):
            referral = refer(world)
            services.screening_record(
                actor=actor(world, "dave"),
                referral=referral,
                view_met=False,
                rationale="An accident",
                override_reason="The injury was accidental, as the hospital confirmed",
            )
            services.decision_record(
                actor=actor(world, "carol"),
                referral=referral,
                outcome="no_review",
                rationale="Criteria not met",
                decided_on=D(2026, 11, 3),
            )
            assert not Review.objects.exists()
            with pytest.raises(ValidationError, match="already"):
                services.decision_record(
                    actor=actor(world, "carol"),
                    referral=referral,
                    outcome="lcspr",
                    rationale="r",
                    decided_on=D(2026, 11, 3),
                )

    def test_a_looked_after_childs_death_flags_the_other_notification(self, world, frozen_today):
        with inside(world.croydon):
            referral = refer(world, harm="died", children=[child(looked_after=True)])
            names = set(referral.clocks.values_list("name", flat=True))
            assert names == {"panel_notification", "sos_ofsted_notification"}
            services.sos_ofsted_notification_record(
                actor=actor(world, "alice"), referral=referral, notified_on=D(2026, 11, 3)
            )
            assert referral.clocks.get(name="sos_ofsted_notification").stopped_on

    def test_a_historic_referral_runs_the_2015_clocks(self, world, frozen_today):
        with inside(world.croydon):
            referral = refer(
                world,
                regime="scr2015",
                working_together_concern=True,
                incident_date=D(2016, 1, 20),
                aware_date=D(2016, 1, 25),
                children=[child(date_of_birth=D(2013, 2, 1))],
            )
            assert set(referral.clocks.values_list("name", flat=True)) == {"ofsted_notification"}
            services.screening_record(
                actor=actor(world, "dave"), referral=referral, view_met=True, rationale="Met"
            )
            services.panel_notification_record(
                actor=actor(world, "alice"),
                referral=referral,
                submitted_on=D(2016, 1, 29),
                panel_reference="OF-1",
            )
            assert referral.clocks.get(name="scr_decision").due == D(2016, 2, 29)


class TestReminders:
    def test_reminders_go_once_a_day_to_the_responsible_people(self, world, frozen_today):
        with inside(world.croydon):
            referral = refer(world)
            frozen_today(D(2026, 11, 5))  # two working days before the 9th
            system = actor_for_platform(partnership=world.croydon, label="daily clock reminders")
            assert services.clock_reminders_send(actor=system, day=D(2026, 11, 5)) == 1
            assert services.clock_reminders_send(actor=system, day=D(2026, 11, 5)) == 0
            assert Reminder.objects.count() == 1
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["alice@croydon.example"]
        assert referral.reference in message.subject and "Okafor" not in message.body
        with inside(world.croydon):
            assert services.clock_reminders_send(actor=system, day=D(2026, 11, 10)) == 1
            assert Reminder.objects.get(sent_on=D(2026, 11, 10)).kind == "overdue"
            assert services.clock_reminders_send(actor=system, day=D(2026, 11, 2)) == 0

    def test_nothing_is_sent_for_a_clock_far_from_due_or_stopped(self, world, frozen_today):
        with inside(world.croydon):
            referral = refer(world)
            system = actor_for_platform(partnership=world.croydon, label="t")
            assert services.clock_reminders_send(actor=system, day=D(2026, 11, 3)) == 0
            services.screening_record(
                actor=actor(world, "dave"), referral=referral, view_met=True, rationale="Met"
            )
            services.panel_notification_record(
                actor=actor(world, "alice"),
                referral=referral,
                submitted_on=D(2026, 11, 3),
                panel_reference="P",
            )
            # The notification clock stopped; the rapid review's (due 24 November) is not close.
            assert services.clock_reminders_send(actor=system, day=D(2026, 11, 16)) == 0
