"""Reading identifiers (tenants/validation.py): a malformed value finds nothing, the same 404 as
a missing record, wherever it is read; and the service errors gathered before raising."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from casework.selectors import access_review
from publishing.selectors import access_publication, public_publication
from tenants.actors import actor_for_member
from tenants.models import Membership, Role
from tenants.validation import (
    error_add,
    error_text,
    errors_raise,
    reference_parse,
    uuid_or_404,
    uuid_parse,
)
from tests.support.world import inside, make_member

MALFORMED = ["not-a-uuid", "", None, 42, "1234", "g" * 32, {"a": 1}]


@pytest.mark.parametrize("value", MALFORMED)
def test_a_malformed_uuid_is_none_or_the_404_of_a_missing_record(value):
    assert uuid_parse(value) is None
    with pytest.raises(Http404, match="No such record"):
        uuid_or_404(value)


def test_a_uuid_reads_from_its_text_in_any_case_and_as_itself():
    value = uuid.uuid4()
    assert uuid_parse(value) is value
    assert uuid_parse(str(value).upper()) == value
    assert uuid_or_404(value.hex) == value
    with pytest.raises(Http404, match="No such invitation"):
        uuid_or_404("x", "No such invitation.")


def test_a_reference_typed_in_lower_case_is_the_stored_one():
    assert reference_parse("cro-2026-0042") == "CRO-2026-0042"
    assert reference_parse("CRO-R-2026-0001") == "CRO-R-2026-0001"


def test_errors_are_gathered_by_field_then_raised_together():
    errors: dict[str, list[str]] = {}
    errors_raise(errors)  # nothing to say: nothing raised
    error_add(errors, "title", "Give it a title.")
    error_add(errors, "title", "Keep it short.")
    error_add(errors, "file", "Choose a file.")
    with pytest.raises(ValidationError) as raised:
        errors_raise(errors)
    assert raised.value.message_dict == {
        "title": ["Give it a title.", "Keep it short."],
        "file": ["Choose a file."],
    }
    assert (
        error_text(raised.value) == "title: Give it a title. Keep it short.; file: Choose a file."
    )
    assert error_text(ValidationError(["One thing.", "Another."])) == "One thing. Another."


@pytest.mark.parametrize("value", ["not-a-uuid", str(uuid.uuid4())])
def test_selectors_answer_a_malformed_and_a_missing_uuid_alike(croydon, value):
    chair = make_member(croydon, "chair@croydon.example", Role.CHAIR)
    with inside(croydon):
        membership = Membership.objects.get(user=chair, partnership=croydon)
        actor = actor_for_member(membership=membership)
        with pytest.raises(Http404):
            access_publication(actor=actor, publication_uuid=value)
        assert public_publication(publication_uuid=value) is None
        with pytest.raises(Http404):
            access_review(actor=actor, reference=value)
