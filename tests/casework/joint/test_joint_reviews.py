"""Joint reviews in the services and through the door: the grant's life (invite, accept or
decline, open, end), the door's checks and audit rows in both trails, switching back also when
the call raises, the participant's reach in the lead's schema (its own agencies' mirrors, this
review only), what stays the lead's, each participant's actions and sign-off, and the
publication hook. Bexley, taking no part, gets a 404 and an audit row, never the data."""

import contextlib
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404

from casework import selectors, services
from casework.joint import door
from casework.joint import selectors as joint_selectors
from casework.joint import services as joint_services
from casework.joint.models import (
    JointReviewGrant,
    JointReviewParticipant,
    ParticipantPermission,
    ParticipantState,
)
from casework.models import Action, ChronologyEntry, PartnershipSignOff, Review
from casework.services import EntryInput
from publishing.services import publication_create
from tenants.agencies.models import Agency, AuditEvent
from tenants.agencies.selectors import agency_list
from tenants.clock import today
from tenants.files import UploadedFile
from tests.support.isolation import assert_row_only_in, schemas_holding
from tests.support.joint import JOINT_TITLE
from tests.support.world import inside

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%draft\n"


def trail(partnership, action: str) -> list[AuditEvent]:
    with inside(partnership):
        return list(AuditEvent.objects.filter(action=action).order_by("id"))


def entry(agency, what="Health visitor saw the baby", days_ago=30) -> EntryInput:
    return EntryInput(
        occurred_on=today() - datetime.timedelta(days=days_ago),
        agency=agency,
        what_happened=what,
        who="health visitor",
    )


def mirror_of(joint, agency) -> Agency:
    with inside(joint.croydon):
        return Agency.objects.get(home_agency_uuid=agency.uuid)


# --- The grant's life --------------------------------------------------------------------------


def test_the_lead_invites_a_partnership_by_its_key(joint):
    part = joint.invite(" Lewisham ")
    grant = part.grant
    assert (grant.review_uuid, grant.review_reference, grant.review_title) == (
        joint.review.uuid,
        joint.review.reference,
        JOINT_TITLE,
    )
    assert grant.lead == joint.croydon
    assert part.partnership == joint.lewisham
    assert part.state == ParticipantState.INVITED
    assert part.permissions == list(ParticipantPermission.values)
    assert part.invited_by == "alice@croydon.example"
    # The grant is in the public schema only; the invitation is in both trails.
    assert schemas_holding("joint_jointreviewgrant", "review_uuid", str(grant.review_uuid)) == {
        "public"
    }
    for partnership in (joint.croydon, joint.lewisham):
        (row,) = trail(partnership, "joint_review.invited")
        assert row.partnership_key == "croydon"
        assert row.detail["partnership"] == "lewisham"
        assert row.object_ref == str(joint.review.uuid)


@pytest.mark.parametrize("who", ["dave", "erin", "bob"])
def test_only_the_leads_business_manager_or_chair_invites(joint, who):
    with inside(joint.croydon), pytest.raises(PermissionDenied):
        joint_services.joint_review_invite(
            actor=joint.actor(who), review=joint.review, partnership_key="lewisham"
        )
    assert not JointReviewGrant.objects.exists()


@pytest.mark.parametrize(
    ("key", "message"),
    [("", "Enter the key"), ("nowhere", "no partnership"), ("croydon", "Your own partnership")],
)
def test_an_invitation_needs_another_existing_partnership(joint, key, message):
    with pytest.raises(ValidationError) as error:
        joint.invite(key)
    assert message in str(error.value)


def test_a_partnership_is_invited_to_a_review_once(joint):
    joint.invite()
    with pytest.raises(ValidationError, match="already been invited"):
        joint.invite()
    assert JointReviewParticipant.objects.count() == 1


def test_accepting_opens_the_review_and_is_recorded_in_both_trails(joint):
    part = joint.accept(joint.invite(), who="nina")
    part.refresh_from_db()
    assert part.state == ParticipantState.ACTIVE
    assert part.answered_by == part.activated_by == "nina@lewisham.example"
    for partnership in (joint.croydon, joint.lewisham):
        (row,) = trail(partnership, "joint_review.accepted")
        assert row.partnership_key == "lewisham"


