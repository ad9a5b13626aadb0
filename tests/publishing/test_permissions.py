"""Who may do what with publications is declared once, in ``publishing/permissions.py``: the
services and selectors ask it, and no other module of publishing, nor its pages, names a role."""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from publishing import permissions
from tenants.actors import Actor
from tenants.roles import Role

ROOT = Path(__file__).resolve().parents[2]
# Publishing's modules and pages; the roles' groups are tenants/roles.py's, the rules on them
# publishing/permissions.py's.
PUBLISHING_CODE = [
    *ROOT.glob("publishing/services/*.py"),
    ROOT / "publishing/selectors.py",
    *ROOT.glob("publishing/library/*.py"),
    *ROOT.glob("frontend/views/publications/*.py"),
    ROOT / "frontend/views/public_reviews.py",
    ROOT / "frontend/views/library.py",
    ROOT / "frontend/forms/publications.py",
    ROOT / "api/library.py",
    ROOT / "frontend/templates/publications/publication.html",
]
ROLE_CHECK = re.compile(
    r"has_role\(|require_role\(|\bRole\.|\bMANAGERS\b|\bREVIEW_GROUP\w*|is_manager|is_chair"
)


@pytest.mark.parametrize("path", PUBLISHING_CODE, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_role_is_checked_outside_the_permissions(path):
    found = [
        f"{number}: {line.strip()}"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if ROLE_CHECK.search(line)
    ]
    assert not found, f"{path.relative_to(ROOT)} checks roles itself: {found}"


def person(role: str) -> Actor:
    return Actor(partnership=None, kind="user", label=f"{role}@example", role=role)


PLATFORM = Actor(partnership=None, kind="system", label="platform")
AGENCY_SYSTEM = Actor(partnership=None, kind="api_key", label="key")
# A publication entered directly: no review, so no lead reviewer is appointed to it.
ENTERED = SimpleNamespace(review_id=None)

LEADS = {Role.BUSINESS_MANAGER, Role.CHAIR}
EXPECTED = {
    "may_start_publication": (LEADS, True),
    "may_edit_publication": (LEADS, True),
    "may_record_notice": (LEADS, True),
    "may_publish_publication": (LEADS, True),
    "may_edit_briefing": (LEADS, True),
    "may_prepare_publication": (LEADS, True),
    "may_accept_finding": ({Role.CHAIR}, False),
    "may_write_statement": ({Role.CHAIR}, True),
    "may_decide_copy_requests": ({Role.BUSINESS_MANAGER}, False),
    "may_see_publications": (
        {Role.BUSINESS_MANAGER, Role.CHAIR, Role.REVIEW_GROUP_MEMBER, Role.LEAD_REVIEWER},
        False,
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_permission_is_the_roles_it_names(name):
    roles, platform = EXPECTED[name]
    may = getattr(permissions, name)
    ask = may if name in ("may_start_publication", "may_decide_copy_requests") else None

    def allowed(actor) -> bool:
        if ask is not None or name == "may_see_publications":
            return may(actor)
        return may(actor, ENTERED)

    assert {role for role in Role.values if allowed(person(role))} == roles
    assert allowed(PLATFORM) is platform
    assert allowed(AGENCY_SYSTEM) is False


def test_a_refusal_is_a_403_with_the_reason():
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied, match="does not allow"):
        permissions.require_accept_finding(person(Role.BUSINESS_MANAGER), ENTERED)
    with pytest.raises(PermissionDenied, match="review's reviewer"):
        permissions.require_prepare_publication(person(Role.REVIEW_GROUP_MEMBER), ENTERED)
    permissions.require_publish_publication(PLATFORM, ENTERED)
