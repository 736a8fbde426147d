"""The shell in a real browser: keyboard sign-in, accessibility (axe-core), CSP, screenshots."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD
from tests.factories import SSSFactory, UserFactory

pytestmark = pytest.mark.browser


def test_sign_in_works_with_the_keyboard_only(page: Page, site, screenshot):
    user = UserFactory(email="keyboard@example.org", full_name="Kim Keyboard")
    page.goto(site.url("/states/CA/"))
    expect(page).to_have_url(site.url("/accounts/login/?next=/states/CA/"))
    # The e-mail field has the focus on arrival; Tab moves to the password; Enter submits.
    expect(page.locator("#id_username")).to_be_focused()
    page.keyboard.type("Keyboard@Example.org")
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(site.url("/states/CA/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("California")
    expect(page.get_by_text(f"Signed in as {user.full_name}")).to_be_visible()


def test_failed_sign_in_focuses_the_error_summary(page: Page, site, assert_no_axe_violations):
    UserFactory(email="someone@example.org")
    page.goto(site.url("/accounts/login/"))
    page.keyboard.type("someone@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("not the password")
    page.keyboard.press("Enter")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Please enter a correct e-mail address and password")
    expect(page.locator("#id_username")).to_have_value("someone@example.org")
    assert_no_axe_violations(page)


def test_skip_link_is_first_and_moves_to_the_content(page: Page, site):
    page.goto(site.url("/help/"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(site.url("/help/#main-content"))


def test_official_banner_opens_by_keyboard(page: Page, site):
    page.goto(site.url("/accounts/login/"))
    button = page.locator(".usa-banner__button")
    expect(button).to_have_attribute("aria-expanded", "false")
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_text("Official websites use .gov")).to_be_visible()


def test_sign_in_page_has_no_axe_violations(page: Page, site, assert_no_axe_violations, screenshot):
    page.goto(site.url("/accounts/login/"))
    assert_no_axe_violations(page)
    screenshot(page, "sign-in")


def test_help_page_has_no_axe_violations(page: Page, site, assert_no_axe_violations, screenshot):
    page.goto(site.url("/help/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Help and Resources")
    expect(page.locator("#category-9")).to_be_visible()
    assert_no_axe_violations(page)
    screenshot(page, "help")


def test_password_reset_pages_have_no_axe_violations(page: Page, site, assert_no_axe_violations):
    UserFactory(email="forgetful@example.org")
    page.goto(site.url("/accounts/password_reset/"))
    assert_no_axe_violations(page)
    page.get_by_label("E-mail address").fill("forgetful@example.org")
    page.get_by_role("button", name="Send the reset link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    assert_no_axe_violations(page)


def test_404_page_has_no_axe_violations(page: Page, site, assert_no_axe_violations):
    response = page.goto(site.url("/no-such-page/"))
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_no_axe_violations(page)


def test_home_page_has_no_axe_violations(
    signed_in_page, site, assert_no_axe_violations, screenshot
):
    page = signed_in_page(SSSFactory(full_name="Sam Specialist"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My TA activities")
    assert_no_axe_violations(page)
    screenshot(page, "home-shell")


def test_jurisdiction_picker_works_without_a_mouse(signed_in_page, site):
    page = signed_in_page(UserFactory())
    picker = page.locator("#tat-jurisdiction-picker")  # the header's, on every page
    picker.focus()
    picker.select_option("OH")
    page.keyboard.press("Tab")
    expect(page.locator(".tat-toolbar").get_by_role("button", name="Go")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(site.url("/states/OH/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ohio")


def test_sign_out_ends_the_session(signed_in_page, site):
    page = signed_in_page(UserFactory())
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(site.url("/accounts/login/"))
    page.goto(site.url("/"))
    expect(page).to_have_url(site.url("/accounts/login/?next=/"))


def test_lockout_page_is_friendly_and_accessible(page: Page, site, assert_no_axe_violations):
    UserFactory(email="target@example.org")
    response = None
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(site.url("/accounts/login/"))
        page.get_by_label("E-mail address").fill("target@example.org")
        page.get_by_label("Password").fill("wrong password")
        with page.expect_response(site.url("/accounts/login/")) as info:
            page.get_by_role("button", name="Sign in").click()
        response = info.value
    assert response.status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many failed sign-in attempts")
    assert_no_axe_violations(page)
