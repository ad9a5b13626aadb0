"""Publishing on the web: the partnership's publication pages for each role, the public area at
/reviews/ on each partnership's host (joint reviews on every participant's), documents and
requests for copies, the national library on the bare domain and its API — in Croydon and never
in Lewisham, with query counts that do not grow with the data."""

import datetime
import hashlib
import uuid

import pytest
from django.core import mail
from django.test import Client

from publishing import selectors, services
from publishing.library import services as library_services
from publishing.library.models import LibraryRecord
from publishing.models import CopyRequest, GateRun, Publication, PublicationDocument
from tenants.clock import today
from tenants.files import UploadedFile
from tests.support.actors import actor, system
from tests.support.clients import signed_in_client
from tests.support.documents import pdf
from tests.support.isolation import assert_web_isolated
from tests.support.publications import (
    CLEAN_REPORT,
    DIRTY_REPORT,
    FAMILY,
    published,
    refreshed,
    upload,
)
from tests.support.world import host_of, inside

pytestmark = pytest.mark.django_db

PLATFORM = "localhost"


def client(world, who):
    return signed_in_client(getattr(world, who), world.croydon)


def public(partnership) -> Client:
    return Client(HTTP_HOST=host_of(partnership))


def platform() -> Client:
    return Client(HTTP_HOST=PLATFORM)


def body(response) -> str:
    return response.content.decode()


def page_of(publication) -> str:
    return f"/publications/{publication.uuid}/"


def on_request(world, publication):
    with inside(world.croydon):
        later = refreshed(publication).online_until + datetime.timedelta(days=1)
        services.publications_daily(actor=system(world.croydon), day=later)
        return refreshed(publication)


def record(key: str, n: int, **extra) -> LibraryRecord:
    """A library record made directly (for lists of many)."""
    values = {
        "summary": f"Summary {n} about neglect and information sharing.",
        **extra,
    }
    return library_services.library_record_save(
        data=library_services.LibraryRecordData(
            uuid=uuid.uuid4(),
            partnerships=[{"key": key, "name": key.title()}],
            title=f"Child {n}",
            review_type="serious_case_review",
            review_type_label="Serious Case Review (before 2018)",
            availability="online",
            published_on=datetime.date(2015 + n % 5, 1 + n % 12, 1),
            themes=["neglect"] if n % 2 else ["information-sharing"],
            age_bands=["1_4"],
            documents=[
                {
                    "uuid": str(uuid.uuid4()),
                    "kind": "full_report",
                    "label": "Full report",
                    "size": 100,
                    "content_type": "application/pdf",
                }
            ],
            **values,
        )
    )


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


