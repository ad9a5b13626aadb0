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

import re
import time
import uuid
from dataclasses import dataclass

import pytest
import pytest_django.fixtures
from axe_playwright_python.sync_playwright import Axe
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.testcases import LiveServerThread
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect, sync_playwright

from tenants.agencies.models import AgencyKind
from tenants.models import Partnership, Role, User
from tenants.selectors import host_cache_clear
from tenants.services import partnership_create
from tests.support.world import PASSWORD, make_agency, make_member

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
# through `db`, `transactional_db`, `live_server` or a `django_db` mark. Browser tests use none
# of them on purpose: their transaction would hide the committed rows the live server must see,
# and a transactional flush would wipe the partnerships. Without this, `pytest tests/browser`
# alone would reach the DEVELOPMENT database, so a browser test also counts as needing the
# default database (this leans on pytest-django's internals, pinned in requirements.lock), and
# `live_port` refuses to start on anything but the test database.
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


# Every Content-Security-Policy violation a page reports, as the browser's console says it.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.location.href}:${event.lineNumber}`);
});
"""
CSP_VIOLATIONS: dict[int, list[str]] = {}


def csp_violations(page: Page) -> list[str]:
    return CSP_VIOLATIONS.setdefault(id(page), [])


def _record_csp_violation(page: Page, message) -> None:
    text = message.text
    if text.startswith("CSP violation") or "Content Security Policy" in text:
        csp_violations(page).append(f"{page.url}: {text}")


def check_no_csp_violation(page: Page) -> None:
    """Fail if any page this tab showed broke the Content-Security-Policy (issue 10, part 5)."""
    found = csp_violations(page)
    if found:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(found), pytrace=False)


@pytest.fixture
def page(chromium, django_db_blocker) -> Page:
    """A fresh browser context (no cookies) and one page in it; its sessions are deleted after.
    Any Content-Security-Policy violation on any page it shows fails the test."""
    context = chromium.new_context(locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    tab = context.new_page()
    tab.on("console", lambda message: _record_csp_violation(tab, message))
    yield tab
    violations = CSP_VIOLATIONS.pop(id(tab), [])
    session_keys = {c["value"] for c in context.cookies() if c["name"] == "sessionid"}
    context.close()
    with django_db_blocker.unblock():
        Session.objects.filter(session_key__in=session_keys).delete()
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations))


def check_accessibility(page: Page, label: str) -> None:
    """Run axe-core on the page as it is now; fail on any serious or critical violation, and
    on any Content-Security-Policy violation so far."""
    check_no_csp_violation(page)
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


def fill_date(page: Page, legend: str, day, month, year) -> None:
    """Type a date in GOV.UK's three boxes (day, month, year) of the fieldset ``legend``."""
    group = page.get_by_role("group", name=legend)
    for box, value in (("Day", day), ("Month", month), ("Year", year)):
        group.get_by_label(box, exact=True).fill(str(value))


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
    "ada.agency@sutton-police.example",
    "bea.manager@bromley.example",
]
EMAIL_DOMAINS = ("@sutton.example", "@sutton-police.example", "@bromley.example")


def _remove(partnerships: list[Partnership], emails: list[str]) -> None:
    """Delete these people, then drop these partnerships' schemas (and all made in them)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__in=emails).delete()
    User.objects.filter(email__in=emails).delete()
    for partnership in partnerships:
        partnership.delete(force_drop=True)
        connection.set_schema_to_public()
    host_cache_clear()


@pytest.fixture(scope="module")
def browser_world(live_port, django_db_blocker):
    """Sutton and Bromley and their people, committed; all removed again after the module."""
    created: list[Partnership] = []
    with django_db_blocker.unblock():
        try:
            for key, name in BROWSER_PARTNERSHIPS.items():
                partnership = Partnership.objects.filter(key=key).first()
                if partnership is None:
                    partnership = partnership_create(key=key, name=name)
                connection.set_schema_to_public()
                created.append(partnership)
            sutton, bromley = created
            police = make_agency(sutton, "Sutton Police", AgencyKind.POLICE)
            make_agency(bromley, "Bromley Secret Agency", AgencyKind.OTHER)
            new_manager, agency_user, bromley_manager = (
                make_member(sutton, EMAILS[0], Role.BUSINESS_MANAGER, second_factor=False),
                make_member(sutton, EMAILS[1], Role.AGENCY_USER, police),
                make_member(bromley, EMAILS[2], Role.BUSINESS_MANAGER),
            )
            world = BrowserWorld(
                port=live_port,
                sutton=sutton,
                bromley=bromley,
                sutton_agency_name=police.name,
                new_manager=new_manager,
                agency_user=agency_user,
                bromley_manager=bromley_manager,
                bromley_device=TOTPDevice.objects.get(user=bromley_manager, confirmed=True),
            )
            host_cache_clear()
        except BaseException:
            _remove(created, EMAILS)
            raise
    yield world
    with django_db_blocker.unblock():
        # Anyone else a test left behind in these partnerships goes too.
        leftovers = User.objects.filter(memberships__partnership__in=created).values_list(
            "email", flat=True
        )
        emails = EMAILS + [e for e in leftovers if e.endswith(EMAIL_DOMAINS)]
        _remove(created, emails)
        connection.close()


@dataclass
class Manager:
    user: User
    device: TOTPDevice


@pytest.fixture
def sutton_manager(browser_world, django_db_blocker) -> Manager:
    """A Sutton business manager with an authenticator, for one test: each signs in with a
    code of their own (django-otp accepts a period's code once per device)."""
    email = f"manager.{uuid.uuid4().hex[:8]}@sutton.example"
    with django_db_blocker.unblock():
        user = make_member(browser_world.sutton, email, Role.BUSINESS_MANAGER)
        device = TOTPDevice.objects.get(user=user, confirmed=True)
    yield Manager(user=user, device=device)
    with django_db_blocker.unblock():
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username=email).delete()
        User.objects.filter(email=email).delete()


@pytest.fixture(scope="session", autouse=True)
def _release_the_test_database(django_db_setup, django_db_blocker):
    """Playwright runs its sync API on greenlets, and Django keeps a connection per context, so
    a browser fixture can leave a connection behind that no close() in this context reaches.
    Before the test database is dropped, end any such session of ours."""
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
