"""Everyone who must be refused a route, and the answer due to each (tests/support/access.py
says who may).

For a route of Croydon's host naming Croydon's thing (``Access.owner``):

- **a role that may not**: each of Croydon's people and agency systems not in ``may``, signed in
  on Croydon's host (a key: on the API's routes): 403 when they see the thing, else 404;
- **another agency**: the other agency's user and key are among those slots;
- **another partnership's person**: Lewisham's person of the slot that may (or the business
  manager), their session replayed on Croydon's host: 404 (the session is bound to
  Lewisham); and on Lewisham's own host naming Croydon's reference or UUID: 404;
- **another partnership's key** (the API's routes): Lewisham's key on Croydon's host is unknown
  there: 401, as every key on a host not its own (tests/support/isolation.py); on Lewisham's own
  host naming Croydon's thing: 404.

Routes that name no thing (a list, a form) are not asked by another partnership on its own host:
there the page is that partnership's own.

For a route the joint-review door serves on the participant's (Lewisham's) host: Lewisham's
slots that may not; Bexley's business manager, whose partnership takes no part, on Bexley's host:
404; Croydon's person, the lead's, on its own host through the door: its people use the review's
own pages, a POST through the door is a 404 (a GET, a redirect to that page: not asked); and
Lewisham's session replayed on Croydon's host: 404. For the invitations Lewisham answers on its
own host: Croydon's person and Bexley's, each on their own host: 404.
"""

from dataclasses import dataclass

from django.test import Client

from tests.support.access import KEYS, PEOPLE, Access
from tests.support.clients import api_client, replay_on, signed_in_client
from tests.support.route_world import RouteWorld

OTHER = {"croydon": "lewisham", "lewisham": "croydon"}


@dataclass(frozen=True)
class Asker:
    """``who`` ("lewisham.chair", "croydon.agency_key", "bexley.business_manager") asking on
    ``host``'s host; ``replayed``: with the session they signed in with on their own host."""

    who: str
    host: str
    expected: int
    why: str
    replayed: bool = False

    @property
    def partnership_key(self) -> str:
        return self.who.split(".")[0]

    @property
    def slot(self) -> str:
        return self.who.split(".")[1]

    @property
    def is_key(self) -> bool:
        return self.slot in KEYS

    def client(self, world: RouteWorld) -> Client:
        host = _partnership(world, self.host)
        home = _partnership(world, self.partnership_key)
        if self.is_key:
            return api_client(host, world.side(self.partnership_key).keys[self.slot])
        person = _person(world, self.who)
        if self.replayed:
            return replay_on(signed_in_client(person, home), host)
        return signed_in_client(person, host)

    def __str__(self) -> str:
        on = f"{'replayed ' if self.replayed else ''}on {self.host}"
        return f"{self.who} {on} ({self.why})"


def _partnership(world: RouteWorld, key: str):
    if key == "bexley":
        return world.joint.outsider
    return world.side(key).partnership


def _person(world: RouteWorld, who: str):
    key, slot = who.split(".")
    if key == "bexley":
        return world.joint.outsider_person
    return world.side(key).people[slot]


def refused(rule: Access, *, api: bool, method: str) -> list[Asker]:
    """Everyone who must be refused ``rule``'s route, with the answer due to each."""
    owner = rule.owner
    slots = KEYS if api else PEOPLE
    askers = [
        Asker(f"{owner}.{slot}", owner, rule.refusal(slot), "a role that may not")
        for slot in slots
        if slot not in rule.may
    ]
    # The one who may, in another partnership (a person the door admits, when no one may).
    same = next((slot for slot in slots if slot in rule.may), slots[0])
    if api:
        other = OTHER[owner]
        askers.append(Asker(f"{other}.{same}", owner, 401, "another partnership's key"))
        if rule.names_a_thing:
            askers.append(
                Asker(f"{other}.{same}", other, 404, "another partnership's key on its own host")
            )
        return askers
    if rule.through_the_door:
        askers.append(
            Asker("bexley.business_manager", "bexley", 404, "a partnership not taking part")
        )
        if method == "POST":
            askers.append(
                Asker(f"croydon.{same}", "croydon", 404, "the lead's person, through the door")
            )
        askers.append(
            Asker(f"lewisham.{same}", "croydon", 404, "a participant's session", replayed=True)
        )
        return askers
    other = OTHER[owner]
    askers.append(
        Asker(f"{other}.{same}", owner, 404, "another partnership's session", replayed=True)
    )
    if rule.names_a_thing:
        askers.append(Asker(f"{other}.{same}", other, 404, "another partnership, its own host"))
        if owner == "lewisham":
            askers.append(
                Asker("bexley.business_manager", "bexley", 404, "a partnership taking no part")
            )
    return askers
