"""Every route of a partnership's host checks who asks (issue 11; STYLE §5: another
partnership's user, key and host get a 404, never the data).

The cases are built from the URL patterns themselves (tests/support/routes.py) and three tables:
who may read each route a GET reaches (``READS``, tests/support/access.py), who may post to
each route that takes a POST and data that succeeds for them (``POSTS``, tests/support/
posts/), and the routes that guard nothing, each with its reason (``EXEMPT``). A route in
none of them fails here by name, so a new route cannot go unchecked.

Each route is asked, GET and POST (with the data an allowed person's POST succeeds with, in the
state it needs), by everyone who must be refused it (tests/support/askers.py): another
partnership's person (their session replayed; on their own host naming the owner's reference),
each role that may not, the other agency, another partnership's key. Each must get the answer
due (404 when they cannot see the thing the route names, 403 when they can but may not do
this), never the data (a 404 or 401 holds no reference, child's name or title of the owner's
that the asker did not send), and change nothing (PostgreSQL's own count of the rows written,
tests/support/changes.py; the audit trail records nothing but, through the door, its refusals
and crossings). That the data
succeeds for everyone who may, and that everyone who may read a route reads it, are tested too:
so a refusal is never the data's fault, and the tables' ``may`` are what the routes allow.

The world (tests/support/route_world.py) is built once for the module and rolled back; each test
runs in its own savepoint, its preparations (tests/support/preparations.py) with it.
"""

import json

import pytest

from tests.support.access import ASKED_BY_HTMX, EXEMPT, KEYS, PEOPLE, READS, Access
from tests.support.askers import Asker, refused
from tests.support.changes import Mark
from tests.support.posts import POSTS, Post
from tests.support.route_world import route_world_rolled_back
from tests.support.routes import Pattern, Scope, partnership_routes, path_for, scope

pytestmark = pytest.mark.django_db

PATTERNS = {pattern.name: pattern for pattern in partnership_routes()}
# What the door writes, in both trails, when it refuses or when a request inside it is
# refused: the crossing and the refusal are recorded by design (casework/joint/door.py).
DOOR_ROWS = {"joint_review.refused", "joint_review.entered"}
# The agency API looks an answer's request or an update's action up at home, then in the joint
# reviews its partnership takes part in (api/reviews.py): those crossings are recorded too.
API_THROUGH_THE_DOOR = {"api:information-responses", "api:action-updates"}


@pytest.fixture(scope="module")
def route_world(django_db_setup, django_db_blocker):
    with route_world_rolled_back(django_db_blocker) as world:
        yield world


# --- The tables cover every route --------------------------------------------------------------


def test_every_route_is_checked_or_exempt_with_its_reason():
    unchecked = sorted(set(PATTERNS) - set(READS) - set(POSTS) - set(EXEMPT))
    assert not unchecked, (
        "Routes no ownership case covers: declare who may read them (READS, tests/support/"
        "access.py), who may post to them and with what (POSTS, tests/support/posts/), or why "
        "they guard nothing (EXEMPT): " + ", ".join(unchecked)
    )


def test_the_tables_name_only_routes_that_exist():
    stale = sorted((set(READS) | set(POSTS) | set(EXEMPT)) - set(PATTERNS))
    assert not stale, f"tests/support/ names routes that do not exist: {stale}"
    assert not set(EXEMPT) & (set(READS) | set(POSTS)), "a route both checked and exempt"


# --- Asking ------------------------------------------------------------------------------------


def _target(world, pattern: Pattern, rule: Access) -> Scope:
    named = scope(world, pattern, world.side(rule.owner))
    return rule.prepare(named) if rule.prepare else named


def _markers(world, pattern: Pattern, rule: Access, named: Scope, asker: Asker) -> list[str]:
    """What the asker must not find in a refusal: the thing's references, title and child."""
    joint = world.joint.review
    if (
        rule.through_the_door
        or rule.owner != "croydon"
        or pattern.name.startswith("frontend:review-joint-")
    ):
        # The joint review: its lead (Croydon) knows it.
        return [] if asker.partnership_key == "croydon" else [joint.reference, joint.title]
    side = named.side
    return [
        side.referral.reference,
        named.work.review.reference,
        named.work.review.title,
        side.child.given_name,
        side.child.family_name,
    ]