def test_an_invitation_that_waits_for_the_lead_opens_only_when_the_lead_opens_it(joint):
    part = joint.accept(joint.invite(open_on_acceptance=False))
    assert part.state == ParticipantState.ACCEPTED
    with pytest.raises(Http404):
        joint.through("charlie", lambda passage: None)
    with inside(joint.croydon):
        joint_services.joint_review_open(actor=joint.actor("carol"), part=part)
    part.refresh_from_db()
    assert (part.state, part.activated_by) == (ParticipantState.ACTIVE, "carol@croydon.example")
    assert joint.through("charlie", lambda passage: passage.actor.partnership.key) == "lewisham"
    assert trail(joint.lewisham, "joint_review.opened")


@pytest.mark.parametrize("who", ["lena", "leo"])
def test_only_the_invited_partnerships_business_manager_or_chair_answers(joint, who):
    part = joint.invite()
    with inside(joint.lewisham), pytest.raises(PermissionDenied):
        joint_services.joint_review_accept(actor=joint.actor(who), part=part)
    part.refresh_from_db()
    assert part.state == ParticipantState.INVITED


def test_an_invitation_meant_for_another_partnership_cannot_be_answered(joint):
    part = joint.invite()
    with inside(joint.bexley):
        bea = joint.actor("bea")
        with pytest.raises(Http404):
            joint_selectors.access_invitation(actor=bea, participant_uuid=part.uuid)
        with pytest.raises(PermissionDenied):
            joint_services.joint_review_accept(actor=bea, part=part)
    part.refresh_from_db()
    assert part.state == ParticipantState.INVITED


def test_a_declined_invitation_stays_declined_and_the_door_shut(joint):
    part = joint.invite()
    with inside(joint.lewisham):
        joint_services.joint_review_decline(
            actor=joint.actor("nina"), part=part, reason="Not our case"
        )
        with pytest.raises(ValidationError, match="already answered"):
            joint_services.joint_review_accept(actor=joint.actor("charlie"), part=part)
    part.refresh_from_db()
    assert (part.state, part.end_reason) == (ParticipantState.DECLINED, "Not our case")
    with pytest.raises(Http404):
        joint.through("charlie", lambda passage: None)
    assert trail(joint.croydon, "joint_review.declined")


def test_either_sides_chair_ends_a_part_and_a_business_manager_cannot(joint):
    part = joint.joined()
    with inside(joint.lewisham), pytest.raises(PermissionDenied):
        joint_services.joint_review_part_end(actor=joint.actor("charlie"), part=part, reason="Done")
    with inside(joint.lewisham), pytest.raises(ValidationError, match="Say why"):
        joint_services.joint_review_part_end(actor=joint.actor("nina"), part=part, reason=" ")
    with inside(joint.lewisham):
        joint_services.joint_review_part_end(
            actor=joint.actor("nina"), part=part, reason="Our part is done"
        )
    part.refresh_from_db()
    assert (part.state, part.ended_by_partnership_key) == (ParticipantState.ENDED, "lewisham")
    assert trail(joint.croydon, "joint_review.part_ended")
    with pytest.raises(Http404):
        joint.through("charlie", lambda passage: None)


def test_the_leads_chair_ends_a_participants_part(joint):
    part = joint.joined()
    with inside(joint.croydon):
        joint_services.joint_review_part_end(
            actor=joint.actor("carol"), part=part, reason="Information-sharing breach"
        )
    part.refresh_from_db()
    assert (part.state, part.ended_by_partnership_key) == (ParticipantState.ENDED, "croydon")
    (row,) = trail(joint.lewisham, "joint_review.part_ended")
    assert row.partnership_key == "croydon"


def test_the_lead_withdraws_an_unanswered_invitation(joint):
    part = joint.invite()
    with inside(joint.croydon):
        joint_services.joint_review_part_end(actor=joint.actor("alice"), part=part)
    part.refresh_from_db()
    assert part.state == ParticipantState.ENDED
    with inside(joint.lewisham), pytest.raises(ValidationError, match="withdrawn"):
        joint_services.joint_review_accept(actor=joint.actor("charlie"), part=part)


