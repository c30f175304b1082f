"""Browser tests: Playwright drives the system Chromium against a live server.

The browser is the one the operating system provides (Debian's ``chromium``),
found on PATH or named by ``BROWSER_EXECUTABLE``; Playwright never downloads
one. Without a Chromium the tests are skipped, saying why.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from wagtail.users.models import UserProfile

BROWSER_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")

# A container gives no user namespaces for Chromium's sandbox and a small /dev/shm;
# the rest keeps the browser from calling home or doing work nobody asked for.
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Wagtail's admin can be slow on a cold live server (first request compiles templates).
TIMEOUT_MS = 45_000

PASSWORD = "correct horse battery staple"


def browser_executable():
    """The Chromium to drive: BROWSER_EXECUTABLE if set, else the first candidate on PATH."""
    configured = os.environ.get("BROWSER_EXECUTABLE")
    if configured:
        found = shutil.which(configured)
        if found is None:
            # A browser named on purpose and missing is a broken set-up, not a reason to skip.
            pytest.fail(f"BROWSER_EXECUTABLE={configured!r} is not an executable file.", pytrace=False)
        return found
    for name in BROWSER_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def screenshot_dir():
    return Path(tempfile.mkdtemp(prefix="book-e2e-screenshots-"))


CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    return report


@pytest.fixture
def page(request, browser, live_server, django_db_serialized_rollback, screenshot_dir, settings):
    """A fresh browser tab whose relative URLs go to the live server.

    The live server runs in another thread and sees only committed data, hence
    a transactional database; its teardown empties every table, and the
    serialized rollback restores what migrations created (root page, default
    locale and site, permissions) for the next browser test.
    """
    # The live server's request threads share one in-memory SQLite database, which
    # locks whole tables: the editor's background writes (autosave every half
    # second, editing-session pings) racing an explicit save make that save fail
    # with "database table is locked". The tests save explicitly, as people do.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    settings.WAGTAIL_EDITING_SESSION_PING_INTERVAL = 10 * 60 * 1000
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1400, "height": 1000}
    )
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    if request.node.stash.get(CALL_FAILED, False):
        path = screenshot_dir / f"{request.node.name}.png"
        tab.screenshot(path=str(path), full_page=True)
        # The path is for the person reading the failure; pytest shows captured output of failed tests.
        print(f"Screenshot of the failing page: {path} (at {tab.url})")
    context.close()


@pytest.fixture
def make_user(django_user_model):
    """A staff member in the given groups, reading the admin in English (the tests read its labels)."""

    def make(username, *group_names):
        user = django_user_model.objects.create_user(username, f"{username}@example.org", PASSWORD)
        user.groups.add(*Group.objects.filter(name__in=group_names))
        missing = set(group_names) - set(user.groups.values_list("name", flat=True))
        assert not missing, f"groups not set up: {sorted(missing)}"
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "en"
        profile.save()
        return user

    return make


def log_in(page, user, password=PASSWORD):
    """Sign in through the admin's login form, as a person would, and land on the dashboard."""
    page.goto("/admin/login/")
    page.locator("#id_username").fill(user.get_username())
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/admin/")


def log_out(page):
    page.context.clear_cookies()


# axe-core from npm (make install-dev), injected into the page under test.
AXE_SCRIPT = Path(__file__).resolve().parents[1] / "tools" / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 levels A and AA, which the admin and the reader are held to.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

_RUN_AXE = """async ([tags, exclude]) => {
    const context = exclude.length ? {include: [document], exclude: exclude.map((s) => [s])} : document;
    const result = await axe.run(context, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
    return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({target: n.target.join(" "), html: n.html, summary: n.failureSummary})),
    }));
}"""


def axe_violations(page, exclude=()):
    """The WCAG 2.1 A/AA violations axe-core finds in the page as it is now."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"axe-core is missing ({AXE_SCRIPT}): run make install-dev.", pytrace=False)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    return page.evaluate(_RUN_AXE, [list(AXE_TAGS), list(exclude)])


def describe_violations(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {node['target']}: {node['html'][:160]}" for node in violation["nodes"][:5])
    return "\n".join(lines)


@pytest.fixture
def axe():
    """Checks a page with axe-core: ``axe(page)`` fails the test with every violation found, named."""

    def check(page, exclude=()):
        violations = axe_violations(page, exclude=exclude)
        assert not violations, f"axe-core found on {page.url}:\n{describe_violations(violations)}"

    return check
