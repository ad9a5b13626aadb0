"""The reusable isolation checks every casework test module extends.

The wall between partnerships is the schema. For a page or endpoint that shows something of the
owner partnership's, each check asks it the ways an outsider could:

- the other partnership's signed-in user, their session cookie replayed on the owner's host;
- the same path on the other partnership's own host, asked by its own member;
- the other partnership's API key, on the owner's host and on its own;

and expects a 404 (or, for a key on a host where it does not exist, a 401), with none of the
owner's data in the answer. ``assert_row_only_in`` asks PostgreSQL itself where a row lives.
"""

from django.db import connection

from tests.support.clients import api_client, replay_on, signed_in_client


def _assert_hidden(response, markers, who: str) -> None:
    body = response.content.decode(errors="replace")
    for marker in markers:
        assert marker not in body, f"{who} saw {marker!r}"


def assert_web_isolated(
    *, path: str, owner, outsider, outsider_partnership, markers=(), object_page: bool = False
):
    """``path`` on the owner's host shows the owner's data (the caller checks that); the
    outsider (a member of ``outsider_partnership`` only) gets a 404 there and never
    ``markers`` anywhere. On the outsider's own host a list page lists their own partnership's
    things (200); an ``object_page`` of the owner's does not exist there (404)."""
    own_session = signed_in_client(outsider, outsider_partnership)

    replayed = replay_on(own_session, owner)
    response = replayed.get(path)
    assert response.status_code == 404, (
        f"{outsider} replaying their session on {owner.key}: {response.status_code}"
    )
    _assert_hidden(response, markers, f"{outsider} on {owner.key}'s host")

    response = own_session.get(path)
    if object_page:
        assert response.status_code == 404, f"{outsider} on their own host: {response.status_code}"
    _assert_hidden(response, markers, f"{outsider} on their own host")

    anonymous = api_client(owner, None)
    response = anonymous.get(path)
    assert response.status_code in (302, 401, 404), response.status_code
    _assert_hidden(response, markers, "someone signed out")


def assert_api_isolated(*, path: str, owner, outsider_partnership, outsider_key, markers=()):
    """The other partnership's key: unknown on the owner's host (401), and on its own host the
    owner's object does not exist (404). Neither answer holds the owner's data."""
    response = api_client(owner, outsider_key).get(path)
    assert response.status_code == 401, response.status_code
    assert response["Content-Type"] == "application/problem+json"
    _assert_hidden(response, markers, "another partnership's key on the owner's host")

    response = api_client(outsider_partnership, outsider_key).get(path)
    assert response.status_code == 404, response.status_code
    assert response["Content-Type"] == "application/problem+json"
    _assert_hidden(response, markers, "another partnership's key on its own host")


def schemas_holding(table: str, column: str, value) -> set[str]:
    """Every schema whose ``table`` has a row with ``column = value``: PostgreSQL's answer, not
    the ORM's."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema FROM information_schema.tables WHERE table_name = %s",
            [table],
        )
        schemas = [row[0] for row in cursor.fetchall()]
        holding = set()
        for schema in schemas:
            cursor.execute(
                f'SELECT 1 FROM "{schema}"."{table}" WHERE "{column}" = %s LIMIT 1', [value]
            )
            if cursor.fetchone():
                holding.add(schema)
    return holding


def assert_row_only_in(schema: str, table: str, column: str, value) -> None:
    assert schemas_holding(table, column, value) == {schema}