class TestTheLibrary:
    def test_it_searches_ranks_and_filters_with_counts(self, world):
        record("croydon", 1, pseudonyms=["Quill"])
        record("lewisham", 2)
        record("croydon", 3, summary="Nothing about that here.")
        page = body(platform().get("/library/"))
        assert "3 reviews" in page and "Theme trends" in page and "<svg" in page
        page = body(platform().get("/library/?q=quill"))
        assert "1 review for" in page and "Child 1" in page
        page = body(platform().get("/library/?partnership=lewisham"))
        assert "1 review" in page and "Child 2" in page and "Child 3" not in page
        # The partnership filter's counts are those of the other filters: both still listed.
        assert f"{world.croydon.name}</a> (2)" in page

    @pytest.mark.parametrize(
        "query",
        ["?q=%27%22%28%29%21%3A%26%7C", "?q=a%20%26%26%20%7C%7C%20!!", "?q=%E2%9C%93%F0%9F%98%80"],
    )
    def test_odd_characters_give_results_never_an_error(self, world, query):
        record("croydon", 1)
        assert platform().get(f"/library/{query}").status_code == 200
        assert platform().get(f"/api/v1/library/{query}").status_code == 200

    @pytest.mark.parametrize(
        "query",
        ["?q=" + "x" * 201, "?colour=blue", "?theme=no-such-theme", "?year=20x5", "?page=0"],
    )
    def test_bad_queries_are_a_400_with_the_reason(self, world, query):
        response = platform().get(f"/library/{query}")
        assert response.status_code == 400 and "There is a problem" in body(response)
        response = platform().get(f"/api/v1/library/{query}")
        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["errors"]

    def test_a_nul_in_the_query_is_not_an_error(self, world):
        assert platform().get("/library/?q=a%00b").status_code == 200

    def test_each_publication_has_a_page_linking_to_its_partnership_s(self, world, ready):
        published(world, ready)
        page = body(platform().get(f"/library/{ready.uuid}/"))
        assert f"//{host_of(world.croydon)}/reviews/{ready.uuid}/" in page
        assert platform().get(f"/library/{uuid.uuid4()}/").status_code == 404

    def test_the_atom_feed_lists_the_newest(self, world):
        record("croydon", 1)
        response = platform().get("/library/feed/")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        assert b"<title>Child 1</title>" in response.content

    @pytest.mark.parametrize(
        ("query", "named"),
        [
            ("theme=nope", "theme: There is no such theme."),
            ("year=20x6", "year: "),
            ("colour=red", "colour: Unknown filter."),
            ("q=" + "a" * 201, "q: Search for at most 200 characters"),
            ("page=0", "page: "),
        ],
    )
    def test_the_atom_feed_answers_an_invalid_query_with_a_400(self, world, query, named):
        """As the library's page and its API do (issue 10, part 4); it was a 404."""
        response = platform().get(f"/library/feed/?{query}")
        assert response.status_code == 400
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert named in response.content.decode()
        assert platform().get(f"/library/?{query}").status_code == 400
        assert platform().get(f"/api/v1/library/?{query}").status_code == 400

    def test_the_api_answers_the_contract_s_filters(self, world, ready):
        published(world, ready)
        record("lewisham", 2)
        data = platform().get("/api/v1/library/").json()
        assert data["count"] == 2
        joy = next(r for r in data["results"] if r["id"] == str(ready.uuid))
        assert joy["title"] == 'Child "Joy"' and joy["type"]["key"] == "lcspr"
        assert joy["partnerships"][0]["key"] == "croydon"
        assert joy["documents"][0]["url"].endswith(
            f"/reviews/{ready.uuid}/documents/{joy['documents'][0]['id']}/"
        )
        for params, count in (
            ("q=toddler", 1),
            ("theme=neglect", 1),
            ("theme=information-sharing", 2),
            (f"year={today().year}", 1),
            ("type=lcspr", 1),
            ("partnership=lewisham", 1),
            ("age_band=1_4", 2),
        ):
            assert platform().get(f"/api/v1/library/?{params}").json()["count"] == count, params
        assert FAMILY not in body(platform().get("/api/v1/library/"))

    def test_the_api_is_on_the_bare_domain_only_and_needs_no_key(self, world):
        assert public(world.croydon).get("/api/v1/library/").status_code == 404
        assert platform().get("/api/v1/schema/").status_code == 200

    def test_the_library_and_its_api_take_the_same_queries_for_many(
        self, world, django_assert_max_num_queries
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        record("croydon", 1)
        counts = {}
        for path in ("/library/", "/library/?q=neglect&theme=neglect", "/api/v1/library/"):
            with CaptureQueriesContext(connection) as one:
                platform().get(path)
            counts[path] = len(one.captured_queries)
        for n in range(2, 30):
            record("lewisham" if n % 3 else "croydon", n)
        for path, count in counts.items():
            with django_assert_max_num_queries(count):
                platform().get(path)


def test_a_cached_search_is_never_of_another_edition_of_the_library(world):
    from publishing.library.search import LibraryQuery, library_search

    record("croydon", 1)
    assert library_search(query=LibraryQuery()).total == 1
    assert library_search(query=LibraryQuery()).total == 1  # from the cache
    second = record("croydon", 2)
    assert library_search(query=LibraryQuery()).total == 2
    library_services.library_record_remove(uuid=second.uuid)
    assert library_search(query=LibraryQuery()).total == 1
