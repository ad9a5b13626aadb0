"""Browser tests: Chromium through Playwright against a live server on the test database.

The live server runs in a thread of this process with its own database connection, so it sees
only COMMITTED rows. The data the journeys need is therefore committed (outside any test
transaction) by the module-scoped ``browser_world`` fixture, in two partnerships of its own,
Sutton and Bromley, which it drops again (schemas and all) at teardown. Tests read the database
only inside ``django_db_blocker.unblock()``; they never request ``db`` (pytest-django's
transactional flush would truncate the public schema, partnerships included).

Every page a journey visits is checked with axe-core: a "serious" or "critical" violation fails
the test; lesser ones are listed at the end of the run.
"""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop runs in-thread

import re  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402

import pytest  # noqa: E402
import pytest_django.fixtures  # noqa: E402
from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.testcases import LiveServerThread  # noqa: E402
from django_otp import devices_for_user  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402
from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

from tenants.models import Partnership, Role, User  # noqa: E402
from tenants.selectors import host_cache_clear  # noqa: E402
from tenants.services import partnership_create  # noqa: E402
from tenants.workspace.models import AgencyKind  # noqa: E402
from tests.conftest import PASSWORD, make_agency, make_member  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BLOCKING_IMPACTS = {"serious", "critical"}
TIMEOUT_MS = 10_000

BROWSER_PARTNERSHIPS = {
    "sutton": "Sutton Safeguarding Children Partnership",
    "bromley": "Bromley Safeguarding Children Partnership",
}

# axe findings below "serious", printed at the end of the run: (page label, id, impact, targets)
AXE_MINOR_FINDINGS: list[tuple[str, str, str, str]] = []


# pytest-django creates the test database only for the aliases that collected tests declare
# through `db`, `transactional_db`, `live_server` or a `django_db` mark; these tests use none of
# them (on purpose: their transaction or flush would hide or wipe the committed data the live
# server must see). Without this, `pytest tests/browser` would run against the DEVELOPMENT
# database. So a browser test also counts as needing the default database set up; `live_port`
# refuses to start if that did not happen.
_databases_for_test = pytest_django.fixtures._get_databases_for_test


def _databases_for_test_including_browser(test):
    if test.get_closest_marker("browser"):
        return ("default",), False
    return _databases_for_test(test)


pytest_django.fixtures._get_databases_for_test = _databases_for_test_including_browser


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here + os.sep):
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter):
    if AXE_MINOR_FINDINGS:
        terminalreporter.section("axe: minor and moderate findings (not failures)")
        for label, rule, impact, targets in sorted(set(AXE_MINOR_FINDINGS)):
            terminalreporter.line(f"{label}: {rule} ({impact}) at {targets}")


# --- The live server and the browser ---------------------------------------------------------


