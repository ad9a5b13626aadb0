"""Which PostgreSQL role a process connects as, and what ``make run`` recorded for later commands.

Two roles (DESIGN §5, README "Least privilege"):

- the **owner** (``DATABASE_OWNER_URL``) owns every schema, table, sequence and function.
  Migrations and creating partnerships (a schema cloned from the template: DDL) run as it;
- the **runtime** role (``DATABASE_URL``) owns nothing and is not a superuser. The web, the
  Celery workers and beat connect as it; it may read and write casework, and only insert and
  read the audit trail (``tenants.privileges``).

A management command that needs the owner is named once, in ``OWNER_COMMANDS``: ``manage.py``
calls ``choose_role`` with its arguments before the settings load, so that
``manage.py migrate_schemas`` connects as the owner by itself. Any other process connects as the
runtime role unless ``SAFEGUARD_DATABASE_ROLE=owner`` is set.

Nothing here imports Django: ``manage.py`` and ``safeguard.localdev`` use it before Django is set
up.
"""

import hashlib
import json
import os
from pathlib import Path

ROLE_VARIABLE = "SAFEGUARD_DATABASE_ROLE"
OWNER = "owner"

# Commands that create or change schemas, tables or functions (DDL), or remove data wholesale.
OWNER_COMMANDS = frozenset(
    {
        "migrate",
        "migrate_schemas",
        "create_partnership",
        "load_demo",
        "createcachetable",
        "flush",
        "pgtrigger",
        # django-tenants' own, for completeness: the platform uses create_partnership.
        "create_tenant",
        "clone_tenant",
        "delete_tenant",
        "rename_schema",
    }
)

RECORD_FILE = "database.json"


def choose_role(argv: list[str]) -> None:
    """Before the settings load: connect as the owner when ``argv`` runs an owner command."""
    if len(argv) > 1 and argv[1] in OWNER_COMMANDS:
        os.environ.setdefault(ROLE_VARIABLE, OWNER)


def connects_as_owner() -> bool:
    return os.environ.get(ROLE_VARIABLE, "") == OWNER


def record_write(
    data_dir: Path, *, url: str, owner_url: str, embedded_pgdata: str | None = None
) -> None:
    """Remember the database ``make run`` used, for commands run later without ``DATABASE_URL``
    (outside production settings only; see safeguard/settings/base.py)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / RECORD_FILE
    path.write_text(
        json.dumps(
            {"url": url, "owner_url": owner_url, "embedded_pgdata": embedded_pgdata}, indent=2
        )
    )
    path.chmod(0o600)


def record_read(data_dir: Path) -> dict:
    """What ``record_write`` wrote, or nothing."""
    path = data_dir / RECORD_FILE
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return {}


def database_name_for_tests(base_dir: Path) -> str:
    """One test database per checkout, so two clones can run their suites side by side."""
    return os.environ.get(
        "TEST_DATABASE_NAME",
        "test_safeguard_" + hashlib.sha256(str(base_dir).encode()).hexdigest()[:8],
    )
