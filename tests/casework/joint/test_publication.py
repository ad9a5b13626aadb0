"""A joint review's publication: it names every partnership and carries their chairs'
statements, the review's partnerships are the lead then who took part, and nothing of the review
is in a participant's schema."""

import pytest

from casework import selectors, services
from casework.joint import selectors as joint_selectors
from casework.joint import services as joint_services
from casework.models import Action, Review
from publishing.services import publication_create
from tenants.agencies.models import Agency
from tenants.files import UploadedFile
from tests.support.isolation import assert_row_only_in
from tests.support.world import inside

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%draft\n"


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
