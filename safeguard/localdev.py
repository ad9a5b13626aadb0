"""The two README commands' engine: find a database, then run the platform or the tests.

    python -m safeguard.localdev run     # migrate, demo data, web + worker + beat
    python -m safeguard.localdev test    # the whole test suite
    python -m safeguard.localdev database-url   # the runtime role's URL, then the owner's

The database is ``DATABASE_URL`` (and ``DATABASE_OWNER_URL``) when set; else the PostgreSQL on
127.0.0.1:5432 when one answers; else an embedded PostgreSQL from the ``pgserver`` package, kept
in ``.data/pgdata`` and running for as long as this process does. As root, pgserver creates a
system user for PostgreSQL and opens the permissions of the data directory's parents to it.

On the local or embedded server, connecting as the superuser ``postgres`` only for this, it
creates the two roles of safeguard/database.py (``safeguard_owner``, ``safeguard_app``) and the
database, owned by the owner; a database an earlier ``make run`` made as ``postgres`` is
adopted (its schemas and objects given to the owner). Then the owner migrates and loads the
demo, and the web, worker and beat connect as the runtime role. ``make run`` records the
secret key and database URLs in ``.data`` for the README's ``manage.py`` commands.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

from safeguard import database

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / ".data"))
LOCAL_SERVER = "postgresql://{user}@127.0.0.1:5432/{name}"
DATABASE_NAME = os.environ.get("DATABASE_NAME", "safeguard")
# The two roles of safeguard/database.py, created on the local or embedded server.
OWNER_ROLE = "safeguard_owner"
RUNTIME_ROLE = "safeguard_app"
# Gives every schema and object of a database to the database's owner (also run by the
# compose file's database container, deploy/postgres-init/).
ADOPT_SQL = BASE_DIR / "deploy" / "postgres-init" / "20-adopt-objects.sql"

_embedded = None  # keeps the embedded server alive while this process runs


def _say(message: str) -> None:
    print(f"[safeguard] {message}", flush=True)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _prepare_roles(admin_url: str) -> None:
    """As the superuser: the owner role (may create databases, nothing more) and the runtime
    role (may log in, nothing more), whatever they were before. The owner may act as the
    runtime role (SET ROLE), which the test suite uses to prove what that role may do."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        for role, attributes in (
            (OWNER_ROLE, "LOGIN CREATEDB NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS"),
            (
                RUNTIME_ROLE,
                "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS",
            ),
        ):
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone()
            verb = "ALTER" if exists else "CREATE"
            conn.execute(f"{verb} ROLE {_quoted(role)} WITH {attributes}")
            if not exists:
                _say(f"created the database role {role}")
        conn.execute(f"GRANT {_quoted(RUNTIME_ROLE)} TO {_quoted(OWNER_ROLE)}")