@pytest.fixture(scope="session")
def live_port(django_db_setup, django_db_blocker):
    """A live server on the test database, for the whole session; its port."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler

    if connection.settings_dict["NAME"] != connection.settings_dict["TEST"]["NAME"]:
        pytest.exit(
            f"Refusing to run browser tests on {connection.settings_dict['NAME']!r}: "
            "pytest-django did not set up the test database.",
            returncode=3,
        )
    with django_db_blocker.unblock():
        thread = LiveServerThread("localhost", StaticFilesHandler, connections_override={})
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        yield thread.port
        thread.terminate()


def partnership_base(port: int, key: str) -> str:
    return f"http://{key}.localhost:{port}"


def platform_base(port: int) -> str:
    return f"http://localhost:{port}"


@pytest.fixture(scope="session")
def chromium():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium) -> Page:
    """A fresh browser context (no cookies) and one page in it."""
    context = chromium.new_context(locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


def check_accessibility(page: Page, label: str) -> None:
    """Run axe-core on the page as it is now; fail on any serious or critical violation."""
    violations = Axe().run(page).response["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    for v in violations:
        if v not in blocking:
            targets = ", ".join(str(n["target"]) for n in v["nodes"])
            AXE_MINOR_FINDINGS.append((label, v["id"], str(v.get("impact")), targets))
    if blocking:
        lines = [
            f"axe found {len(blocking)} serious/critical violation(s) on {label} ({page.url}):"
        ]
        for v in blocking:
            targets = "; ".join(" ".join(n["target"]) for n in v["nodes"])
            lines.append(f"- {v['id']} [{v['impact']}] {v['help']} -> {targets}")
        pytest.fail("\n".join(lines), pytrace=False)


# --- Journeys' small steps -------------------------------------------------------------------


def sign_in(page: Page, base: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def enter_code(page: Page, code: str) -> None:
    """On "Check it's you": type an authenticator or recovery code and continue."""
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def sign_out(page: Page) -> None:
    page.get_by_role("link", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign out of")
    check_accessibility(page, "sign out (confirm)")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in/$"))


def wait_until_codes_accepted(django_db_blocker, user: User, limit: float = 10.0) -> None:
    """django-otp throttles each device for 1, 2, 4… seconds after a wrong code (and tries
    every device for every code); a person retyping pauses that long, so the test does too."""
    deadline = time.monotonic() + limit
    while True:
        with django_db_blocker.unblock():
            allowed = all(d.verify_is_allowed()[0] for d in devices_for_user(user))
        if allowed or time.monotonic() > deadline:
            return
        time.sleep(0.1)


# --- Committed data --------------------------------------------------------------------------


@dataclass
class BrowserWorld:
    port: int
    sutton: Partnership
    bromley: Partnership
    sutton_agency_name: str
    new_manager: User  # Sutton business manager who has not set up an authenticator yet
    manager: User  # Sutton business manager with an authenticator
    manager_device: TOTPDevice
    agency_user: User  # Sutton agency user (no second factor)
    bromley_manager: User  # Bromley only, with an authenticator
    bromley_device: TOTPDevice

    def url(self, key: str, path: str = "/") -> str:
        return partnership_base(self.port, key) + path

    @property
    def platform(self) -> str:
        return platform_base(self.port)


EMAILS = [
    "nina.new@sutton.example",
    "mo.manager@sutton.example",
    "ada.agency@sutton-police.example",
    "bea.manager@bromley.example",
]


@pytest.fixture(scope="module")
def browser_world(live_port, django_db_blocker):
    """Sutton and Bromley and their people, committed; all removed again after the module."""
    with django_db_blocker.unblock():
        created = []
        for key, name in BROWSER_PARTNERSHIPS.items():
            partnership = Partnership.objects.filter(key=key).first()
            if partnership is None:
                partnership = partnership_create(key=key, name=name)
            connection.set_schema_to_public()
            created.append(partnership)
        sutton, bromley = created
        police = make_agency(sutton, "Sutton Police", AgencyKind.POLICE)
        make_agency(bromley, "Bromley Secret Agency", AgencyKind.OTHER)
        connection.set_schema_to_public()
        new_manager = make_member(sutton, EMAILS[0], Role.BUSINESS_MANAGER, second_factor=False)
        manager = make_member(sutton, EMAILS[1], Role.BUSINESS_MANAGER)
        agency_user = make_member(sutton, EMAILS[2], Role.AGENCY_USER, police)
        bromley_manager = make_member(bromley, EMAILS[3], Role.BUSINESS_MANAGER)
        world = BrowserWorld(
            port=live_port,
            sutton=sutton,
            bromley=bromley,
            sutton_agency_name=police.name,
            new_manager=new_manager,
            manager=manager,
            manager_device=TOTPDevice.objects.get(user=manager, confirmed=True),
            agency_user=agency_user,
            bromley_manager=bromley_manager,
            bromley_device=TOTPDevice.objects.get(user=bromley_manager, confirmed=True),
        )
        host_cache_clear()
    yield world
    with django_db_blocker.unblock():
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__in=EMAILS).delete()
        User.objects.filter(email__in=EMAILS).delete()
        for partnership in created:
            partnership.delete(force_drop=True)
            connection.set_schema_to_public()
        host_cache_clear()
