"""The access property of joint reviews, with hypothesis: random sequences of invite, accept,
decline, open, end (a part, or the whole grant) and access across three partnerships — Croydon
leads, Lewisham and Bexley are invited or not — checked step by step against a model. Access
through the door is granted exactly when the partnership's part is active (the grant not ended)
and the asker's role is one the grant admits; every change the model refuses, the services
refuse too, and the states in the database are the model's after every step."""

from dataclasses import dataclass, field

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from casework.joint import services as joint_services
from casework.joint.models import (
    ALL_PERMISSIONS,
    JointReviewGrant,
    JointReviewParticipant,
    ParticipantPermission,
)
from tenants.agencies.models import Agency
from tenants.models import Role
from tests.support.world import inside, make_member

pytestmark = pytest.mark.django_db

PARTICIPANTS = ("lewisham", "bexley")
# Each participant's people by what they are: business manager, chair, review group member,
# agency user.
PEOPLE = {
    "lewisham": {"bm": "charlie", "chair": "nina", "rgm": "lena", "agency": "leo"},
    "bexley": {"bm": "bea", "chair": "bo", "rgm": "bill", "agency": "babs"},
}
LIVE = ("invited", "accepted", "active")

partnerships = st.sampled_from(PARTICIPANTS)
people = st.sampled_from(("bm", "chair", "rgm", "agency"))
step = st.one_of(
    st.tuples(st.just("invite"), partnerships, st.booleans(), st.booleans()),
    st.tuples(st.just("accept"), partnerships, people),
    st.tuples(st.just("decline"), partnerships, people),
    st.tuples(st.just("open"), partnerships),
    st.tuples(st.just("end_part"), partnerships, st.sampled_from(("own", "lead", "lead_bm"))),
    st.tuples(st.just("end_grant")),
    st.tuples(st.just("access"), partnerships, people),
)


@dataclass
class Model:
    state: dict = field(default_factory=lambda: dict.fromkeys(PARTICIPANTS, "none"))
    opens_at_once: dict = field(default_factory=dict)
    agencies_let_in: dict = field(default_factory=dict)
    grant: bool = False
    ended: bool = False

    def admits(self, key: str, who: str) -> bool:
        if self.state[key] != "active" or self.ended:
            return False
        return who != "agency" or self.agencies_let_in[key]


@pytest.fixture
def world3(joint):
    bexley = joint.bexley
    extra = {
        "bo": make_member(bexley, "bo@bexley.example", Role.CHAIR),
        "bill": make_member(bexley, "bill@bexley.example", Role.REVIEW_GROUP_MEMBER),
    }
    with inside(bexley):
        police = Agency.objects.get(name="Met Police")
    extra["babs"] = make_member(bexley, "babs@bexley.example", Role.AGENCY_USER, police)
    for name, user in extra.items():
        setattr(joint, name, user)
    return joint


def _part(joint, key):
    return JointReviewParticipant.objects.select_related("grant__lead", "partnership").get(
        grant__review_uuid=joint.review.uuid, partnership__key=key
    )