def _ensure_database(admin_url: str, name: str, *, adopt: bool = True) -> None:
    """The database ``name``, owned by the owner role. One made earlier by the superuser (an
    earlier ``make run``) is adopted: its schemas and objects are given to the owner role."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        row = conn.execute(
            "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if row is None:
            conn.execute(f"CREATE DATABASE {_quoted(name)} OWNER {_quoted(OWNER_ROLE)}")
            _say(f"created database {name}")
            return
        if row[0] != OWNER_ROLE:
            conn.execute(f"ALTER DATABASE {_quoted(name)} OWNER TO {_quoted(OWNER_ROLE)}")
            _say(f"database {name} now belongs to {OWNER_ROLE} (it was {row[0]}'s)")
    if adopt:
        admin = urlparse(admin_url)
        with psycopg.connect(
            admin._replace(path=f"/{name}").geturl(), autocommit=True, connect_timeout=5
        ) as conn:
            conn.execute(ADOPT_SQL.read_text())


def _as(url: str, user: str, name: str) -> str:
    """``url`` (the superuser's, on any database) for ``user`` on the database ``name``."""
    parts = urlparse(url)
    host = parts.netloc.split("@", 1)[-1]
    return parts._replace(netloc=f"{user}@{host}", path=f"/{name}").geturl()


def _local_postgres_answers() -> bool:
    import psycopg

    try:
        with psycopg.connect(
            LOCAL_SERVER.format(user="postgres", name="postgres"), connect_timeout=2
        ):
            return True
    except psycopg.OperationalError:
        return False


def embedded_server_start(pgdata: Path):
    """The embedded PostgreSQL in ``pgdata``, started if it is not running, and kept running
    for as long as this process (or another that started it) runs."""
    global _embedded
    import pgserver

    pgdata.mkdir(parents=True, exist_ok=True)
    _embedded = pgserver.get_server(pgdata, cleanup_mode="stop")
    return _embedded


def _embedded_admin_url() -> str:
    server = embedded_server_start(DATA_DIR / "pgdata")
    uri = urlparse(server.get_uri("postgres"))
    socket_dir = parse_qs(uri.query).get("host", [""])[0]
    return f"postgresql://postgres@{quote(socket_dir, safe='')}/postgres"


def database_urls() -> tuple[str, str, str | None]:
    """(runtime URL, owner URL, the embedded server's data directory or None).

    ``DATABASE_URL`` (and ``DATABASE_OWNER_URL``, else the same) when set, as given. Otherwise
    the local or embedded server, where both roles are created and the database made or
    adopted as the owner's."""
    if os.environ.get("DATABASE_URL"):
        url = os.environ["DATABASE_URL"]
        return url, os.environ.get("DATABASE_OWNER_URL") or url, None
    embedded = None
    if _local_postgres_answers():
        admin = LOCAL_SERVER.format(user="postgres", name="postgres")
    else:
        _say("no PostgreSQL answers on 127.0.0.1:5432: starting an embedded one (pgserver)")
        admin = _embedded_admin_url()
        embedded = str(DATA_DIR / "pgdata")
    _prepare_roles(admin)
    _ensure_database(admin, DATABASE_NAME)
    return (
        _as(admin, RUNTIME_ROLE, DATABASE_NAME),
        _as(admin, OWNER_ROLE, DATABASE_NAME),
        embedded,
    )


def database_url() -> str:
    return database_urls()[0]


def record_for_commands(
    data_dir: Path, *, url: str, owner_url: str, embedded_pgdata: str | None
) -> Path:
    """What ``make run`` leaves in ``data_dir`` for the README's ``manage.py`` commands, typed
    later in another shell with nothing set (safeguard/settings/base.py reads it outside
    production): a generated secret key, kept from one run to the next, and the database URLs
    it used (and the embedded server's data directory, which a command starts if need be).
    Returns the secret key's file."""
    key = data_dir / "secret_key"
    if not key.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        key.write_text(secrets.token_urlsafe(50))
        key.chmod(0o600)
    database.record_write(data_dir, url=url, owner_url=owner_url, embedded_pgdata=embedded_pgdata)
    return key


def _environment(*, settings: str) -> tuple[dict[str, str], str | None]:
    env = dict(os.environ)
    env["DATABASE_URL"], env["DATABASE_OWNER_URL"], embedded = database_urls()
    # Set, not defaulted: importing this package (its Celery app) already put the base settings
    # in os.environ.
    env["DJANGO_SETTINGS_MODULE"] = settings
    env.setdefault("DATA_DIR", str(DATA_DIR))
    return env, embedded


def _manage(env, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def run() -> int:
    port = os.environ.get("PORT", "8000")
    env, embedded = _environment(settings="safeguard.settings.base")
    key = record_for_commands(
        DATA_DIR,
        url=env["DATABASE_URL"],
        owner_url=env["DATABASE_OWNER_URL"],
        embedded_pgdata=embedded,
    )
    if not env.get("SECRET_KEY"):
        env.setdefault("SECRET_KEY_FILE", str(key))
    env.setdefault("PLATFORM_SCHEME", "http")
    env.setdefault("PLATFORM_PORT", port)
    # Webhook receivers on this machine may be tried out locally (never in production).
    env.setdefault("WEBHOOKS_ALLOW_LOOPBACK", "1")
    _manage(env, "migrate_schemas", "--noinput", "-v", "0")
    _manage(env, "collectstatic", "--noinput", "-v", "0")
    _manage(env, "load_demo")
    broker = "Redis at $REDIS_URL" if env.get("REDIS_URL") else "the filesystem broker in .data"
    _say(f"web on http://{env.get('PLATFORM_DOMAIN', 'localhost')}:{port}/ ; Celery on {broker}")
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "safeguard.wsgi",
                "--bind",
                f"0.0.0.0:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--access-logfile",
                "-",
            ],
            cwd=BASE_DIR,
            env=env,
        ),
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "safeguard",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
            ],
            cwd=BASE_DIR,
            env=env,
        ),
        subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "safeguard", "beat", "--loglevel", "INFO"],
            cwd=BASE_DIR,
            env=env,
        ),
    ]

    def stop(*_):
        for process in processes:
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    return max((process.returncode or 0) for process in processes)


def _test_database_adopt(env: dict[str, str]) -> None:
    """A test database left by an earlier run as the superuser's is given to the owner role,
    which creates the suite's database afresh (dropping the old one needs its ownership)."""
    if os.environ.get("DATABASE_URL"):
        return
    admin = _as(env["DATABASE_OWNER_URL"], "postgres", "postgres")
    name = database.database_name_for_tests(BASE_DIR)
    import psycopg

    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f"ALTER DATABASE {_quoted(name)} OWNER TO {_quoted(OWNER_ROLE)}")


def test(args: list[str]) -> int:
    env, _ = _environment(settings="safeguard.settings.test")
    _test_database_adopt(env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", *args], cwd=BASE_DIR, env=env, check=False
    ).returncode


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "run"
    if command == "run":
        return run()
    if command == "test":
        return test(argv[1:])
    if command == "database-url":
        runtime, owner, _ = database_urls()
        print(runtime)
        print(owner)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
