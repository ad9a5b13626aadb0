"""The two README commands' engine: find a database, then run the platform or the tests.

    python -m safeguard.localdev run     # migrate, demo data, web + worker + beat
    python -m safeguard.localdev test    # the whole test suite
    python -m safeguard.localdev database-url

The database is ``DATABASE_URL`` when set; else the PostgreSQL on 127.0.0.1:5432 when one answers
(the database is created if missing); else an embedded PostgreSQL from the ``pgserver`` package,
kept in ``.data/pgdata`` and running for as long as this process does. As root, pgserver creates a
system user for PostgreSQL and opens the permissions of the data directory's parents to it.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / ".data"))
LOCAL_URL = "postgresql://postgres@127.0.0.1:5432/{name}"
DATABASE_NAME = os.environ.get("DATABASE_NAME", "safeguard")

_embedded = None  # keeps the embedded server alive while this process runs


def _say(message: str) -> None:
    print(f"[safeguard] {message}", flush=True)


def _ensure_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            _say(f"created database {name}")


def _local_postgres_answers() -> bool:
    import psycopg

    try:
        with psycopg.connect(LOCAL_URL.format(name="postgres"), connect_timeout=2):
            return True
    except psycopg.OperationalError:
        return False


def _embedded_url(name: str) -> str:
    global _embedded
    import pgserver

    pgdata = DATA_DIR / "pgdata"
    pgdata.mkdir(parents=True, exist_ok=True)
    _embedded = pgserver.get_server(pgdata, cleanup_mode="stop")
    uri = urlparse(_embedded.get_uri("postgres"))
    socket_dir = parse_qs(uri.query).get("host", [""])[0]
    admin = f"postgresql://postgres@{quote(socket_dir, safe='')}/postgres"
    _ensure_database(admin, name)
    return f"postgresql://postgres@{quote(socket_dir, safe='')}/{name}"


def database_url() -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    if _local_postgres_answers():
        _ensure_database(LOCAL_URL.format(name="postgres"), DATABASE_NAME)
        return LOCAL_URL.format(name=DATABASE_NAME)
    _say("no PostgreSQL answers on 127.0.0.1:5432: starting an embedded one (pgserver)")
    return _embedded_url(DATABASE_NAME)


def _secret_key_file() -> str:
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return str(path)


def _environment(*, settings: str) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url()
    # Set, not defaulted: importing this package (its Celery app) already put the base settings
    # in os.environ.
    env["DJANGO_SETTINGS_MODULE"] = settings
    env.setdefault("DATA_DIR", str(DATA_DIR))
    return env


def _manage(env, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def run() -> int:
    port = os.environ.get("PORT", "8000")
    env = _environment(settings="safeguard.settings.base")
    if not env.get("SECRET_KEY"):
        env.setdefault("SECRET_KEY_FILE", _secret_key_file())
    env.setdefault("PLATFORM_SCHEME", "http")
    env.setdefault("PLATFORM_PORT", port)
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


def test(args: list[str]) -> int:
    env = _environment(settings="safeguard.settings.test")
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
        print(database_url())
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