def _ask(client, method: str, path: str, entry: Post | None, named: Scope, *, htmx=False):
    if method == "GET":
        response = client.get(path, **({"HTTP_HX_REQUEST": "true"} if htmx else {}))
    elif entry.json:
        response = client.post(
            path, data=json.dumps(entry.data(named)), content_type="application/json"
        )
    else:
        response = client.post(path, entry.data(named))
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return ""
    return response.content.decode(errors="replace")


def _refusals(world, pattern: Pattern, method: str, rule: Access, entry: Post | None) -> list:
    """Ask the route as everyone who must be refused; what went wrong, in words."""
    named = _target(world, pattern, rule)
    path = path_for(pattern, named)
    api = pattern.name.startswith("api:")
    problems = []
    for asker in refused(rule, api=api, method=method):
        client = asker.client(world)
        mark = Mark.now(world.partnerships)
        response = _ask(client, method, path, entry, named, htmx=pattern.name in ASKED_BY_HTMX)
        status = response.status_code
        if status != asker.expected:
            problems.append(f"{asker}: {status}, not {asker.expected}")
        if asker.expected != 403:
            # What the asker sent may be echoed (a problem's "instance"); nothing else may.
            body = _body(response)
            markers = _markers(world, pattern, rule, named, asker)
            seen = [m for m in markers if m in body and m not in path]
            if seen:
                problems.append(f"{asker} saw {seen}")
        changed = mark.changes()
        if changed:
            problems.append(f"{asker} changed {changed}")
        crosses = rule.through_the_door or pattern.name in API_THROUGH_THE_DOOR
        allowed = DOOR_ROWS if crosses else set()
        rows = [row for row in mark.trail_rows() if row.action not in allowed]
        if rows:
            problems.append(f"{asker} left {[(r.schema, r.action) for r in rows]} in the trail")
    return problems


READ_ROUTES = sorted(name for name in READS if name in PATTERNS)
POST_ROUTES = sorted(name for name in POSTS if name in PATTERNS)


@pytest.mark.parametrize("name", READ_ROUTES)
def test_a_get_is_refused_to_everyone_who_may_not_read_it(route_world, name):
    pattern, rule = PATTERNS[name], READS[name]
    problems = _refusals(route_world, pattern, "GET", rule, None)
    assert not problems, f"GET {pattern.route}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("name", POST_ROUTES)
def test_a_post_is_refused_to_everyone_who_may_not_make_it(route_world, name):
    pattern, entry = PATTERNS[name], POSTS[name]
    problems = _refusals(route_world, pattern, "POST", entry.access, entry)
    assert not problems, f"POST {pattern.route}:\n  " + "\n  ".join(problems)


POSTERS = [(name, slot) for name in POST_ROUTES for slot in sorted(POSTS[name].access.may)]


@pytest.mark.parametrize(("name", "slot"), POSTERS, ids=[f"{n} as {s}" for n, s in POSTERS])
def test_the_posts_data_succeeds_for_everyone_allowed(route_world, name, slot):
    """The other half of each refusal: the same request, in the same state, by each one who
    may, succeeds and changes something. So a refusal above is the route's check, never bad
    data, and the table's ``may`` is what the route allows."""
    world, pattern, entry = route_world, PATTERNS[name], POSTS[name]
    rule = entry.access
    named = _target(world, pattern, rule)
    poster = Asker(f"{rule.owner}.{slot}", rule.owner, entry.answer, "may")
    client = poster.client(world)
    mark = Mark.now(world.partnerships)
    response = _ask(client, "POST", path_for(pattern, named), entry, named)
    body = _body(response)
    assert response.status_code == entry.answer, (poster.who, response.status_code, body[:2000])
    assert "govuk-error-summary" not in body, body[:4000]
    if entry.changes:
        assert mark.changes(), f"{poster.who}'s POST changed nothing"


