"""What a newcomer types works (issue 10, item 6): every shell example in README.md that runs
``manage.py`` is run as written, in a shell of its own, with nothing but what ``make run``
leaves behind — its data directory (the generated secret key, the database URLs it used) —
and its output is checked against the ``# …`` lines the README shows under each command.

The examples are read from README.md, so a new one cannot be missed. They run against the test
database: croydon and its Met Police agency are committed for them (a shell sees only committed
rows), and what they add is removed afterwards. ``127.0.0.1:8000`` (the server ``make run``
starts) is a live server on the test database here.
"""

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connection
from django.test.testcases import LiveServerThread

from safeguard.localdev import record_for_commands
from tenants.agencies.models import Agency, AgencyApiKey, AgencyKind
from tenants.selectors import host_cache_clear
from tests.support.database import database_url_for_tests
from tests.support.world import ensure_partnership, inside

README = Path(settings.BASE_DIR) / "README.md"
MAKE_RUN_ADDRESS = "127.0.0.1:8000"

pytestmark = pytest.mark.committed


def shell_examples(text: str) -> list[str]:
    """The ```sh blocks of the README that run manage.py (in a list item too)."""
    blocks = re.findall(r"^[ \t]*```sh\n(.*?)^[ \t]*```", text, flags=re.MULTILINE | re.DOTALL)
    return [textwrap.dedent(block) for block in blocks if "manage.py" in block]


def expectations(block: str) -> list[str]:
    """The ``# …`` lines right under a command: what it prints, "…" standing for anything."""
    expected, previous = [], ""
    for line in block.splitlines():
        stripped = line.strip()
        if stripped.startswith("# ") and previous and not previous.startswith("#"):
            expected.append(stripped[2:])
            continue
        previous = stripped
    return expected


def matches(expected: str, line: str) -> bool:
    if expected.startswith("{"):
        try:
            return _json_matches(json.loads(expected), json.loads(line))
        except ValueError:
            return False
    pattern = ".*".join(re.escape(part) for part in expected.split("…"))
    return re.fullmatch(pattern, line.strip()) is not None


def _json_matches(expected, actual) -> bool:
    if expected == "…":
        return True
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and expected.keys() == actual.keys()
            and all(_json_matches(expected[key], actual[key]) for key in expected)
        )
    return expected == actual


def test_the_readme_shows_its_manage_py_examples():
    examples = shell_examples(README.read_text())
    joined = "\n".join(examples)
    assert "manage.py create_agency_key croydon --agency 'Met Police' | tail -1" in joined
    assert "manage.py audit_verify croydon" in joined
    assert all(expectations(block) for block in examples), "an example shows no output"


@pytest.fixture
def after_make_run(tmp_path, django_db_setup, django_db_blocker):
    """A data directory as ``make run`` leaves it (on the test database), croydon with its
    Met Police agency committed, and a server where ``make run``'s would be. Afterwards the
    agency, the keys and the audit rows the examples added are removed (the trail's rows by
    its owner, from its end: the chain stays whole)."""
    with django_db_blocker.unblock():
        croydon = ensure_partnership("croydon")
        with inside(croydon):
            agency, created = Agency.objects.get_or_create(
                name="Met Police", home_partnership_key="", defaults={"kind": AgencyKind.POLICE}
            )
            keys_before = set(AgencyApiKey.objects.values_list("pk", flat=True))
            trail_end = _trail_end()
        data_dir = tmp_path / "data"
        record_for_commands(
            data_dir,
            url=database_url_for_tests(),
            owner_url=database_url_for_tests(owner=True),
            embedded_pgdata=None,
        )
        server = LiveServerThread("127.0.0.1", StaticFilesHandler, connections_override={})
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        try:
            yield data_dir, f"127.0.0.1:{server.port}"
        finally:
            server.terminate()
            with inside(croydon):
                AgencyApiKey.objects.exclude(pk__in=keys_before).delete()
                if created:
                    agency.delete()
                _trail_cut(trail_end)
            connection.set_schema_to_public()
            host_cache_clear()


def _trail_end() -> int:
    with connection.cursor() as cursor:
        cursor.execute('SELECT coalesce(max("position"), 0) FROM workspace_auditevent')
        return cursor.fetchone()[0]


