"""The homes of each role in a real browser (issue 10): what each shows, keyboard use of the
federal viewer's region filter, and no accessibility violation (axe-core)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from goals.models import GoalClosureRequest
from reference.models import Center, Jurisdiction, Region
from tests.factories import (
    AdminFactory,
    FederalViewerFactory,
    GoalFactory,
    RequesterFactory,
    SSSFactory,
    StrategicAreaFactory,
    TAActivityFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


def _activities(count: int = 3) -> Center:
    georgia = Jurisdiction.objects.get(code="GA")
    center = Center.objects.order_by("pk").first()
    area = StrategicAreaFactory(goal=GoalFactory(jurisdiction=georgia))
    for _ in range(count):
        TAActivityFactory(strategic_area=area, primary_center=center)
    return center


def test_center_lead_home_has_both_tables(
    signed_in_page, site, assert_no_axe_violations, screenshot
):
    center = _activities()
    lead = UserFactory(full_name="Lee Lead", center=center, is_center_lead=True)
    page = signed_in_page(lead)
    expect(page.get_by_role("heading", level=1)).to_have_text("My TA activities")
    expect(page.get_by_role("heading", name="Summaries of TA delivered to write")).to_be_visible()
    expect(page.locator("table.tat-table--center tbody tr")).to_have_count(3)
    assert_no_axe_violations(page)
    screenshot(page, "home-center-lead")


def test_sss_home_lists_states_with_counts(signed_in_page, site, assert_no_axe_violations):
    _activities()
    sss = SSSFactory(jurisdictions=list(Jurisdiction.objects.filter(code__in=["GA", "FL"])))
    page = signed_in_page(sss)
    table = page.locator("table.tat-state-counts")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.get_by_role("row", name="Georgia")).to_contain_text("3")
    assert_no_axe_violations(page)


def test_federal_home_filters_by_region_with_the_keyboard(
    signed_in_page, site, assert_no_axe_violations, screenshot
):
    _activities()
    page = signed_in_page(FederalViewerFactory(full_name="Fay Federal"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Overview of TA")
    expect(page.get_by_role("link", name="Add", exact=False)).to_have_count(0)
    assert_no_axe_violations(page)
    region = Region.objects.get(number=4)
    select = page.get_by_label("Region", exact=True)
    select.focus()
    select.select_option(str(region.pk))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(site.url(f"/?region={region.pk}"))
    expect(page.get_by_role("heading", level=2, name="TA at a glance: Region IV")).to_be_visible()
    expect(page.locator('td[data-status="total"]')).to_have_text("3")
    assert_no_axe_violations(page)
    screenshot(page, "home-federal-region")
    page.goto(site.url("/?region=nope"))
    expect(page.locator("#overview-region-error")).to_contain_text("Region:")
    assert_no_axe_violations(page)


def test_administrator_home_shows_queues_and_links(
    signed_in_page, site, assert_no_axe_violations, screenshot
):
    admin = AdminFactory(full_name="Ada Admin")
    goal = GoalFactory(jurisdiction=Jurisdiction.objects.get(code="GA"), created_by=admin)
    GoalClosureRequest.objects.create(goal=goal, requested_by=admin, reason="All done.")
    RequesterFactory(jurisdiction=goal.jurisdiction, created_by=admin)
    page = signed_in_page(admin)
    expect(page.get_by_role("heading", level=1)).to_have_text("Administrator home")
    expect(page.get_by_role("heading", name="Goal closure requests waiting (1)")).to_be_visible()
    expect(page.get_by_role("heading", name="Requesters added this month (1)")).to_be_visible()
    expect(page.get_by_role("link", name="Reference lists and field help")).to_be_visible()
    assert_no_axe_violations(page)
    screenshot(page, "home-administrator")