READERS = [(name, slot) for name in READ_ROUTES for slot in sorted(READS[name].may)]


@pytest.mark.parametrize(("name", "slot"), READERS, ids=[f"{n} as {s}" for n, s in READERS])
def test_everyone_who_may_read_a_route_gets_it(route_world, name, slot):
    """The other half of each GET refusal: who the table says may read it, reads it. So the
    refusals above are asked of everyone else."""
    world, pattern, rule = route_world, PATTERNS[name], READS[name]
    named = _target(world, pattern, rule)
    reader = Asker(f"{rule.owner}.{slot}", rule.owner, 200, "may")
    response = _ask(
        reader.client(world),
        "GET",
        path_for(pattern, named),
        None,
        named,
        htmx=name in ASKED_BY_HTMX,
    )
    assert response.status_code == 200, (reader.who, response.status_code)


def _only(name: str) -> str | None:
    """The method a route's tables check it for alone: GET (READS), POST (POSTS); None: both."""
    if name in READS and name in POSTS:
        return None
    return "GET" if name in READS else "POST"


SINGLE_METHOD = [name for name in sorted(PATTERNS) if name not in EXEMPT and _only(name)]


@pytest.mark.parametrize("name", SINGLE_METHOD)
def test_a_route_checked_for_one_method_refuses_the_other(route_world, name):
    """A route the tables check for GET alone answers a POST 405, and the other way round: a
    POST added to a page, or a page added to a POST, is unchecked until its table says who may
    (asked by someone who may, past every other check)."""
    world, pattern = route_world, PATTERNS[name]
    checked = _only(name)
    rule = READS[name] if checked == "GET" else POSTS[name].access
    slots = KEYS if name.startswith("api:") else PEOPLE
    slot = next((slot for slot in slots if slot in rule.may), "business_manager")
    named = _target(world, pattern, rule)
    asker = Asker(f"{rule.owner}.{slot}", rule.owner, 405, "may")
    client, path = asker.client(world), path_for(pattern, named)
    response = client.post(path, {}) if checked == "GET" else client.get(path)
    assert response.status_code == 405, (asker.who, response.status_code)


# --- The agency API through the joint-review door ----------------------------------------------

JOINT_API = sorted(API_THROUGH_THE_DOOR)
JOINT_API_ASKERS = [
    Asker("lewisham.other_agency_key", "lewisham", 404, "another agency of the participant"),
    Asker("croydon.agency_key", "croydon", 404, "the lead's agency of the same name"),
    Asker("croydon.other_agency_key", "croydon", 404, "another agency of the lead"),
    Asker("lewisham.agency_key", "croydon", 401, "the agency's key on the lead's host"),
]


@pytest.mark.parametrize("name", JOINT_API)
def test_only_the_agency_a_joint_review_asks_answers_through_the_api(route_world, name):
    """The joint review's request and action are addressed to Lewisham's Met Police (its mirror
    in Croydon's schema, where they live): its key, on its own host, answers them; no other
    agency's key does, the lead's own Met Police included, and nothing changes."""
    world, pattern, entry = route_world, PATTERNS[name], POSTS[name]
    named = Scope(world, world.lewisham, world.joint.work)
    path = path_for(pattern, named)
    problems = []
    for asker in JOINT_API_ASKERS:
        mark = Mark.now(world.partnerships)
        response = _ask(asker.client(world), "POST", path, entry, named)
        if response.status_code != asker.expected:
            problems.append(f"{asker}: {response.status_code}, not {asker.expected}")
        if world.joint.review.reference in _body(response):
            problems.append(f"{asker} saw the joint review's reference")
        if mark.changes():
            problems.append(f"{asker} changed {mark.changes()}")
    assert not problems, "\n".join(problems)
    mark = Mark.now(world.partnerships)
    response = _ask(
        Asker("lewisham.agency_key", "lewisham", 201, "may").client(world),
        "POST",
        path,
        entry,
        named,
    )
    assert response.status_code == 201, response.content
    assert mark.changes()