def _run(joint, model: Model, op) -> None:
    """Apply one step to the services and to the model; their answers must agree."""
    kind, *args = op
    refused = (ValidationError, PermissionDenied, Http404, JointReviewParticipant.DoesNotExist)
    if kind == "access":
        key, who = args
        partnership = getattr(joint, key)
        name = PEOPLE[key][who]
        try:
            reached = joint.through(
                name, lambda passage: passage.actor.partnership.key, partnership
            )
        except Http404:
            reached = None
        assert (reached == key) == model.admits(key, who), (op, model)
        return
    if kind == "invite":
        key, at_once, agencies = args
        allowed = not model.ended and model.state[key] == "none"
        permissions = ALL_PERMISSIONS if agencies else (ParticipantPermission.CONTRIBUTE,)
        try:
            joint.invite(key, permissions=permissions, open_on_acceptance=at_once)
            done = True
        except refused:
            done = False
        assert done == allowed, (op, model)
        if done:
            model.grant = True
            model.state[key] = "invited"
            model.opens_at_once[key] = at_once
            model.agencies_let_in[key] = agencies
        return
    if kind == "end_grant":
        allowed = model.grant and not model.ended
        try:
            with inside(joint.croydon):
                joint_services.joint_review_end(
                    actor=joint.actor("alice"), review=joint.review, reason="Ended"
                )
            done = True
        except refused:
            done = False
        assert done == allowed, (op, model)
        if done:
            model.ended = True
            for key, state in model.state.items():
                if state in LIVE:
                    model.state[key] = "ended"
        return
    key = args[0]
    partnership = getattr(joint, key)
    state = model.state[key]
    try:
        part = _part(joint, key)
    except JointReviewParticipant.DoesNotExist:
        assert state == "none"
        return
    if kind in ("accept", "decline"):
        who = args[1]
        allowed = who in ("bm", "chair") and state == "invited" and not model.ended
        service = (
            joint_services.joint_review_accept
            if kind == "accept"
            else joint_services.joint_review_decline
        )
        try:
            with inside(partnership):
                service(actor=joint.actor(PEOPLE[key][who], partnership), part=part)
            done = True
        except refused:
            done = False
        assert done == allowed, (op, model)
        if done and kind == "accept":
            model.state[key] = "active" if model.opens_at_once[key] else "accepted"
        elif done:
            model.state[key] = "declined"
    elif kind == "open":
        allowed = state == "accepted" and not model.ended
        try:
            with inside(joint.croydon):
                joint_services.joint_review_open(actor=joint.actor("carol"), part=part)
            done = True
        except refused:
            done = False
        assert done == allowed, (op, model)
        if done:
            model.state[key] = "active"
    elif kind == "end_part":
        side = args[1]
        live = state in LIVE and not model.ended
        allowed = live and (side != "lead_bm" or state == "invited")
        actor_of = {
            "own": lambda: (partnership, joint.actor(PEOPLE[key]["chair"], partnership)),
            "lead": lambda: (joint.croydon, joint.actor("carol")),
            "lead_bm": lambda: (joint.croydon, joint.actor("alice")),
        }
        home, actor = actor_of[side]()
        try:
            with inside(home):
                joint_services.joint_review_part_end(actor=actor, part=part, reason="Ends")
            done = True
        except refused:
            done = False
        assert done == allowed, (op, model)
        if done:
            model.state[key] = "ended"


def _check_states(joint, model: Model) -> None:
    actual = dict.fromkeys(PARTICIPANTS, "none")
    actual.update(
        JointReviewParticipant.objects.filter(grant__review_uuid=joint.review.uuid).values_list(
            "partnership__key", "state"
        )
    )
    assert actual == model.state
    grant = JointReviewGrant.objects.filter(review_uuid=joint.review.uuid).first()
    assert (grant is not None, bool(grant and grant.ended_at)) == (model.grant, model.ended)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=14))
# The paths that matter most are always tried, whatever the random draw: accepted but not yet
# let in; let in later; an agency with and without the grant's permission; declined; ended.
@example(steps=[("invite", "lewisham", False, False), ("accept", "lewisham", "bm")])
@example(steps=[("invite", "lewisham", False, True), ("accept", "bexley", "chair")])
@example(
    steps=[
        ("invite", "lewisham", False, True),
        ("accept", "lewisham", "chair"),
        ("open", "lewisham"),
    ]
)
@example(steps=[("invite", "bexley", True, False), ("accept", "bexley", "chair")])
@example(steps=[("invite", "bexley", True, True), ("accept", "bexley", "rgm")])
@example(steps=[("invite", "lewisham", True, True), ("decline", "lewisham", "bm")])
@example(
    steps=[
        ("invite", "lewisham", True, True),
        ("accept", "lewisham", "bm"),
        ("invite", "bexley", True, True),
        ("end_grant",),
        ("invite", "bexley", True, True),
    ]
)
@example(
    steps=[
        ("invite", "lewisham", True, True),
        ("accept", "lewisham", "bm"),
        ("end_part", "lewisham", "lead_bm"),
        ("end_part", "lewisham", "own"),
        ("accept", "lewisham", "chair"),
    ]
)
def test_access_is_granted_exactly_when_the_part_is_active_and_the_role_admitted(world3, steps):
    with transaction.atomic():
        model = Model()
        for op in steps:
            _run(world3, model, op)
            _check_states(world3, model)
        # Whatever happened, finally ask as everyone.
        for key in PARTICIPANTS:
            for who in ("bm", "chair", "rgm", "agency"):
                _run(world3, model, ("access", key, who))
        transaction.set_rollback(True)
