"""The deployment files in deploy/ stay valid: Compose accepts them, and the app services agree.

No database: these only read deploy/docker-compose.yml.
"""

import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = REPO_ROOT / "deploy" / "docker-compose.yml"
SERVICES = {"postgres", "redis", "migrate", "web", "worker", "beat"}
APP_SERVICES = ("migrate", "web", "worker", "beat")
TRUE_WORDS = {"1", "true", "yes", "on"}


def _compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def _environment(service: dict) -> dict[str, str]:
    """A service's environment as a mapping, whether written as a mapping or a list."""
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        pairs = (item.split("=", 1) if "=" in item else (item, "") for item in environment)
        return {name: value for name, value in pairs}
    return {name: "" if value is None else str(value) for name, value in environment.items()}


def test_compose_file_is_valid():
    executable = shutil.which("docker-compose")
    if executable is None:
        pytest.fail(
            "docker-compose is not installed: install Debian's docker-compose "
            "(apt-get install docker-compose; `make test` installs it) to validate deploy/."
        )
    result = subprocess.run(
        [executable, "-f", str(COMPOSE_FILE.relative_to(REPO_ROOT)), "config", "-q"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, (
        f"docker-compose config -q exited {result.returncode}:\n{result.stderr}"
    )


def test_compose_services_share_one_image_and_never_debug():
    services = _compose()["services"]
    assert set(services) >= SERVICES, f"missing services: {sorted(SERVICES - set(services))}"

    def image_and_build(name):
        service = services[name]
        return service.get("image"), service.get("build")

    web = image_and_build("web")
    assert web != (None, None), "web names neither an image nor a build"
    for name in ("worker", "beat", "migrate"):
        assert image_and_build(name) == web, f"{name} does not use web's image and build"

    for name, service in services.items():
        debug = _environment(service).get("DEBUG", "")
        assert debug.strip().lower() not in TRUE_WORDS, f"{name} sets DEBUG={debug}"
    for name in APP_SERVICES:
        settings = _environment(services[name]).get("DJANGO_SETTINGS_MODULE", "")
        assert "production" in settings, f"{name} does not default to the production settings"


def test_only_the_migration_service_connects_as_the_owner():
    """Least privilege (README): web, worker and beat connect as the runtime role, which owns
    nothing; the owner's URL is given to the one-off migrate service alone."""
    services = _compose()["services"]
    for name in ("web", "worker", "beat"):
        environment = _environment(services[name])
        assert urlparse(environment["DATABASE_URL"]).username == "safeguard_app", name
        assert "DATABASE_OWNER_URL" not in environment, f"{name} has the owner's URL"
    migrate = _environment(services["migrate"])
    assert urlparse(migrate["DATABASE_OWNER_URL"]).username == "safeguard_owner"
    assert urlparse(migrate["DATABASE_URL"]).username == "safeguard_app"
    assert migrate.get("SAFEGUARD_DATABASE_ROLE", "") == ""  # manage.py chooses the owner


def test_the_database_container_creates_both_roles_and_gives_the_owner_the_database():
    postgres = _compose()["services"]["postgres"]
    assert "./postgres-init:/docker-entrypoint-initdb.d:ro" in postgres["volumes"]
    environment = _environment(postgres)
    assert environment["POSTGRES_USER"] == "postgres"
    assert {"SAFEGUARD_OWNER_PASSWORD", "SAFEGUARD_APP_PASSWORD"} <= environment.keys()
    roles = (COMPOSE_FILE.parent / "postgres-init" / "10-roles.sh").read_text()
    assert "ALTER ROLE safeguard_owner WITH LOGIN CREATEDB NOSUPERUSER" in roles
    assert "ALTER ROLE safeguard_app WITH LOGIN NOSUPERUSER NOCREATEDB" in roles
    assert "OWNER TO safeguard_owner" in roles
    assert (COMPOSE_FILE.parent / "postgres-init" / "20-adopt-objects.sql").is_file()
    result = subprocess.run(
        ["sh", "-n", str(COMPOSE_FILE.parent / "postgres-init" / "10-roles.sh")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