def test_ending_the_grant_ends_every_live_part_at_once(joint):
    lewisham = joint.joined()
    bexley = joint.invite("bexley")
    with inside(joint.croydon):
        with pytest.raises(PermissionDenied):
            joint_services.joint_review_end(
                actor=joint.actor("dave"), review=joint.review, reason="x"
            )
        joint_services.joint_review_end(
            actor=joint.actor("alice"), review=joint.review, reason="Published"
        )
    for part in (lewisham, bexley):
        part.refresh_from_db()
        assert part.state == ParticipantState.ENDED
    assert JointReviewGrant.objects.get().ended_by == "alice@croydon.example"
    assert trail(joint.lewisham, "joint_review.ended")
    assert trail(joint.bexley, "joint_review.ended")
    with pytest.raises(Http404):
        joint.through("charlie", lambda passage: None)
    with pytest.raises(ValidationError, match="has ended"):
        joint.invite("bexley")


def test_an_acceptance_read_before_a_withdrawal_is_refused_after_it(joint):
    """The race, step by step: Lewisham's manager reads the invitation, Croydon withdraws it,
    then the acceptance arrives: it is refused (the state is checked in the UPDATE, not on what
    was read), and the part stays ended."""
    part = joint.invite()
    with inside(joint.lewisham):
        read_by_lewisham = joint_selectors.access_invitation(
            actor=joint.actor("charlie"), participant_uuid=part.uuid
        )
    with inside(joint.croydon):
        joint_services.joint_review_part_end(actor=joint.actor("alice"), part=part)
    assert read_by_lewisham.state == ParticipantState.INVITED  # what Lewisham's page showed
    with inside(joint.lewisham), pytest.raises(ValidationError, match="withdrawn"):
        joint_services.joint_review_accept(actor=joint.actor("charlie"), part=read_by_lewisham)
    part.refresh_from_db()
    assert part.state == ParticipantState.ENDED
    assert not trail(joint.croydon, "joint_review.accepted")


def test_an_acceptance_read_before_the_grant_ended_is_refused(joint):
    part = joint.invite()
    with inside(joint.croydon):
        joint_services.joint_review_end(
            actor=joint.actor("carol"), review=joint.review, reason="Merged into another"
        )
    stale = JointReviewParticipant.objects.get(pk=part.pk)
    stale.state = ParticipantState.INVITED  # as read before the end
    with inside(joint.lewisham), pytest.raises(ValidationError):
        joint_services.joint_review_accept(actor=joint.actor("charlie"), part=stale)
    assert JointReviewParticipant.objects.get(pk=part.pk).state == ParticipantState.ENDED


# --- The door ----------------------------------------------------------------------------------


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


# --- Working in the lead's schema --------------------------------------------------------------


def test_a_participants_agencies_are_mirrored_in_the_lead_and_named_as_theirs(joint):
    joint.joined()
    names = joint.through(
        "lena", lambda passage: [a.name for a in agency_list(actor=passage.actor)]
    )
    assert names == [
        "Lewisham Children's Social Care (Lewisham)",
        "Met Police (Lewisham)",
    ]
    mirror = mirror_of(joint, joint.world.met_lewisham)
    assert (mirror.home_partnership_key, mirror.is_mirror) == ("lewisham", True)
    assert trail(joint.croydon, "agency.mirrored")
    with inside(joint.croydon):
        alice = joint.actor("alice")
        # Not among Croydon's own agencies, but offered in the joint review's forms.
        assert "Met Police (Lewisham)" not in [a.name for a in agency_list(actor=alice)]
        offered = selectors.review_agency_choices(actor=alice, review=joint.review)
        assert "Met Police (Lewisham)" in [a.name for a in offered]
        single = selectors.review_agency_choices(actor=alice, review=joint.other_review)
        assert "Met Police (Lewisham)" not in [a.name for a in single]
    # A second crossing adds nothing; a renamed agency follows.
    joint.through("lena", lambda passage: None)
    assert len(trail(joint.croydon, "agency.mirrored")) == 2
    with inside(joint.lewisham):
        Agency.objects.filter(pk=joint.social_care_lewisham.pk).update(name="Lewisham CSC")
    joint.through("lena", lambda passage: None)
    assert mirror_of(joint, joint.social_care_lewisham).name == "Lewisham CSC (Lewisham)"


