"""Fixtures for browser tests (headless Chromium through Playwright, axe-core).

Mark every test here `@pytest.mark.browser`: the root conftest skips them where Chromium is
absent. Each test gets a live server on a fresh database holding the real reference data.

    def test_something(site, signed_in_page, assert_no_axe_violations, screenshot):
        page = signed_in_page(SSSFactory())
        page.goto(site.url("/help/"))
        assert_no_axe_violations(page)
        screenshot(page, "help")

Every page a test opens is also watched for Content-Security-Policy violations (our pages
must not need anything inline); a violation fails the test.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Page

from accounts.models import User

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's password
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CSP_MESSAGE = re.compile(r"Content Security Policy|Content-Security-Policy", re.IGNORECASE)


@dataclass(frozen=True)
class Site:
    """The live server, with a helper to build absolute URLs from paths."""

    base: str

    def url(self, path: str = "/") -> str:
        return self.base.rstrip("/") + path


@pytest.fixture
def site(live_server, transactional_db) -> Site:
    """A running server whose database holds the shipped reference data."""
    call_command("load_reference_data", verbosity=0)
    return Site(live_server.url)


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(autouse=True)
def _no_csp_violations(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a browser test whose pages tripped the Content-Security-Policy."""
    if "page" not in request.fixturenames:
        yield
        return
    page: Page = request.getfixturevalue("page")
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if CSP_MESSAGE.search(message.text) else None
        ),
    )
    yield
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def signed_in_page(page: Page, site: Site) -> Callable[..., Page]:
    """`signed_in_page(user)` signs `user` in through the sign-in form and returns the page.

    The user must have the factories' password (or pass `password=`).
    """

    def sign_in(user: User, *, password: str = PASSWORD) -> Page:
        page.goto(site.url("/accounts/login/"))
        page.get_by_label("E-mail address").fill(user.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(site.url("/"))
        return page

    return sign_in


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}: {node.get('failureSummary', '')!r}")
    return "\n".join(lines)


@pytest.fixture
def assert_no_axe_violations() -> Callable[[Page], None]:
    """`assert_no_axe_violations(page)`: run axe-core on the page as it is now; print each
    violation's id, impact and target nodes, and fail if there is any."""
    axe = Axe()

    def check(page: Page) -> None:
        results = axe.run(page)
        violations = results.response["violations"]
        if violations:
            report = _describe(violations)
            print(f"axe-core found {len(violations)} violation(s) on {page.url}:\n{report}")
            raise AssertionError(f"axe-core violations on {page.url}:\n{report}")

    return check


@pytest.fixture
def screenshot() -> Callable[[Page, str], Path]:
    """`screenshot(page, name)`: a full-page PNG in test-artifacts/screenshots/ (git-ignored)."""

    def take(page: Page, name: str) -> Path:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{name}.png"
        # caret="initial": hiding the caret leaves style="" on inputs, which a later htmx
        # swap would copy into the page and the Content-Security-Policy would refuse.
        page.screenshot(path=str(path), full_page=True, caret="initial")
        return path

    return take
