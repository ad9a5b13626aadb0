"""The house rules that keep the wall standing, checked on the code itself."""

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_PACKAGES = ["tenants", "casework", "publishing", "api", "frontend", "safeguard"]
SCHEMA_SWITCHES = {
    "set_schema",
    "set_tenant",
    "set_schema_to_public",
    "tenant_context",
    "schema_context",
}
# Where switching schemas is part of the job (STYLE.md rule 2): routing a request, fanning a
# periodic job out over partnerships, management commands, keeping the template schema
# migrated, and the joint-review door. Every other module works in the schema it was called in.
ALLOWED = {
    "safeguard/db_backend/base.py",  # the backend that implements set_tenant
    "tenants/middleware.py",
    "tenants/tasks.py",
    "tenants/management/commands/audit_verify.py",
    "tenants/management/commands/create_agency_key.py",
    "tenants/management/commands/create_user.py",
    "safeguard/demo/management/commands/load_demo.py",
    "tenants/management/commands/migrate_schemas.py",
    "casework/management/commands/regime_check.py",  # lists each partnership's referrals
    "casework/joint/door.py",  # the joint-review door (DESIGN §3), the only one between schemas
}


def _python_files():
    for package in APP_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_only_the_allowed_modules_switch_schemas():
    offenders = []
    for path in _python_files():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            name = None
            if isinstance(node, ast.Attribute):
                name = node.attr
            elif isinstance(node, ast.Name):
                name = node.id
            elif isinstance(node, ast.ImportFrom):
                names = {alias.name for alias in node.names} & SCHEMA_SWITCHES
                name = next(iter(names), None)
            if name in SCHEMA_SWITCHES:
                relative = path.relative_to(ROOT).as_posix()
                if relative not in ALLOWED:
                    offenders.append(f"{relative}:{node.lineno} {name}")
    assert not offenders, "schema switched outside the allowed modules:\n" + "\n".join(offenders)


def test_the_import_contracts_hold():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_finds_nothing():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "ruff"), "check", "--quiet", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_template_loads_anything_from_another_site():
    external = ('src="http', 'src="//', 'href="http', 'href="//')
    for path in (ROOT / "frontend" / "templates").rglob("*.html"):
        text = path.read_text()
        assert not [marker for marker in external if marker in text], path


def _role_members(node) -> int:
    """How many ``Role.X`` a literal names."""
    return sum(
        1
        for item in node
        if isinstance(item, ast.Attribute)
        and isinstance(item.value, ast.Name)
        and item.value.id == "Role"
    )


def test_groups_of_roles_are_declared_once_in_tenants_roles():
    """A group of roles (a tuple, list or set of ``Role.X``, or ``has_role``/``require_role``
    given more than one) is written in ``tenants/roles.py`` and named everywhere else, so that
    who "the review group" is cannot differ between two modules."""
    offenders = []
    for path in _python_files():
        relative = path.relative_to(ROOT).as_posix()
        if relative == "tenants/roles.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Tuple | ast.List | ast.Set) and _role_members(node.elts) > 1:
                offenders.append(f"{relative}:{node.lineno} a group of roles")
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("has_role", "require_role")
                and len(node.args) > 1
            ):
                offenders.append(f"{relative}:{node.lineno} {node.func.attr} with several roles")
    assert not offenders, "roles grouped outside tenants/roles.py:\n" + "\n".join(offenders)


CLOCK_PATCH = re.compile(r"setattr\([^)]*[\"'](today|now)[\"']")


def test_the_platform_reads_the_time_from_one_clock():
    """``tenants.clock`` is the one ``today()`` and ``now()``: no other module asks Django or
    Python for the time or defines a clock of its own, and no test patches one (they stop the
    clock with the ``clock`` fixture, tests/support/clock.py)."""
    reads = {("timezone", "now"), ("timezone", "localdate"), ("date", "today"), ("datetime", "now")}
    offenders = []
    for path in _python_files():
        relative = path.relative_to(ROOT).as_posix()
        if relative == "tenants/clock.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name | ast.Attribute)
                and (getattr(node.func.value, "id", None) or node.func.value.attr, node.func.attr)
                in reads
                and not node.args  # timezone.localdate(moment) converts; it does not read
            ):
                offenders.append(f"{relative}:{node.lineno} reads the time itself")
            elif isinstance(node, ast.FunctionDef) and node.name in ("today", "now"):
                offenders.append(f"{relative}:{node.lineno} defines {node.name}()")
    for path in (ROOT / "tests").rglob("*.py"):
        if CLOCK_PATCH.search(path.read_text()):
            offenders.append(f"{path.relative_to(ROOT).as_posix()} patches the clock")
    assert not offenders, "time read outside tenants.clock:\n" + "\n".join(offenders)