def test_a_participant_adds_its_own_agencies_entries_and_sees_everyones(joint):
    joint.joined()
    with inside(joint.croydon):
        services.chronology_entry_add(
            actor=joint.actor("alice"), review=joint.review, data=entry(joint.world.met_croydon)
        )

    def add(passage):
        actor = passage.actor
        review = selectors.access_review(actor=actor, reference=passage.review_reference)
        mine = selectors.access_review_agency(
            actor=actor, review=review, agency_uuid=mirror_of(joint, joint.world.met_lewisham).uuid
        )
        services.chronology_entry_add(actor=actor, review=review, data=entry(mine, "Police visit"))
        with pytest.raises(ValidationError, match="your partnership's agencies"):
            services.chronology_entry_add(
                actor=actor, review=review, data=entry(joint.world.met_croydon)
            )
        return [e.agency.name for e in selectors.chronology_entries(review=review)]

    assert sorted(joint.through("lena", add)) == ["Met Police", "Met Police (Lewisham)"]
    with inside(joint.croydon):
        added = ChronologyEntry.objects.get(what_happened="Police visit")
        assert added.entered_by == "lena@lewisham.example"
    assert_row_only_in("croydon", "casework_chronologyentry", "uuid", str(added.uuid))
    (row,) = trail(joint.croydon, "chronology.added")[1:]
    assert (row.partnership_key, row.actor_label) == ("lewisham", "lena@lewisham.example")


def test_a_reviewer_must_be_independent_of_the_participants_agencies_too(joint):
    joint.joined()

    def add(passage):
        actor = passage.actor
        review = selectors.access_review(actor=actor, reference=passage.review_reference)
        social_care = mirror_of(joint, joint.social_care_lewisham)
        services.chronology_entry_add(actor=actor, review=review, data=entry(social_care, "Visit"))

    joint.through("lena", add)
    with inside(joint.croydon):
        profile = services.reviewer_profile_save(
            actor=joint.actor("alice"),
            user_uuid=joint.world.erin.uuid,
            name="Erin",
            organisation="Independent",
            affiliations=[
                services.AffiliationInput(
                    organisation="Lewisham Children's Social Care",
                    started_on=datetime.date(2023, 1, 1),
                    ended_on=None,
                    role="Social worker",
                ),
                services.AffiliationInput(
                    organisation="Lewisham Youth Offending Service",
                    started_on=datetime.date(2022, 1, 1),
                    ended_on=None,
                    role="Analyst",
                ),
            ],
        )
        conflicts = services.independence_conflicts(review=joint.review, profile=profile)
        # Lewisham's social care, named by its home name, is in the chronology; the youth
        # offending service is not on the case.
        assert conflicts == [
            "Erin worked for Lewisham Children's Social Care (Lewisham) (2023-01-01 to now), an "
            "agency involved in the case."
        ]
        assert services.independence_conflicts(review=joint.other_review, profile=profile) == []


def test_a_participant_without_the_contribute_permission_reads_only(joint):
    joint.joined(permissions=[ParticipantPermission.FINDINGS])

    def add(passage):
        review = selectors.access_review(actor=passage.actor, reference=passage.review_reference)
        mine = agency_list(actor=passage.actor).first()
        assert mine is None  # no mirrors are made for a partnership that cannot name them
        services.chronology_entry_add(
            actor=passage.actor, review=review, data=entry(joint.world.met_croydon)
        )

    with pytest.raises(PermissionDenied, match="has not given your partnership"):
        joint.through("lena", add)


