"""Every route of a partnership's host, walked from its URL patterns (DESIGN §5: every read of
casework is recorded in the audit trail).

The rule: one GET of a casework page or endpoint leaves exactly one row in the trail of the
partnership whose host was asked, by the reader; when it read another partnership's schema
through the joint-review door (a joint review's page, or a list that gathers what the reader's
partnership has in joint reviews others lead), exactly one row in that partnership's trail too;
none anywhere else. Every other route is declared not casework, with the reason, in
``tests/support/reads.py``; a route in neither list fails here, by name, so a new route cannot
be missed. The pages this walk first recorded are also asked by the other partnership (its
person, their session replayed, signed out: tests/support/isolation.py): a 404, and nothing in
the owner's trail. The world (tests/support/route_world.py) is built once for the module and
rolled back.
"""

import json

import pytest
from django.db.models import Max
from django.test import Client

from tenants.agencies.models import AuditEvent
from tests.support.clients import api_client, signed_in_client
from tests.support.isolation import assert_web_isolated
from tests.support.reads import (
    ACCOUNT,
    API_ABOUT,
    BLANK_FORM,
    DELETE_ONLY,
    MOVED,
    NOT_CASEWORK,
    POST_ONLY,
    PUBLIC_PAGE,
    READS,
    NotCasework,
    Read,
    what_it_is,
)
from tests.support.route_world import route_world_rolled_back
from tests.support.routes import (
    ARGUMENTS,
    PLATFORM_ROUTES,
    PLATFORM_URLCONF,
    PUBLIC,
    arguments,
    partnership_routes,
    url,
)
from tests.support.world import host_of, inside

pytestmark = pytest.mark.django_db

PATTERNS = partnership_routes()
READ_VISITS = [
    (pattern, entry, visit)
    for pattern in PATTERNS
    if isinstance(entry := what_it_is(pattern), Read)
    for visit in entry.visits
]
OTHERS = [
    (pattern, entry)
    for pattern in PATTERNS
    if isinstance(entry := what_it_is(pattern), NotCasework)
]
# Routes that read nothing of anyone's: a GET leaves no row at all.
LEAVES_NO_ROW = (PUBLIC_PAGE, ACCOUNT, BLANK_FORM, API_ABOUT, MOVED)


@pytest.fixture(scope="module")
def route_world(django_db_setup, django_db_blocker):
    with route_world_rolled_back(django_db_blocker) as world:
        yield world


def test_every_route_is_a_casework_read_or_declared_not_to_be():
    unknown = [f"{p.name} ({p.route})" for p in PATTERNS if what_it_is(p) is None]
    assert not unknown, (
        "Routes neither read as casework (READS) nor declared not casework (NOT_CASEWORK) in "
        "tests/support/reads.py: " + ", ".join(unknown)
    )
    unfilled = [p.name for p in PATTERNS if "<" in p.route and arguments(p) is None]
    assert not unfilled, (
        "Routes whose URL arguments tests/support/routes.py cannot fill (ARGUMENTS): "
        + ", ".join(unfilled)
    )


def test_the_tables_name_only_routes_that_exist_once():
    names = [p.name for p in PATTERNS]
    assert len(names) == len(set(names)), "two patterns share a name"
    stale = sorted((set(READS) | set(NOT_CASEWORK) | set(ARGUMENTS)) - set(names))
    assert not stale, f"tests/support/ names routes that do not exist: {stale}"
    assert not set(READS) & set(NOT_CASEWORK)


def test_the_bare_platform_domain_serves_no_casework():
    """Its routes are the public library's: a route added there is seen and must be declared."""
    names = {p.name for p in partnership_routes(PLATFORM_URLCONF)}
    assert names == PLATFORM_ROUTES, f"tests/support/routes.py: {names ^ PLATFORM_ROUTES}"


def _asker(world, reader: str) -> Client:
    if reader == PUBLIC:
        return Client(HTTP_HOST=host_of(world.croydon.partnership))
    key, slot = reader.split(".")
    side = world.side(key)
    if slot.endswith("_key"):
        return api_client(side.partnership, side.keys[slot])
    return signed_in_client(side.people[slot], side.partnership)


def _marks(world) -> dict[str, int]:
    marks = {}
    for partnership in world.partnerships:
        with inside(partnership):
            marks[partnership.key] = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0
    return marks


def _rows_since(world, marks) -> dict[str, list[AuditEvent]]:
    rows = {}
    for partnership in world.partnerships:
        with inside(partnership):
            rows[partnership.key] = list(
                AuditEvent.objects.filter(id__gt=marks[partnership.key]).order_by("id")
            )
    return rows


