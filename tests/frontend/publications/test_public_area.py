"""The public area at /reviews/ on each partnership's host: published reviews for anyone without
signing in, never a draft nor another partnership's, a joint review on every participant's page
(its documents on the lead's), documents that stop after the retention period and copies asked
for instead (decided by the business manager only, throttled), in the same queries for many."""

import datetime
import hashlib

import pytest
from django.core import mail

from publishing import selectors, services
from publishing.models import CopyRequest
from tenants.files import UploadedFile
from tests.support.actors import system
from tests.support.clients import signed_in_client
from tests.support.documents import pdf
from tests.support.publications import CLEAN_REPORT, client, public, published, record, refreshed
from tests.support.world import host_of, inside

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


def on_request(world, publication):
    with inside(world.croydon):
        later = refreshed(publication).online_until + datetime.timedelta(days=1)
        services.publications_daily(actor=system(world.croydon), day=later)
        return refreshed(publication)


class TestThePublicArea:
    def test_anyone_reads_the_published_reviews_without_signing_in(self, world, ready):
        published(world, ready)
        anonymous = public(world.croydon)
        page = body(anonymous.get("/reviews/"))
        assert "Child &quot;Joy&quot;" in page and "Published reviews" in page
        # Public pages may be indexed by search engines; the workspace's never.
        assert '<meta name="robots" content="index, follow">' in page
        workspace = body(client(world, "alice").get("/publications/"))
        assert '<meta name="robots" content="noindex, nofollow">' in workspace
        with inside(world.croydon):
            document = selectors.public_documents(publication=refreshed(ready))[0]
        response = anonymous.get(f"/reviews/{ready.uuid}/documents/{document.uuid}/")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert hashlib.sha256(response.content).hexdigest() == document.sha256
        # The review's page: its summary in body text, its partnership's name leading to the
        # partnership's published reviews, not back to the page itself.
        review = body(anonymous.get(f"/reviews/{ready.uuid}/"))
        summary = review[review.index('id="review-summary"') :]
        assert summary.split(">", 1)[1].lstrip().startswith('<p class="govuk-body">')
        partnerships = review[review.index('id="review-partnerships"') :].split("</dd>")[0]
        assert 'href="/reviews/published/"' in partnerships
        assert f'href="/reviews/{ready.uuid}/"' not in partnerships

    def test_signed_in_people_get_their_review_list_at_reviews_and_the_public_one_beside(
        self, world, ready
    ):
        published(world, ready)
        alice = client(world, "alice")
        assert "Commission a thematic review" in body(alice.get("/case-reviews/"))
        assert "Child &quot;Joy&quot;" in body(alice.get("/reviews/published/"))

    def test_another_partnership_s_host_does_not_show_it(self, world, ready):
        published(world, ready)
        lewisham = public(world.lewisham)
        assert "Child &quot;Joy&quot;" not in body(lewisham.get("/reviews/"))
        assert lewisham.get(f"/reviews/{ready.uuid}/").status_code == 404
        with inside(world.croydon):
            document = selectors.public_documents(publication=refreshed(ready))[0]
        assert lewisham.get(f"/reviews/{ready.uuid}/documents/{document.uuid}/").status_code == 404

    def test_a_draft_is_not_public(self, world, publication):
        assert public(world.croydon).get(f"/reviews/{publication.uuid}/").status_code == 404

    def test_a_joint_review_is_on_every_participant_s_page_its_documents_on_the_lead_s(
        self, world, run_tasks
    ):
        with inside(world.croydon):
            platform_actor = system(world.croydon)
            joint = run_tasks(
                services.publication_enter_directly,
                actor=platform_actor,
                title="Children R, S and W",
                review_type="serious_case_review",
                published_on=datetime.date(2017, 1, 24),
                partnerships=[{"key": "croydon"}, {"key": "lewisham"}],
            )
            document = run_tasks(
                services.document_upload,
                actor=platform_actor,
                publication=joint,
                kind="full_report",
                upload=UploadedFile("r.pdf", pdf(CLEAN_REPORT)),
            )
            services.publication_record_as_published(
                actor=platform_actor, publication=refreshed(joint), online=True
            )
        for partnership in (world.croydon, world.lewisham):
            assert "Children R, S and W" in body(public(partnership).get("/reviews/"))
        page = body(public(world.lewisham).get(f"/reviews/{joint.uuid}/"))
        croydon_host = host_of(world.croydon)
        assert f"//{croydon_host}/reviews/{joint.uuid}/documents/{document.uuid}/" in page
        assert world.croydon.name in page and world.lewisham.name in page

    def test_after_the_retention_period_documents_stop_and_a_copy_can_be_asked_for(
        self, world, ready, django_capture_on_commit_callbacks
    ):
        published(world, ready)
        later = on_request(world, ready)
        anonymous = public(world.croydon)
        with inside(world.croydon):
            document = selectors.public_documents(publication=later)[0]
        response = anonymous.get(f"/reviews/{ready.uuid}/documents/{document.uuid}/")
        assert response.status_code == 410 and "available on request" in body(response)
        page = body(anonymous.get(f"/reviews/{ready.uuid}/"))
        assert "Ask for a copy" in page
        form = f"/reviews/{ready.uuid}/request-a-copy/"
        assert anonymous.get(form).status_code == 200
        bad = anonymous.post(form, {"copy-email": "nope"})
        assert bad.status_code == 400 and "Enter your name" in body(bad)
        with django_capture_on_commit_callbacks(execute=True):
            response = anonymous.post(
                form,
                {
                    "copy-document": str(document.uuid),
                    "copy-name": "Rae Searcher",
                    "copy-email": "rae@uni.example",
                    "copy-organisation": "",
                    "copy-reason": "Research",
                },
            )
        assert response.status_code == 302
        assert "Request sent" in body(anonymous.get(response["Location"]))
        with inside(world.croydon):
            request = CopyRequest.objects.get()
        alice = client(world, "alice")
        assert "Rae Searcher" in body(alice.get("/publications/copy-requests/"))
        with django_capture_on_commit_callbacks(execute=True):
            response = alice.post(
                f"/publications/copy-requests/{request.uuid}/", {"decision-decision": "approve"}
            )
        assert response.status_code == 302
        link = mail.outbox[-1].body.split("http://")[-1].split("\n")[0]
        path = "/" + link.split("/", 1)[1]
        assert "Download the full report" in body(anonymous.get(path))
        response = anonymous.post(path)
        assert response.status_code == 200
        assert hashlib.sha256(response.content).hexdigest() == document.sha256
        again = anonymous.post(path)
        assert again.status_code == 410 and "has been used" in body(again)
        assert anonymous.get("/reviews/copies/not-a-real-token/").status_code == 404

    def test_only_the_business_manager_decides_requests(self, world, ready):
        published(world, ready)
        on_request(world, ready)
        assert client(world, "carol").get("/publications/copy-requests/").status_code == 404
        assert (
            signed_in_client(world.charlie, world.lewisham)
            .get("/publications/copy-requests/")
            .status_code
            == 200
        )

    def test_a_flood_of_requests_is_throttled(self, world, ready):
        published(world, ready)
        later = on_request(world, ready)
        with inside(world.croydon):
            document = selectors.public_documents(publication=later)[0]
        anonymous = public(world.croydon)
        statuses = [
            anonymous.post(
                f"/reviews/{ready.uuid}/request-a-copy/",
                {
                    "copy-document": str(document.uuid),
                    "copy-name": "Flood",
                    "copy-email": f"flood{n}@example.org",
                    "copy-reason": "Again",
                },
            ).status_code
            for n in range(services.REQUESTS_PER_ADDRESS_PER_HOUR + 2)
        ]
        assert statuses.count(302) == services.REQUESTS_PER_ADDRESS_PER_HOUR
        assert statuses[-1] == 429

    def test_the_public_list_takes_the_same_queries_for_many_reviews(
        self, world, django_assert_max_num_queries
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        record("croydon", 1)
        anonymous = public(world.croydon)
        with CaptureQueriesContext(connection) as one:
            anonymous.get("/reviews/")
        for n in range(2, 12):
            record("croydon", n)
        with django_assert_max_num_queries(len(one.captured_queries)):
            page = body(anonymous.get("/reviews/"))
        assert page.count("Child 1") >= 1 and "Child 11" in page
