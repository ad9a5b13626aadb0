"""Who may do what (``casework.permissions``, ``tenants.agencies.permissions``), rule by rule:
the people of the test world (tests/support/world.py) and an agency's system, and the same people
through the joint-review door. The pages ask these to decide what to offer; the services enforce
the same rules (their 403s are tested with each service)."""

from types import SimpleNamespace

import pytest

from casework import permissions
from tenants.actors import Actor, actor_for_member
from tenants.agencies import permissions as workspace_permissions
from tenants.models import Membership
from tests.support.world import inside

pytestmark = pytest.mark.django_db

EVERYONE = ("alice", "bob", "carol", "dave", "erin", "frank", "met_system")

# Each rule that needs only the actor, and who of Croydon's people it lets through (alice the
# business manager, carol the chair, dave a review group member, erin a lead reviewer, bob and
# frank agency users, met_system the Met Police's API key).
RULES = {
    permissions.may_see_referrals: {"alice", "carol", "dave", "bob", "frank", "met_system"},
    permissions.may_refer: {"alice", "bob", "frank", "met_system"},
    permissions.may_refer_for_an_agency: {"alice"},
    permissions.may_see_every_case: {"alice", "carol", "dave"},
    permissions.may_screen_referral: {"alice", "carol", "dave"},
    permissions.may_notify: {"alice"},
    permissions.may_run_rapid_review: {"alice", "carol", "dave"},
    permissions.may_send_rapid_review: {"alice", "carol"},
    permissions.may_decide: {"carol"},
    permissions.may_record_decision_notices: {"alice", "carol"},
    permissions.may_see_clock_board: {"alice", "carol", "dave"},
    permissions.may_see_reviews: {"alice", "carol", "dave", "erin"},
    permissions.is_reviewer: {"erin"},
    permissions.is_lead_side: set(EVERYONE),
    permissions.may_commission_review: {"alice", "carol"},
    permissions.may_manage_reviewers: {"alice", "carol"},
    permissions.may_override_conflict: {"carol"},
    permissions.may_sign_off_terms: {"carol"},
    permissions.may_see_actions: {"alice", "carol", "dave", "erin", "bob", "frank", "met_system"},
    permissions.may_follow_action_plans: {"alice", "carol", "dave", "bob", "frank", "met_system"},
    permissions.may_track_every_action: {"alice", "carol", "dave"},
    permissions.may_open_reviews_of_actions: {"alice", "carol", "dave", "erin"},
    permissions.may_manage_joint_reviews: {"alice", "carol"},
    workspace_permissions.may_run_workspace: {"alice"},
    workspace_permissions.may_read_audit_trail: {"alice", "carol"},
}


def _actors(world) -> dict[str, Actor]:
    with inside(world.croydon):
        people = {
            who: actor_for_member(
                membership=Membership.objects.select_related("user", "partnership").get(
                    user=getattr(world, who), partnership=world.croydon
                )
            )
            for who in EVERYONE
            if who != "met_system"
        }
    people["met_system"] = Actor(
        partnership=world.croydon,
        kind="api_key",
        label="API key (Met Police)",
        role="agency_system",
        agency_uuid=world.met_croydon.uuid,
    )
    return people


@pytest.mark.parametrize("rule", RULES, ids=[rule.__name__ for rule in RULES])
def test_each_rule_lets_through_the_people_it_names_and_no_one_else(world, rule):
    actors = _actors(world)
    allowed = {who for who, actor in actors.items() if rule(actor)}
    assert allowed == RULES[rule]


def test_through_the_door_a_partnership_does_only_its_part_of_the_lead_s_review(joint):
    """A participant's chair and business manager, in the lead's review (DESIGN §3): the lead's
    stages, reviewers, terms and documents stay the lead's, and grants are changed at home."""
    joint.joined()
    charlie = joint.through("charlie", lambda passage: passage.actor)
    assert charlie.is_joint and charlie.has_role("business_manager")
    for rule in (
        permissions.is_lead_side,
        permissions.may_commission_review,
        permissions.may_manage_reviewers,
        permissions.may_sign_off_terms,
        permissions.may_manage_joint_reviews,
    ):
        assert not rule(charlie), rule.__name__
    # What the grant gave it (every part, by default), it may do; it sees the review's cases.
    assert permissions.may_see_every_case(charlie)
    assert permissions.may_do_part(charlie, "contribute")
    assert permissions.may_do_part(charlie, "findings")


def test_only_the_referring_agency_and_the_review_group_add_files_to_a_referral(world):
    actors = _actors(world)
    referral = SimpleNamespace(referring_agency=world.met_croydon)
    allowed = {who for who, a in actors.items() if permissions.may_add_referral_file(a, referral)}
    assert allowed == {"alice", "carol", "dave", "bob", "met_system"}


def test_only_the_agency_asked_contributes_and_answers(world):
    actors = _actors(world)
    asked = SimpleNamespace(agency=world.nhs_croydon)
    for rule in (permissions.may_contribute, permissions.may_answer_information_request):
        assert {who for who, a in actors.items() if rule(a, asked)} == {"frank"}, rule.__name__
