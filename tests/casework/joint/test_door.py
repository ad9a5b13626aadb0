"""The joint-review door (DESIGN §3): it switches to the lead's schema and back, also when the
call raises; each crossing is one row in each trail, a failed call's too; a shut door is a 404
and an audit row of the attempt, a malformed identifier too; a joint actor cannot cross again or
from elsewhere; and through the door only the grant's review exists."""

import contextlib
import datetime

import pytest
from django.db import connection
from django.http import Http404

from casework import selectors, services
from casework.joint import door
from casework.joint import services as joint_services
from casework.joint.models import ParticipantPermission
from tenants.agencies.models import AuditEvent
from tenants.clock import today
from tests.support.joint import entry, trail
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def test_the_door_switches_to_the_lead_and_back(joint):
    joint.joined()
    seen = joint.through("lena", lambda passage: (connection.schema_name, passage.actor))
    schema, actor = seen
    assert schema == "croydon"
    assert actor.is_joint and actor.partnership == joint.lewisham
    assert actor.working_in == joint.croydon
    assert actor.review_uuids == frozenset({joint.review.uuid})
    with inside(joint.lewisham):
        door.through(
            actor=joint.actor("lena"),
            review_uuid=joint.review.uuid,
            purpose="test",
            work=lambda passage: None,
        )
        assert connection.schema_name == "lewisham"


def test_the_door_switches_back_when_the_call_raises(joint):
    joint.joined()

    def broken(passage):
        assert connection.schema_name == "croydon"
        raise RuntimeError("the call failed")

    with inside(joint.lewisham):
        with pytest.raises(RuntimeError, match="the call failed"):
            door.through(
                actor=joint.actor("lena"), review_uuid=joint.review.uuid, purpose="t", work=broken
            )
        assert connection.schema_name == "lewisham"
        with pytest.raises(Http404):
            door.through(
                actor=joint.actor("lena"),
                review_uuid=joint.review.uuid,
                purpose="t",
                work=lambda passage: selectors.access_review(
                    actor=passage.actor, reference=joint.other_review.reference
                ),
            )
        assert connection.schema_name == "lewisham"


def test_each_crossing_is_recorded_in_both_trails(joint):
    joint.joined()
    joint.through("lena", lambda passage: None)
    (home,) = trail(joint.lewisham, "joint_review.entered")
    (lead,) = trail(joint.croydon, "joint_review.entered")
    assert home.actor_label == lead.actor_label == "lena@lewisham.example"
    assert home.partnership_key == lead.partnership_key == "lewisham"
    assert lead.object_ref == joint.review.reference
    assert home.detail["lead"] == "croydon"


def _trail_since(partnership, mark: int) -> list[str]:
    with inside(partnership):
        return list(AuditEvent.objects.filter(id__gt=mark).values_list("action", flat=True))


def _trail_end(partnership) -> int:
    with inside(partnership):
        last = AuditEvent.objects.order_by("-id").first()
        return last.id if last else 0


def test_a_read_through_the_door_is_one_row_in_each_trail(joint):
    """At home, that the person crossed; at the lead's, what they read there, by whom, from
    which partnership: not a second row of the crossing."""
    joint.joined()
    joint.through("lena", lambda passage: None)  # the agencies' mirrors, made once
    marks = {p.key: _trail_end(p) for p in (joint.croydon, joint.lewisham)}
    joint.through(
        "lena",
        lambda passage: selectors.review_for_page(
            actor=passage.actor, reference=passage.review_reference
        ),
    )
    assert _trail_since(joint.lewisham, marks["lewisham"]) == ["joint_review.entered"]
    assert _trail_since(joint.croydon, marks["croydon"]) == ["review.viewed"]
    with inside(joint.croydon):
        (row,) = AuditEvent.objects.filter(id__gt=marks["croydon"])
    assert (row.partnership_key, row.actor_label) == ("lewisham", "lena@lewisham.example")


def test_a_call_that_fails_inside_still_leaves_the_crossing_in_both_trails(joint):
    joint.joined()
    joint.through("lena", lambda passage: None)
    marks = {p.key: _trail_end(p) for p in (joint.croydon, joint.lewisham)}

    def missing(passage):
        raise Http404("No such entry.")

    with pytest.raises(Http404):
        joint.through("lena", missing)
    assert _trail_since(joint.lewisham, marks["lewisham"]) == ["joint_review.entered"]
    assert _trail_since(joint.croydon, marks["croydon"]) == ["joint_review.entered"]


