"""The deployment files in deploy/ stay valid: Compose accepts them, and the app services agree.

No database: these only read deploy/docker-compose.yml.
"""

import shutil
import subprocess
from pathlib import Path

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
