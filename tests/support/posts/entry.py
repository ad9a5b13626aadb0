"""What one POST route's entry says (tests/support/posts/ holds one per route): who may post
it and the state it needs (its ``Access``), the data that succeeds for them, and the answer they
get."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.support.access import Access, access, through_the_door
from tests.support.route_casework import days
from tests.support.routes import Scope


@dataclass(frozen=True)
class Post:
    """A POST route: ``access`` (who may, what it names, the state it needs), ``data(scope)``
    (its form fields and files; with ``json``, the API's body), ``answer`` (the status of
    everyone who may), ``changes`` (False: it only shows something)."""

    access: Access
    data: Callable[[Scope], dict]
    answer: int = 302
    json: bool = False
    changes: bool = True


def post(data, thing, *may, owner="croydon", prepare=None, **options) -> Post:
    """A POST on ``owner``'s host, naming its ``thing``, that ``may`` may make."""
    return Post(access(thing, *may, owner=owner, prepare=prepare), data, **options)


def door(data, thing, *may, prepare=None, **options) -> Post:
    """A POST through the joint-review door, by the participant's people."""
    return Post(through_the_door(thing, *may, prepare=prepare), data, **options)


def on(n: int) -> str:
    return days(n).isoformat()


def agency_named(s: Scope):
    """The agency a review's form names: through the door, the participant's own (its mirror
    in the lead's schema); at home, the referring agency."""
    return s.world.joint.mirror if s.work is s.world.joint.work else s.side.agency


def upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