def test_what_stays_with_the_lead(joint):
    joint.joined()
    with inside(joint.croydon):
        profile = services.reviewer_profile_save(
            actor=joint.actor("alice"),
            user_uuid=joint.world.erin.uuid,
            name="Erin",
            organisation="Independent",
            affiliations=[],
        )

    def attempts(passage):
        actor = passage.actor
        review = selectors.access_review(actor=actor, reference=passage.review_reference)
        refused = 0
        for attempt in (
            lambda: services.review_stage_move(actor=actor, review=review, to_stage="tor_agreed"),
            lambda: services.terms_write(
                actor=actor,
                review=review,
                scope="s",
                lines_of_enquiry="l",
                period_start=today(),
                period_end=today(),
            ),
            lambda: services.reviewer_appoint(actor=actor, review=review, profile=profile),
            lambda: services.review_document_upload(
                actor=actor,
                review=review,
                title="Draft",
                kind="draft_report",
                upload=UploadedFile("draft.pdf", PDF),
            ),
            lambda: services.thematic_review_commission(
                actor=actor, title="t", commissioned_on=today()
            ),
        ):
            with pytest.raises(PermissionDenied):
                attempt()
            refused += 1
        # The participant sees the review and who leads it; the lead keeps its reviewers.
        with pytest.raises(PermissionDenied):
            selectors.reviewer_profile_for(actor=actor, user_uuid=joint.world.erin.uuid)
        return refused

    assert joint.through("nina", attempts) == 5


def test_each_participant_owns_and_tracks_its_actions_and_the_lead_sees_all(joint):
    joint.joined()
    with inside(joint.croydon):
        alice = joint.actor("alice")
        recommendation = services.recommendation_add(
            actor=alice, review=joint.review, text="Share referrals", to_partnership=True
        )
        croydon_action = services.action_add(
            actor=alice,
            recommendation=recommendation,
            description="Croydon's police audit",
            owner_agency=joint.world.met_croydon,
            due=today() + datetime.timedelta(days=60),
        )

    def agree(passage):
        actor = passage.actor
        police = mirror_of(joint, joint.world.met_lewisham)
        services.action_add(
            actor=actor,
            recommendation=recommendation,
            description="Lewisham's police audit",
            owner_agency=police,
            due=today() + datetime.timedelta(days=60),
        )
        ours = services.action_add(
            actor=actor,
            recommendation=recommendation,
            description="Lewisham's own training",
            owner_agency=None,
            due=today() + datetime.timedelta(days=60),
        )
        assert ours.owner_partnership_key == "lewisham"
        with pytest.raises(PermissionDenied):
            services.action_update_add(
                actor=actor, action=croydon_action, status="in_progress", note="Not ours"
            )
        services.action_update_add(actor=actor, action=ours, status="complete", note="Done")
        services.action_verify(actor=actor, action=ours)
        return sorted(
            a.description for a in selectors.action_tracker(actor=actor, open_only=False)["actions"]
        )

    assert joint.through("nina", agree) == ["Lewisham's own training", "Lewisham's police audit"]
    with inside(joint.croydon):
        board = selectors.action_tracker(actor=joint.actor("alice"), open_only=False)
        assert sorted(a.description for a in board["actions"]) == [
            "Croydon's police audit",
            "Lewisham's own training",
            "Lewisham's police audit",
        ]
        # Croydon's Met Police does not see Lewisham's Met Police's action.
        bobs = selectors.action_tracker(actor=joint.actor("bob"), open_only=False)["actions"]
        assert [a.description for a in bobs] == ["Croydon's police audit"]


def test_a_participants_agency_sees_only_its_own_requests_and_actions(joint):
    joint.joined()
    with inside(joint.croydon):
        alice = joint.actor("alice")
        services.information_request_create(
            actor=alice, review=joint.review, agency=joint.world.met_croydon, asks=["chronology"]
        )
    police = None

    def ask(passage):
        nonlocal police
        review = selectors.access_review(actor=passage.actor, reference=passage.review_reference)
        police = mirror_of(joint, joint.world.met_lewisham)
        services.information_request_create(
            actor=passage.actor, review=review, agency=police, asks=["chronology"]
        )

    joint.through("lena", ask)

    def answer(passage):
        actor = passage.actor
        assert actor.agency_uuid == police.uuid
        assert actor.home_agency_uuid == joint.world.met_lewisham.uuid
        (request,) = selectors.information_requests_for_agency(actor=actor)
        services.information_response_submit(actor=actor, request=request, text="Our records")
        return request.agency.name

    assert joint.through("leo", answer) == "Met Police (Lewisham)"


