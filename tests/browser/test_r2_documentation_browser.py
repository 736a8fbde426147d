"""R2 in a browser: the findings appear next to the summary field as it is written (htmx,
CSRF, no CSP violation), are read out politely, and the page stays free of axe-core
violations with them shown."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Site
from tests.factories_activities import build_world, create_activity, make_trackable

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server, transactional_db) -> Site:
    """Unlike the shared one, without the shipped reference data: the test `world` brings
    its own (the two would collide on the same categories)."""
    return Site(live_server.url)


def test_r2_findings_shown_beside_the_summary_as_it_is_written(
    site, signed_in_page, assert_no_axe_violations, screenshot
):
    world = build_world()
    activity = make_trackable(
        world, create_activity(world, date_opened=dt.date.today() - dt.timedelta(days=30))
    )
    page = signed_in_page(world.primary)
    page.goto(site.url(f"/activities/{activity.pk}/tracking/"))
    region = page.locator("#id_summary-text-findings")
    expect(region).to_have_attribute("aria-live", "polite")
    expect(region).to_be_empty()

    page.locator("#id_summary-text").click()
    page.keyboard.type("Cole will send the QRIS memo next month.")
    expect(region).to_contain_text("Names a person: “Cole” (staff directory)")
    expect(region).to_contain_text("“next month”")
    expect(region).to_contain_text("No TA delivery method is selected.")

    # ticking a delivery method re-checks (change from the form)
    page.locator("label[for=id_summary-delivery_methods_0]").click()
    expect(region).not_to_contain_text("No TA delivery method is selected.")

    # rewriting the text clears the findings it no longer has
    page.locator("#id_summary-text").fill("")
    page.locator("#id_summary-text").click()
    page.keyboard.type("State received remote consultation on QRIS standards.")
    page.keyboard.press("Tab")
    expect(region).not_to_contain_text("Names a person")
    assert_no_axe_violations(page)
    screenshot(page, "r2-summary-findings")