def _trail_cut(end: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE workspace_auditevent DISABLE TRIGGER USER")
        cursor.execute('DELETE FROM workspace_auditevent WHERE "position" > %s', [end])
        cursor.execute("ALTER TABLE workspace_auditevent ENABLE TRIGGER USER")


def _clean_environment(data_dir: Path) -> dict[str, str]:
    """A new shell's: no SECRET_KEY, no DATABASE_URL, no settings module; DATA_DIR only
    because the checkout's own .data belongs to the developer's `make run`."""
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(data_dir.parent),
        "LANG": "C.UTF-8",
        "DATA_DIR": str(data_dir),
    }


def _run(script: str, data_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=settings.BASE_DIR,
        env=_clean_environment(data_dir),
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_every_manage_py_example_in_the_readme_works_as_written(after_make_run):
    data_dir, address = after_make_run
    examples = shell_examples(README.read_text())
    assert examples
    for block in examples:
        result = _run(block.replace(MAKE_RUN_ADDRESS, address), data_dir)
        assert result.returncode == 0, f"{block}\n--- exit {result.returncode}:\n{result.stderr}"
        lines = [line for line in result.stdout.splitlines() if line.strip()]
        for expected in expectations(block):
            assert any(matches(expected, line) for line in lines), (
                f"{block}\n--- expected a line like {expected!r}, got:\n{result.stdout}"
            )


def test_the_agency_key_example_captures_a_key_that_works(after_make_run):
    data_dir, address = after_make_run
    script = (
        "key=$(.venv/bin/python manage.py create_agency_key croydon --agency 'Met Police' "
        "| tail -1)\n"
        f"curl -s -H 'Host: croydon.localhost' -H \"Authorization: Api-Key $key\" "
        f"http://{address}/api/v1/whoami/"
    )
    result = _run(script, data_dir)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["partnership"]["key"] == "croydon"
    assert answer["agency"]["name"] == "Met Police"


def test_a_failing_command_prints_its_error_to_stderr_never_as_the_key(after_make_run):
    data_dir, _ = after_make_run
    result = _run(
        "key=$(.venv/bin/python manage.py create_agency_key croydon --agency 'Nobody' "
        '| tail -1); printf "%s" "$key"',
        data_dir,
    )
    assert result.returncode != 0
    assert result.stdout == ""
    assert "has no agency called 'Nobody'" in result.stderr


def test_the_commands_use_what_make_run_recorded_not_a_default(after_make_run):
    data_dir, _ = after_make_run
    probe = (
        ".venv/bin/python manage.py shell -c "
        "\"from django.db import connection; print(connection.settings_dict['USER'], "
        "connection.settings_dict['NAME'])\""
    )
    result = _run(probe, data_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        settings.DATABASE_RUNTIME_ROLE,
        connection.settings_dict["NAME"],
    ]


def test_a_command_after_make_run_on_the_embedded_server_starts_it(tmp_path):
    """When make run used the embedded PostgreSQL, a command run later starts it (pgserver
    shares one server between processes and stops it when the last one ends): the settings ask
    for it, with the data directory make run recorded. pgserver itself is stood in for here."""
    data_dir = tmp_path / "data"
    socket = quote(str(tmp_path / "pgdata"), safe="")
    record_for_commands(
        data_dir,
        url=f"postgresql://safeguard_app@{socket}/safeguard",
        owner_url=f"postgresql://safeguard_owner@{socket}/safeguard",
        embedded_pgdata=str(tmp_path / "pgdata"),
    )
    probe = (
        "import safeguard.localdev as localdev\n"
        "started = []\n"
        "localdev.embedded_server_start = started.append\n"
        "from django.conf import settings\n"
        "database = settings.DATABASES['default']\n"
        "print(started[0], database['USER'], database['HOST'], bool(settings.SECRET_KEY))\n"
    )
    env = _clean_environment(data_dir) | {"DJANGO_SETTINGS_MODULE": "safeguard.settings.base"}
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        str(tmp_path / "pgdata"),
        "safeguard_app",
        str(tmp_path / "pgdata"),
        "True",
    ]