def test_sign_off_needs_every_participants_chair(joint):
    joint.joined()
    with inside(joint.croydon):
        alice, carol = joint.actor("alice"), joint.actor("carol")
        services.recommendation_add(actor=alice, review=joint.review, text="R", to_partnership=True)
        services.review_document_upload(
            actor=alice,
            review=joint.review,
            title="Draft report",
            kind="draft_report",
            upload=UploadedFile("draft.pdf", PDF),
        )
        services.review_chair_sign_off(actor=carol, review=joint.review)
        assert services.PREREQUISITES["chair_signed_off"](joint.review) == (
            "Still to sign the report off: the chair of Lewisham Safeguarding Children Partnership."
        )

    def sign(passage):
        review = selectors.access_review(actor=passage.actor, reference=passage.review_reference)
        services.review_chair_sign_off(
            actor=passage.actor, review=review, statement="Lewisham accepts the findings."
        )
        with pytest.raises(ValidationError, match="already signed"):
            services.review_chair_sign_off(actor=passage.actor, review=review)

    with pytest.raises(PermissionDenied):
        joint.through("charlie", sign)  # the business manager is not the chair
    joint.through("nina", sign)
    with inside(joint.croydon):
        assert services.PREREQUISITES["chair_signed_off"](joint.review) is None
        (signed,) = PartnershipSignOff.objects.all()
        assert (signed.partnership_key, signed.statement) == (
            "lewisham",
            "Lewisham accepts the findings.",
        )


# --- The publication hook ----------------------------------------------------------------------


def test_a_joint_publication_names_every_partnership_and_carries_their_chairs_statements(joint):
    joint.joined()
    with inside(joint.croydon):
        alice = joint.actor("alice")
        services.recommendation_add(actor=alice, review=joint.review, text="R", to_partnership=True)
        services.review_document_upload(
            actor=alice,
            review=joint.review,
            title="Draft report",
            kind="draft_report",
            upload=UploadedFile("draft.pdf", PDF),
        )

    def sign(passage):
        review = selectors.access_review(actor=passage.actor, reference=passage.review_reference)
        services.review_chair_sign_off(
            actor=passage.actor, review=review, statement="Lewisham accepts the findings."
        )

    joint.through("nina", sign)
    with inside(joint.croydon):
        Review.objects.filter(pk=joint.review.pk).update(stage="completed")
        review = Review.objects.get(pk=joint.review.pk)
        publication = publication_create(actor=joint.actor("alice"), review=review)
        assert [p["key"] for p in publication.partnerships] == ["croydon", "lewisham"]
        (statement,) = publication.chair_statements.all()
        assert (statement.partnership_key, statement.text) == (
            "lewisham",
            "Lewisham accepts the findings.",
        )
        assert statement.chair_name == joint.nina.full_name
        assert "@" not in statement.chair_name
    # A review no one else took part in names its own partnership alone.
    with inside(joint.croydon):
        Review.objects.filter(pk=joint.other_review.pk).update(stage="completed")
        other = publication_create(
            actor=joint.actor("alice"), review=Review.objects.get(pk=joint.other_review.pk)
        )
        assert [p["key"] for p in other.partnerships] == ["croydon"]


def test_review_partnerships_names_the_lead_then_who_took_part(joint):
    with inside(joint.croydon):
        assert joint_selectors.review_partnerships(joint.review) == [joint.croydon]
    lewisham = joint.joined()
    part = joint.invite("bexley")
    with inside(joint.bexley):
        joint_services.joint_review_decline(actor=joint.actor("bea"), part=part)
    with inside(joint.lewisham):
        joint_services.joint_review_part_end(actor=joint.actor("nina"), part=lewisham, reason="x")
    with inside(joint.croydon):
        assert joint_selectors.review_partnerships(joint.review) == [joint.croydon, joint.lewisham]
        assert joint_selectors.review_partnerships(joint.other_review) == [joint.croydon]
    by_uuid = joint_selectors.review_partnerships_by_uuid(
        review_uuids=[joint.review.uuid, joint.other_review.uuid]
    )
    assert by_uuid == {joint.review.uuid: [joint.croydon, joint.lewisham]}


def test_nothing_of_the_review_is_in_the_participants_schema(joint):
    joint.joined()
    joint.through("lena", lambda passage: None)
    assert_row_only_in("croydon", "casework_review", "uuid", str(joint.review.uuid))
    with inside(joint.lewisham):
        assert not Action.objects.exists()
        assert not Agency.objects.exclude(home_partnership_key="").exists()
