"""Publications in the services: a completed review starts one (the business manager or the chair,
once), a joint publication listed for every partnership, only the platform naming the others,
and another partnership, an agency or an unappointed reviewer never reaching it — in Croydon,
never in Lewisham."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404

from casework.models import Review
from publishing import selectors, services
from publishing.library.models import LibraryRecord
from publishing.library.selectors import library_records_of_partnership
from publishing.models import GateOutcome, Publication, PublicationState
from tenants.files import UploadedFile
from tests.support.actors import actor, system
from tests.support.documents import pdf
from tests.support.isolation import assert_row_only_in
from tests.support.publications import CLEAN_REPORT, refreshed
from tests.support.world import inside

pytestmark = pytest.mark.django_db

D = datetime.date


class TestStarting:
    def test_a_completed_review_starts_a_draft_drafted_from_the_review(
        self, world, review, run_tasks
    ):
        with inside(world.croydon):
            publication = run_tasks(
                services.publication_create, actor=actor(world, "carol"), review=review
            )
            assert (publication.title, publication.pseudonyms) == ('Child "Joy"', ["Joy"])
            assert publication.state == PublicationState.DRAFT
            assert publication.partnerships == [{"key": "croydon", "name": world.croydon.name}]
            assert publication.review_type == "lcspr"
            assert publication.incident_month == D(2026, 6, 1)
            assert publication.age_bands == ["1_4"]
            run = selectors.latest_run(publication=publication, document=None)
            assert run.outcome == GateOutcome.CLEAR

    def test_only_a_completed_review_can_be_published(self, world, review):
        with inside(world.croydon):
            Review.objects.filter(pk=review.pk).update(stage="drafting")
            review.refresh_from_db()
            with pytest.raises(ValidationError, match="completed"):
                services.publication_create(actor=actor(world, "alice"), review=review)
            assert not Publication.objects.exists()

    @pytest.mark.parametrize("who", ["dave", "erin", "bob", "frank"])
    def test_only_the_business_manager_and_the_chair_start_one(self, world, review, who):
        with inside(world.croydon), pytest.raises(PermissionDenied):
            services.publication_create(actor=actor(world, who), review=review)

    def test_a_review_is_published_once(self, world, review, publication):
        with inside(world.croydon), pytest.raises(ValidationError, match="already"):
            services.publication_create(actor=actor(world, "carol"), review=review)


class TestJointAndIsolation:
    def test_a_joint_publication_is_listed_for_every_partnership(self, world, run_tasks):
        with inside(world.croydon):
            platform = system(world.croydon)
            joint = run_tasks(
                services.publication_enter_directly,
                actor=platform,
                title="Children R, S and W",
                review_type="serious_case_review",
                published_on=D(2017, 1, 24),
                partnerships=[
                    {"key": "croydon", "name": "x"},
                    {"key": "lewisham", "name": "y"},
                ],
            )
            run_tasks(
                services.document_upload,
                actor=platform,
                publication=joint,
                kind="full_report",
                upload=UploadedFile("r.pdf", pdf(CLEAN_REPORT)),
            )
            services.publication_record_as_published(
                actor=platform, publication=refreshed(joint), online=True
            )
        for key in ("croydon", "lewisham"):
            assert [e.title for e in library_records_of_partnership(key=key)] == [
                "Children R, S and W"
            ]
        record = LibraryRecord.objects.get(uuid=joint.uuid)
        assert [p["name"] for p in record.partnerships] == [world.croydon.name, world.lewisham.name]

    def test_only_the_platform_names_other_partnerships(self, world):
        with inside(world.croydon), pytest.raises(PermissionDenied):
            services.publication_enter_directly(
                actor=actor(world, "alice"),
                title="X",
                review_type="serious_case_review",
                published_on=D(2010, 1, 1),
                partnerships=[{"key": "croydon"}, {"key": "lewisham"}],
            )

    def test_another_partnership_cannot_reach_the_publication(self, world, publication):
        assert_row_only_in("croydon", "publishing_publication", "uuid", str(publication.uuid))
        with inside(world.lewisham):
            with pytest.raises(Http404):
                selectors.access_publication(
                    actor=actor(world, "charlie", world.lewisham),
                    publication_uuid=publication.uuid,
                )
            assert selectors.public_publication(publication_uuid=publication.uuid) is None

    @pytest.mark.parametrize("who", ["bob", "frank", "erin"])
    def test_agencies_and_unappointed_reviewers_do_not_see_it(self, world, publication, who):
        with inside(world.croydon), pytest.raises(Http404):
            selectors.access_publication(actor=actor(world, who), publication_uuid=publication.uuid)

    def test_the_gate_task_refuses_to_run_without_a_partnership(self, world, publication):
        from publishing.tasks import gate_run_task
        from safeguard.celery import PartnershipMissing

        connection.set_schema_to_public()
        with pytest.raises(PartnershipMissing):
            gate_run_task.apply(args=[str(publication.uuid)], throw=True)
