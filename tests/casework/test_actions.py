"""A review's actions in the services: tracked to verification, the tracker and the rule agreeing
on RAG, the tracker scoped by role and agency, overdue actions chased once a day."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casework import selectors, services
from casework.models import Action, ActionStatus
from tenants.actors import actor_for_platform
from tenants.agencies.models import AuditEvent
from tenants.files import UploadedFile
from tests.support.actors import actor
from tests.support.world import inside

pytestmark = pytest.mark.django_db

D = datetime.date
PDF = b"%PDF-1.7\n%draft\n"


class TestActions:
    def _recommendation(self, world, review):
        alice = actor(world, "alice")
        finding = services.finding_add(actor=alice, review=review, text="Records not shared")
        return services.recommendation_add(
            actor=alice,
            review=review,
            text="Share records",
            to_partnership=False,
            agencies=[world.met_croydon],
            findings=[finding],
        )

    def test_an_action_is_tracked_to_verification(self, world, review, frozen):
        with inside(world.croydon):
            recommendation = self._recommendation(world, review)
            action = services.action_add(
                actor=actor(world, "alice"),
                recommendation=recommendation,
                description="Train call handlers",
                owner_agency=world.met_croydon,
                due=D(2027, 3, 1),
            )
            assert services.action_rag(action, D(2026, 11, 3)) == "green"
            with pytest.raises(PermissionDenied):
                services.action_update_add(
                    actor=actor(world, "frank"), action=action, status="in_progress", note="x"
                )
            with pytest.raises(ValidationError, match="evidence"):
                services.action_update_add(
                    actor=actor(world, "bob"),
                    action=action,
                    status="complete",
                    note="Done",
                    evidence=UploadedFile("proof.pdf", b"not a pdf"),
                )
            services.action_update_add(
                actor=actor(world, "bob"),
                action=action,
                status="complete",
                note="All trained",
                evidence=UploadedFile("register.pdf", PDF),
            )
            with pytest.raises(PermissionDenied):
                services.action_verify(actor=actor(world, "bob"), action=action)
            services.action_verify(actor=actor(world, "dave"), action=action)
            with pytest.raises(ValidationError, match="verified"):
                services.action_update_add(
                    actor=actor(world, "bob"), action=action, status="in_progress", note="Reopen"
                )
            assert Action.objects.get(pk=action.pk).status == ActionStatus.VERIFIED

    @pytest.mark.parametrize(
        ("status", "due", "created", "expected"),
        [
            ("complete", D(2026, 1, 1), D(2025, 1, 1), "green"),
            ("in_progress", D(2026, 11, 2), D(2026, 1, 1), "red"),
            ("in_progress", D(2026, 11, 13), D(2026, 1, 1), "amber"),
            ("not_started", D(2027, 1, 29), D(2026, 1, 1), "amber"),
            ("not_started", D(2027, 9, 1), D(2026, 11, 1), "green"),
            ("in_progress", D(2027, 1, 29), D(2026, 1, 1), "green"),
        ],
    )
    def test_the_tracker_and_the_rule_agree_on_rag(
        self, world, review, status, due, created, expected
    ):
        import zoneinfo

        with inside(world.croydon):
            recommendation = self._recommendation(world, review)
            action = Action.objects.create(
                recommendation=recommendation,
                review=review,
                description="x",
                due=due,
                owner_agency=world.met_croydon,
                status=status,
            )
            Action.objects.filter(pk=action.pk).update(
                created_at=datetime.datetime.combine(
                    created, datetime.time(12), tzinfo=zoneinfo.ZoneInfo("Europe/London")
                )
            )
            action.refresh_from_db()
            day = D(2026, 11, 3)
            assert services.action_rag(action, day) == expected
            tracker = selectors.action_tracker(actor=actor(world, "alice"), day=day)
            assert tracker["actions"].get(pk=action.pk).rag == expected
            assert tracker["counts_by_rag"][expected] == 1

    def test_the_tracker_scopes_by_role_and_agency(
        self, world, review, frozen, django_assert_max_num_queries
    ):
        with inside(world.croydon):
            recommendation = self._recommendation(world, review)
            for n in range(30):
                services.action_add(
                    actor=actor(world, "alice"),
                    recommendation=recommendation,
                    description=f"Action {n}",
                    owner_agency=world.met_croydon if n % 2 else world.nhs_croydon,
                    due=D(2027, 1, 1),
                )
            assert len(selectors.action_tracker(actor=actor(world, "bob"))["actions"]) == 15
            assert len(selectors.action_tracker(actor=actor(world, "alice"))["actions"]) == 30
            assert len(selectors.action_tracker(actor=actor(world, "erin"))["actions"]) == 0
            # SET search_path, the two counts and the page: the same for 30 actions as for 3.
            with django_assert_max_num_queries(4):
                tracker = selectors.action_tracker(actor=actor(world, "alice"))
                list(tracker["actions"])

    def test_overdue_actions_are_chased_once_a_day(self, world, review, frozen):
        with inside(world.croydon):
            recommendation = self._recommendation(world, review)
            services.action_add(
                actor=actor(world, "alice"),
                recommendation=recommendation,
                description="x",
                owner_agency=world.met_croydon,
                due=D(2026, 11, 20),
            )
            frozen(D(2026, 11, 23))
            system = actor_for_platform(partnership=world.croydon, label="daily chase")
            assert services.actions_chase(actor=system) == 1
            assert services.actions_chase(actor=system) == 0
            # One chase row; its email is the hand-off's (tests/casework/test_handoffs.py).
            assert AuditEvent.objects.filter(action="action.chased").count() == 1
