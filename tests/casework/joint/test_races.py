"""Concurrent changes to a joint-review grant, for real: two threads, each with its own database
connection, accept an invitation and withdraw it (or end the grant, or accept twice) at the same
moment. Whatever the order the database lets them in, the outcome is one of the orders one
after the other — never a part accepted after its grant ended, never two acceptances.

Threads see only committed rows, so this module commits its own data in two throwaway
partnerships and drops them (schemas, trails and all) afterwards; it never uses the test
transaction (``db``)."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from casework import services as review_services
from casework.joint import services as joint_services
from casework.joint.models import JointReviewGrant, JointReviewParticipant, ParticipantState
from tenants.actors import actor_for_member
from tenants.agencies.models import AuditEvent
from tenants.clock import today
from tenants.models import Membership, Partnership, Role, User
from tenants.selectors import host_cache_clear
from tenants.services import partnership_create
from tests.support.database import require_the_test_database
from tests.support.world import inside, make_member

KEYS = {"race-lead": "Race Lead Partnership", "race-part": "Race Participant Partnership"}
EMAILS = ["lead.chair@race.example", "part.manager@race.example", "part.chair@race.example"]
ROUNDS = 4

pytestmark = pytest.mark.committed


@pytest.fixture(scope="module")
def race(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        require_the_test_database()
        made = []
        try:
            for key, name in KEYS.items():
                made.append(
                    Partnership.objects.filter(key=key).first()
                    or partnership_create(key=key, name=name)
                )
                connection.set_schema_to_public()
            lead, part = made
            make_member(lead, EMAILS[0], Role.CHAIR)
            make_member(part, EMAILS[1], Role.BUSINESS_MANAGER)
            make_member(part, EMAILS[2], Role.CHAIR)
            yield lead, part
        finally:
            JointReviewGrant.objects.filter(lead__key__in=KEYS).delete()
            User.objects.filter(email__in=EMAILS).delete()
            for partnership in made:
                partnership.delete(force_drop=True)
                connection.set_schema_to_public()
            host_cache_clear()
            connection.close()


def _actor(email, partnership):
    membership = Membership.objects.select_related("user", "partnership").get(
        user__email=email, partnership=partnership
    )
    return actor_for_member(membership=membership)


def _invitation(lead, part, title):
    with inside(lead):
        chair = _actor(EMAILS[0], lead)
        review = review_services.thematic_review_commission(
            actor=chair, title=title, commissioned_on=today()
        )
        invited = joint_services.joint_review_invite(
            actor=chair, review=review, partnership_key=part.key
        )
    return review, invited


def _together(*calls):
    """Run the calls at the same moment, each in a thread with its own connection; return
    what each did: "done" or the refusal's class name."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            call()
            outcomes[index] = "done"
        except (ValidationError, PermissionDenied) as error:
            outcomes[index] = type(error).__name__
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def _accept(part_partnership, invited, email=EMAILS[1]):
    def call():
        with inside(part_partnership):
            stale = JointReviewParticipant.objects.select_related("grant__lead").get(pk=invited.pk)
            joint_services.joint_review_accept(actor=_actor(email, part_partnership), part=stale)

    return call


def _trail(partnership, action, review_uuid):
    with inside(partnership):
        return AuditEvent.objects.filter(action=action, object_ref=str(review_uuid)).count()


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_acceptance_and_the_end_of_the_grant_at_once(race, django_db_blocker, round_):
    lead, part = race
    with django_db_blocker.unblock():
        review, invited = _invitation(lead, part, f"Race {round_}: accept or end")

        def end():
            with inside(lead):
                joint_services.joint_review_end(
                    actor=_actor(EMAILS[0], lead), review=review, reason="Race"
                )

        accepted, ended = _together(_accept(part, invited), end)
        assert ended == "done"
        invited.refresh_from_db()
        # Either order one after the other: the part ends with the grant in both.
        assert invited.state == ParticipantState.ENDED
        assert JointReviewGrant.objects.get(review_uuid=review.uuid).ended_at is not None
        assert accepted in ("done", "ValidationError")
        rows = 1 if accepted == "done" else 0
        assert _trail(lead, "joint_review.accepted", review.uuid) == rows
        assert _trail(part, "joint_review.accepted", review.uuid) == rows
        assert bool(invited.answered_at) == (accepted == "done")
        connection.set_schema_to_public()


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_acceptance_and_withdrawal_at_once(race, django_db_blocker, round_):
    lead, part = race
    with django_db_blocker.unblock():
        _, invited = _invitation(lead, part, f"Race {round_}: accept or withdraw")

        def withdraw():
            with inside(lead):
                stale = JointReviewParticipant.objects.select_related("grant__lead").get(
                    pk=invited.pk
                )
                joint_services.joint_review_part_end(
                    actor=_actor(EMAILS[0], lead), part=stale, reason="Withdrawn"
                )

        accepted, withdrawn = _together(_accept(part, invited), withdraw)
        invited.refresh_from_db()
        assert invited.state == ParticipantState.ENDED
        assert withdrawn == "done"  # the lead's chair ends an accepted part as well
        assert (accepted == "done") == bool(invited.answered_at)
        connection.set_schema_to_public()


def test_two_acceptances_at_once_make_one(race, django_db_blocker):
    lead, part = race
    with django_db_blocker.unblock():
        review, invited = _invitation(lead, part, "Race: two acceptances")
        outcomes = _together(_accept(part, invited), _accept(part, invited, EMAILS[2]))
        assert sorted(outcomes) == ["ValidationError", "done"]
        invited.refresh_from_db()
        assert invited.state == ParticipantState.ACTIVE
        assert _trail(lead, "joint_review.accepted", review.uuid) == 1
        connection.set_schema_to_public()