@pytest.mark.parametrize(
    ("setup", "who", "partnership", "reason"),
    [
        ("none", "charlie", "lewisham", "no_such_joint_review"),
        ("joined", "bea", "bexley", "not_a_participant"),
        ("invited", "charlie", "lewisham", "part_invited"),
        ("declined", "charlie", "lewisham", "part_declined"),
        ("ended", "nina", "lewisham", "part_ended"),
        ("no_agencies", "leo", "lewisham", "role_not_admitted"),
    ],
)
def test_a_shut_door_is_a_404_and_an_audit_row_of_the_attempt(
    joint, setup, who, partnership, reason
):
    if setup == "joined":
        joint.joined()
    elif setup == "invited":
        joint.invite()
    elif setup == "declined":
        part = joint.invite()
        with inside(joint.lewisham):
            joint_services.joint_review_decline(actor=joint.actor("charlie"), part=part)
    elif setup == "ended":
        joint.joined()
        with inside(joint.croydon):
            joint_services.joint_review_end(
                actor=joint.actor("alice"), review=joint.review, reason="Done"
            )
    elif setup == "no_agencies":
        joint.joined(permissions=[ParticipantPermission.CONTRIBUTE])
    asker = getattr(joint, partnership)
    reached = []
    with pytest.raises(Http404):
        joint.through(who, reached.append, partnership=asker)
    assert not reached
    (home,) = trail(asker, "joint_review.refused")
    assert home.detail["reason"] == reason
    lead_rows = trail(joint.croydon, "joint_review.refused")
    if setup == "none":
        assert not lead_rows  # no joint review: nothing names one to tell
    else:
        (lead,) = lead_rows
        assert lead.partnership_key == asker.key
        assert lead.detail["reason"] == reason
    assert not trail(joint.croydon, "joint_review.entered")


def test_a_malformed_identifier_is_a_404_too(joint):
    with inside(joint.lewisham), pytest.raises(Http404):
        door.through(
            actor=joint.actor("charlie"), review_uuid="not-a-uuid", purpose="t", work=print
        )
    assert trail(joint.lewisham, "joint_review.refused")


def test_a_joint_actor_cannot_cross_again_or_from_elsewhere(joint):
    joint.joined()
    with pytest.raises(RuntimeError):
        joint.through(
            "lena",
            lambda passage: door.through(
                actor=passage.actor, review_uuid=joint.review.uuid, purpose="t", work=print
            ),
        )
    with inside(joint.croydon), pytest.raises(RuntimeError):  # Lewisham's actor on Croydon's
        door.through(
            actor=joint.actor("lena", joint.lewisham),
            review_uuid=joint.review.uuid,
            purpose="t",
            work=print,
        )


def test_through_the_door_only_the_grants_review_exists(joint):
    """Guessing other identifiers in the lead's schema finds nothing."""
    joint.joined()
    with inside(joint.croydon):
        alice = joint.actor("alice")
        secret_entry = services.chronology_entry_add(
            actor=alice, review=joint.other_review, data=entry(joint.world.met_croydon)
        )
        recommendation = services.recommendation_add(
            actor=alice, review=joint.other_review, text="Secret", to_partnership=True
        )
        secret_action = services.action_add(
            actor=alice,
            recommendation=recommendation,
            description="Secret action",
            owner_agency=None,
            due=today() + datetime.timedelta(days=30),
        )

    def guesses(passage):
        actor = passage.actor
        found = []
        for attempt in (
            lambda: selectors.access_review(actor=actor, reference=joint.other_review.reference),
            lambda: selectors.review_for_page(actor=actor, reference=joint.other_review.reference),
            lambda: selectors.access_action(actor=actor, action_uuid=secret_action.uuid),
            lambda: selectors.access_chronology_entry(
                review=selectors.access_review(actor=actor, reference=joint.review.reference),
                entry_uuid=secret_entry.uuid,
            ),
        ):
            with contextlib.suppress(Http404):
                found.append(attempt())
        found += list(selectors.review_list(actor=actor))
        found += list(selectors.action_tracker(actor=actor, open_only=False)["actions"])
        return found

    found = joint.through("charlie", guesses)
    assert [review.reference for review in found] == [joint.review.reference]