def test_identifiers_are_read_by_one_parser():
    """A UUID from an address, a form or a body is read by ``tenants.validation`` only, so that a
    malformed one is everywhere the same 404 as a missing one; only a literal may be made here."""
    offenders = []
    for path in _python_files():
        relative = path.relative_to(ROOT).as_posix()
        if relative == "tenants/validation.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "UUID"
                and not all(isinstance(arg, ast.Constant) for arg in node.args)
            ):
                offenders.append(f"{relative}:{node.lineno} parses a UUID itself")
    assert not offenders, "UUIDs parsed outside tenants.validation:\n" + "\n".join(offenders)


def test_no_private_name_is_imported_from_another_module():
    """A name shared between modules is public (``form_layout``, ``content_type_sniff``,
    ``reference_next``); a leading underscore means "this module's own"."""
    offenders = []
    for path in _python_files():
        relative = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        offenders.append(f"{relative}:{node.lineno} {node.module}.{alias.name}")
    assert not offenders, "private names imported:\n" + "\n".join(offenders)


TEMPLATE_ROLE_CHECK = re.compile(r"\brole\s*[!=]=|[!=]=\s*[\"'](?:%s)[\"']")


def _role_check_offences(relative: str, text: str) -> list[str]:
    """Where a web or API module decides by role: a ``has_role``/``require_role`` call, a
    ``Role.X`` member, a group of roles from ``tenants.roles``; in a template, a comparison
    with a role."""
    import tenants.roles

    groups = {name for name in vars(tenants.roles) if name.isupper()}
    if relative.endswith(".html"):
        roles = "|".join(role.value for role in tenants.roles.Role)
        pattern = re.compile(TEMPLATE_ROLE_CHECK.pattern % roles)
        return [
            f"{relative}:{number} compares a role"
            for number, line in enumerate(text.splitlines(), 1)
            if pattern.search(line)
        ]
    offences = []
    for node in ast.walk(ast.parse(text, filename=relative)):
        if isinstance(node, ast.Attribute) and node.attr in ("has_role", "require_role"):
            offences.append(f"{relative}:{node.lineno} {node.attr}")
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "Role"
            and node.attr.isupper()
        ):
            offences.append(f"{relative}:{node.lineno} Role.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module == "tenants.roles":
            named = [alias.name for alias in node.names if alias.name in groups]
            offences += [f"{relative}:{node.lineno} imports {name}" for name in named]
    return offences


def test_the_web_and_the_api_ask_the_permissions_and_name_no_role():
    """Who may do what is declared once, in each domain app's ``permissions`` module
    (``casework.permissions``, ``tenants.agencies.permissions``); services enforce it. The web
    pages, their templates and the API only ask a ``may_*`` what to offer: a role named there is
    a rule that can drift from the one the service enforces."""
    offenders = []
    for package in ("frontend", "api"):
        for path in sorted((ROOT / package).rglob("*")):
            relative = path.relative_to(ROOT).as_posix()
            if path.suffix not in (".py", ".html") or "node_modules" in path.parts:
                continue
            offenders += _role_check_offences(relative, path.read_text())
    assert not offenders, "roles checked in the web or the API:\n" + "\n".join(offenders)


def test_the_role_check_finds_what_it_looks_for():
    """The check above, on the kinds of line it is there to catch (and one it must let be)."""
    view = (
        "from tenants.roles import MANAGERS, Role\n"
        "def page(request):\n"
        "    request.actor.require_role(*MANAGERS)\n"
        "    shown = request.actor.has_role(Role.CHAIR)\n"
        "    choices = Role.choices\n"
    )
    assert [offence.split(" ", 1)[1] for offence in _role_check_offences("v.py", view)] == [
        "imports MANAGERS",
        "require_role",
        "has_role",
        "Role.CHAIR",
    ]
    template = '{% if actor.role == "chair" %}x{% endif %}\n{% if menu.reviews %}y{% endif %}\n'
    assert _role_check_offences("t.html", template) == ["t.html:1 compares a role"]


MODULE_LINES_AT_MOST = 500


def test_no_module_outgrows_one_idea():
    """Issue 11 (STYLE.md, "Layout by topic"): no module over 500 lines outside migrations, in
    the code and in the tests; a module that grows past it is split by topic, not trimmed."""
    tests = [path for path in (ROOT / "tests").rglob("*.py")]
    too_long = sorted(
        f"{path.relative_to(ROOT)}: {lines} lines"
        for path in [*_python_files(), *tests]
        if (lines := len(path.read_text().splitlines())) > MODULE_LINES_AT_MOST
    )
    assert not too_long, "Split by topic:\n" + "\n".join(too_long)
