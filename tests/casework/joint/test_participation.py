"""A participant's work in the lead's schema: its agencies mirrored there and named as theirs,
its own agencies' chronology entries next to everyone's, reviewers independent of its agencies
too, read-only without the contribute permission, what stays the lead's, each participant
owning and tracking its actions (the lead seeing all), its agency seeing only its own requests
and actions, and sign-off needing every participant's chair."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casework import selectors, services
from casework.joint.models import ParticipantPermission
from casework.models import ChronologyEntry, PartnershipSignOff
from tenants.agencies.models import Agency
from tenants.agencies.selectors import agency_list
from tenants.clock import today
from tenants.files import UploadedFile
from tests.support.isolation import assert_row_only_in
from tests.support.joint import entry, trail
from tests.support.world import inside

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%draft\n"


def mirror_of(joint, agency) -> Agency:
    with inside(joint.croydon):
        return Agency.objects.get(home_agency_uuid=agency.uuid)


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
