"""A partnership's publication pages on the web, for each role: starting one from a completed
review, the gate's findings shown in context (only the chair accepts one), its progress polled
and only its panel refreshed, documents refused on the page, publishing refused without the
notice and done with it, the redaction log, ownership checked, and the list in the same queries
for three publications as for one — in Croydon and never in Lewisham."""

import datetime

import pytest

from publishing import selectors, services
from publishing.models import GateRun, Publication, PublicationDocument
from tests.support.actors import actor
from tests.support.documents import pdf
from tests.support.isolation import assert_web_isolated
from tests.support.publications import (
    CLEAN_REPORT,
    DIRTY_REPORT,
    FAMILY,
    client,
    public,
    refreshed,
    upload,
)
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


def page_of(publication) -> str:
    return f"/publications/{publication.uuid}/"


class TestWorkspace:
    def test_the_business_manager_starts_a_publication_from_a_completed_review(
        self, world, review, django_capture_on_commit_callbacks
    ):
        alice = client(world, "alice")
        page = body(alice.get("/publications/"))
        assert review.reference in page and "Start the publication" in page
        with django_capture_on_commit_callbacks(execute=True):
            response = alice.post("/publications/new/", {"start-review": review.reference})
        with inside(world.croydon):
            created = Publication.objects.get(review=review)
        assert response.status_code == 302 and response["Location"] == page_of(created)
        page = body(alice.get(page_of(created)))
        assert "Child &quot;Joy&quot;" in page and "Public record" in page

    def test_choosing_no_review_is_an_error_and_nothing_is_made(self, world, review):
        response = client(world, "alice").post("/publications/new/", {"start-review": ""})
        assert response.status_code == 200
        assert "Choose the completed review" in body(response)
        with inside(world.croydon):
            assert not Publication.objects.exists()

    @pytest.mark.parametrize("who", ["dave", "carol"])
    def test_the_review_group_sees_the_publication(self, world, publication, who):
        page = body(client(world, who).get(page_of(publication)))
        assert "Documents and the anonymisation gate" in page

    def test_agencies_get_a_403_on_the_list_and_a_404_on_a_publication(self, world, publication):
        # The list names no publication; a publication an agency cannot see is not there.
        assert client(world, "bob").get("/publications/").status_code == 403
        assert client(world, "bob").get(page_of(publication)).status_code == 404
        assert client(world, "erin").get(page_of(publication)).status_code == 404
        assert "Child &quot;Joy&quot;" not in body(client(world, "erin").get("/publications/"))

    def test_it_checks_ownership(self, world, publication):
        with inside(world.croydon):
            title = refreshed(publication).title
        assert_web_isolated(
            path=page_of(publication),
            owner=world.croydon,
            outsider=world.charlie,
            outsider_partnership=world.lewisham,
            markers=[title, FAMILY],
            object_page=True,
        )

    def test_a_planted_name_is_shown_in_context_and_only_the_chair_may_accept_it(
        self, world, publication, django_capture_on_commit_callbacks
    ):
        alice = client(world, "alice")
        with django_capture_on_commit_callbacks(execute=True):
            response = alice.post(
                f"{page_of(publication)}documents/",
                {
                    "document-kind": "full_report",
                    "document-file": _file("report.pdf", pdf(DIRTY_REPORT)),
                },
            )
        assert response.status_code == 302
        page = body(alice.get(page_of(publication)))
        assert "<mark>Amara Quillfeather</mark>" in page
        assert "1 possible identifier to resolve" in page
        assert "Accept</button>" not in page and 'value="Accept"' not in page
        with inside(world.croydon):
            hit = selectors.latest_run(
                publication=publication, document=publication.documents.get()
            ).hits.get()
        carol = client(world, "carol")
        assert f"hits/{hit.uuid}/accept/" in body(carol.get(page_of(publication)))
        response = carol.post(
            f"{page_of(publication)}hits/{hit.uuid}/accept/", {f"accept-{hit.uuid}-reason": ""}
        )
        assert response.status_code == 200 and "Write why" in body(response)
        assert alice.post(f"{page_of(publication)}hits/{hit.uuid}/accept/", {}).status_code == 403
        response = carol.post(
            f"{page_of(publication)}hits/{hit.uuid}/accept/",
            {f"accept-{hit.uuid}-reason": "The family asked for it"},
        )
        assert response.status_code == 302
        with inside(world.croydon):
            assert refreshed(publication).state == "ready"

    def test_a_file_that_is_not_a_document_is_refused_on_the_page(self, world, publication):
        response = client(world, "alice").post(
            f"{page_of(publication)}documents/",
            {"document-kind": "full_report", "document-file": _file("report.pdf", b"nope")},
        )
        assert response.status_code == 200
        assert "is not a PDF or Word" in body(response)
        with inside(world.croydon):
            assert not PublicationDocument.objects.exists()

    def test_the_gate_s_progress_is_polled_and_only_its_panel_is_refreshed_when_done(
        self, world, publication, run_tasks
    ):
        document = upload(world, run_tasks, publication, pdf(CLEAN_REPORT))
        with inside(world.croydon):
            run = selectors.latest_run(publication=publication, document=document)
            GateRun.objects.filter(pk=run.pk).update(state="running", progress=40)
        alice = client(world, "alice")
        page = body(alice.get(page_of(publication)))
        assert f"gate/{run.uuid}/" in page and 'hx-trigger="every 1s"' in page
        assert "Checking: 40%" in page
        with inside(world.croydon):
            GateRun.objects.filter(pk=run.pk).update(state="done", progress=100)
        response = alice.get(f"{page_of(publication)}gate/{run.uuid}/", HTTP_HX_REQUEST="true")
        # The gate's panel in place of the progress (no reload: what is typed elsewhere on the
        # page stays), with the state and what stands before publication out of band.
        assert "HX-Refresh" not in response
        assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#gate", "outerHTML")
        answer = body(response).strip()
        assert answer.startswith('<section id="gate"')
        assert f'id="gate-run-{run.uuid}"' in answer and "Checked" in answer
        assert 'id="status" hx-swap-oob="true"' in answer
        assert 'id="readiness" hx-swap-oob="true"' in answer
        for elsewhere in ('id="record"', 'id="identifiers"', 'id="statements"', "<html"):
            assert elsewhere not in answer
        assert 'id="publishing"' not in answer and "<form" in answer  # the upload form

    def test_publishing_without_the_notice_is_refused_with_the_reason(
        self, world, publication, run_tasks
    ):
        upload(world, run_tasks, publication, pdf(CLEAN_REPORT))
        response = client(world, "alice").post(f"{page_of(publication)}publish/", {})
        assert response.status_code == 200
        assert "Secretary of State" in body(response) and "There is a problem" in body(response)

    def test_the_business_manager_publishes_and_the_public_page_shows_it(self, world, ready):
        response = client(world, "alice").post(f"{page_of(ready)}publish/", {})
        assert response.status_code == 302
        page = body(public(world.croydon).get(f"/reviews/{ready.uuid}/"))
        assert "A toddler died at home" in page and "Full report" in page
        assert FAMILY not in page

    def test_the_redaction_log_keeps_every_run(self, world, publication, run_tasks):
        upload(world, run_tasks, publication, pdf(DIRTY_REPORT))
        upload(world, run_tasks, publication, pdf(CLEAN_REPORT))
        page = body(client(world, "dave").get(f"{page_of(publication)}redaction-log/"))
        assert page.count("Full report v") == 2 and "<mark>Amara Quillfeather</mark>" in page

    def test_the_list_takes_the_same_queries_for_three_publications_as_for_one(
        self, world, publication, run_tasks, django_assert_max_num_queries
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        alice = client(world, "alice")
        with CaptureQueriesContext(connection) as one:
            alice.get("/publications/")
        with inside(world.croydon):
            for n in range(2):
                services.publication_enter_directly(
                    actor=actor(world, "alice"),
                    title=f"Child {n}",
                    review_type="serious_case_review",
                    published_on=datetime.date(2010, 1, 1),
                )
        with django_assert_max_num_queries(len(one.captured_queries)):
            alice.get("/publications/")


def _file(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)