def _get(client: Client, path: str, *, htmx: bool = False):
    response = client.get(path, **({"HTTP_HX_REQUEST": "true"} if htmx else {}))
    if getattr(response, "streaming", False):
        # Read to the end: the test client then closes it (and its file), as a server would.
        b"".join(response.streaming_content)
    return response


def _described(rows: dict[str, list[AuditEvent]]) -> str:
    return "; ".join(
        f"{key}: {[row.action for row in found]}" for key, found in rows.items() if found
    )


@pytest.mark.parametrize(
    ("pattern", "entry", "visit"),
    READ_VISITS,
    ids=[
        f"{p.name}{'?' + v.query if v.query else ''} as {v.reader}{' (htmx)' if v.htmx else ''}"
        for p, _, v in READ_VISITS
    ],
)
def test_one_get_of_a_casework_read_leaves_one_row_in_each_trail_it_read(
    route_world, pattern, entry, visit
):
    world = route_world
    side = world.side(visit.partnership_key)
    path = url(world, pattern, side) + (f"?{visit.query}" if visit.query else "")
    marks = _marks(world)
    response = _get(_asker(world, visit.reader), path, htmx=visit.htmx)
    assert response.status_code == visit.status, (path, response.status_code)
    rows = _rows_since(world, marks)
    expected = {key: 0 for key in rows}
    expected[side.key] = 1
    if pattern.through_the_door or (entry.gathers_joint and side.key != world.joint.lead.key):
        expected[world.joint.lead.key] = 1
    found = {key: len(found) for key, found in rows.items()}
    assert found == expected, f"GET {path}: {_described(rows)}"
    # What the row records: the read itself, where the casework is; the crossing at home.
    lead = world.joint.lead.key
    if pattern.through_the_door:
        assert rows[side.key][0].action == "joint_review.entered"
        assert rows[lead][0].action == entry.action
    else:
        assert rows[side.key][0].action == entry.action
        # A list records the filters it was read with.
        for pair in filter(None, visit.query.split("&")):
            assert pair.split("=")[0] in rows[side.key][0].detail, pair
        if expected[lead] and side.key != lead:
            assert rows[lead][0].action == "joint_review.listed"
    person = side.people.get(visit.slot)
    for row in (row for found in rows.values() for row in found):
        # The reader, of their own partnership, in every trail; never a child's name.
        assert row.partnership_key == side.key
        if person is not None:
            assert row.actor_label == person.email
        recorded = json.dumps(row.detail) + row.object_ref
        for child in (world.croydon.child, world.lewisham.child):
            assert child.family_name not in recorded and child.given_name not in recorded


@pytest.mark.parametrize(
    ("pattern", "entry"), OTHERS, ids=[f"{p.name}: {e.why.split(':')[0]}" for p, e in OTHERS]
)
def test_a_route_that_is_not_a_casework_read_is_what_it_says(route_world, pattern, entry):
    world = route_world
    key = "croydon" if entry.asker == PUBLIC else entry.asker.split(".")[0]
    path = url(world, pattern, world.side(key))
    marks = _marks(world)
    response = _get(_asker(world, entry.asker), path)
    rows = _rows_since(world, marks)
    if entry.why in (POST_ONLY, DELETE_ONLY):
        assert response.status_code == 405, (path, response.status_code)
        # Through the door, the crossing itself is recorded, once in each trail.
        crossing = {world.joint.participant.key: 1, world.joint.lead.key: 1}
        expected = crossing if pattern.through_the_door else {}
        found = {key: len(found) for key, found in rows.items() if found}
        assert found == expected, f"GET {path}: {_described(rows)}"
    else:
        assert response.status_code < 500, (path, response.status_code)
        if entry.why in LEAVES_NO_ROW:
            assert not any(rows.values()), f"GET {path}: {_described(rows)}"


OWN_OBJECT_PAGES = [
    (pattern, what_it_is(pattern))
    for pattern in PATTERNS
    if pattern.name
    in (
        "frontend:action",
        "frontend:information-request",
        "frontend:review-chronology-entry",
        "frontend:publication-log",
        "frontend:publication-gate-run",
        "frontend:copy-request",
    )
]


@pytest.mark.parametrize(
    ("pattern", "entry"), OWN_OBJECT_PAGES, ids=[p.name for p, _ in OWN_OBJECT_PAGES]
)
def test_another_partnership_gets_a_404_and_leaves_nothing_in_the_owners_trail(
    route_world, pattern, entry
):
    world = route_world
    owner, outsider = world.croydon, world.lewisham
    path = url(world, pattern, owner)
    marks = _marks(world)
    assert_web_isolated(
        path=path,
        owner=owner.partnership,
        outsider=outsider.people[entry.visits[0].slot],
        outsider_partnership=outsider.partnership,
        markers=(owner.child.family_name,),
        object_page=True,
    )
    assert not _rows_since(world, marks)[owner.key], f"GET {path} by another partnership"
