"""The national library on the bare domain and its API: search, ranking and filters with counts,
odd characters and bad queries, each publication's page, the Atom feed (its 400s), the API's
filters and no key needed, in the same queries for many records, and a cached search never of
another edition."""

import uuid

import pytest
from django.test import Client

from publishing.library import services as library_services
from tenants.clock import today
from tests.support.publications import FAMILY, public, published, record
from tests.support.world import host_of

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


PLATFORM = "localhost"


def platform() -> Client:
    return Client(HTTP_HOST=PLATFORM)


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
