"""The search page in a real browser: results, errors and contradictions with zero axe-core
violations; criteria in the URL; the strategic-area list follows the goal category."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from activities.models import ActivityStatus, ResponseNote
from reference.models import GoalCategory, Jurisdiction, StrategicAreaItem
from tests.factories import (
    FederalViewerFactory,
    FocusAreaFactory,
    GoalFactory,
    StrategicAreaFactory,
    TAActivityFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def activities(site):
    """A goal-driven activity in Illinois and an on-demand one in Guam, on the shipped lists."""
    illinois = Jurisdiction.objects.get(code="IL")
    guam = Jurisdiction.objects.get(code="GU")
    quality = GoalCategory.objects.get(number=7)
    item = StrategicAreaItem.objects.filter(category=quality).first()
    goal = GoalFactory(jurisdiction=illinois, category=quality)
    staff = UserFactory(full_name="Alice Adams")
    goal_driven = TAActivityFactory(
        strategic_area=StrategicAreaFactory(goal=goal, item=item),
        focus=FocusAreaFactory(category=quality, name="Browser focus QRIS"),
        primary_staff=staff,
        status=ActivityStatus.APPROVED,
        date_opened=dt.date(2025, 1, 10),
    )
    ResponseNote.objects.create(
        activity=goal_driven, text="Peer learning call about QRIS", author=staff
    )
    on_demand = TAActivityFactory(
        strategic_area=None,
        goal=None,
        jurisdiction=guam,
        goal_category=quality,
        focus=FocusAreaFactory(category=quality, name="Browser focus rates"),
        primary_staff=staff,
        date_opened=dt.date(2025, 6, 1),
    )
    return goal_driven, on_demand


def test_search_page_with_results_has_no_axe_violations(
    site, activities, signed_in_page, assert_no_axe_violations, screenshot
):
    goal_driven, on_demand = activities
    page: Page = signed_in_page(FederalViewerFactory())
    page.goto(site.url("/search/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Search TA activities")
    page.get_by_label("Words in notes").fill("peer learning")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/search/?*q=peer+learning*")
    table = page.locator(".tat-results-table table")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text(goal_driven.record_number)
    expect(table).to_contain_text("Goal-driven")
    expect(page.locator(".tat-chip")).to_contain_text("Words in notes: “peer learning”")
    assert_no_axe_violations(page)
    screenshot(page, "search-results")

    # All activities, sorted by a column; both kinds marked.
    page.goto(site.url("/search/?sort=jurisdiction"))
    rows = page.locator(".tat-results-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Guam")
    expect(rows.nth(0)).to_contain_text("On-demand")
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("State or Territory")
    assert_no_axe_violations(page)

    # Removing a chip runs the search without it (the back button returns to it).
    page.goto(site.url(f"/search/?q=peer+learning&jurisdiction={goal_driven.jurisdiction_id}"))
    page.get_by_role("link", name="Remove Words in notes").click()
    expect(page.locator(".tat-chip")).to_have_count(1)
    page.go_back()
    expect(page.locator(".tat-chip")).to_have_count(2)


def test_search_page_with_errors_has_no_axe_violations(
    site, activities, signed_in_page, assert_no_axe_violations, screenshot
):
    page: Page = signed_in_page(UserFactory())
    page.goto(site.url("/search/?record=abc&opened_from=2026-02-30"))
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter a TA record number such as TA-000123 or 123.")
    expect(summary).to_contain_text("Enter a real date")
    expect(page.locator("#id_record-error")).to_be_visible()
    assert_no_axe_violations(page)
    screenshot(page, "search-errors")


def test_search_contradiction_is_explained_without_axe_violations(
    site, activities, signed_in_page, assert_no_axe_violations
):
    guam = Jurisdiction.objects.get(code="GU")
    region_v = guam.region.__class__.objects.get(number=5)
    page: Page = signed_in_page(UserFactory())
    page.goto(site.url(f"/search/?jurisdiction={guam.pk}&region={region_v.pk}"))
    expect(page.locator(".tat-contradictions")).to_contain_text(
        "Guam is in Region IX, not Region V — run two searches."
    )
    expect(page.locator(".tat-result-count")).to_contain_text("0 TA activities found")
    assert_no_axe_violations(page)


def test_strategic_area_list_follows_the_goal_category(site, activities, signed_in_page):
    page: Page = signed_in_page(UserFactory())
    page.goto(site.url("/search/"))
    area = page.locator("#id_strategic_area")
    expect(area).to_be_disabled()
    quality = GoalCategory.objects.get(number=7)
    page.locator("#id_category").select_option(str(quality.pk))
    expect(area).to_be_enabled()
    shown = area.locator("option").all_inner_texts()
    expected = list(
        StrategicAreaItem.objects.filter(category=quality)
        .order_by("sort_order", "name")
        .values_list("name", flat=True)
    )
    assert shown == ["Any", *expected]


def test_saved_search_round_trip_in_the_browser(
    site, activities, signed_in_page, assert_no_axe_violations
):
    goal_driven, _ = activities
    page: Page = signed_in_page(UserFactory())
    page.goto(site.url("/search/?q=QRIS"))
    page.get_by_label("Name this search").fill("QRIS notes")
    page.get_by_role("button", name="Save search").click()
    expect(page.get_by_text("Saved this search as “QRIS notes”")).to_be_visible()
    page.goto(site.url("/search/"))
    page.get_by_role("link", name="QRIS notes").click()
    expect(page.locator(".tat-results-table tbody tr")).to_have_count(1)
    expect(page.locator(".tat-results-table")).to_contain_text(goal_driven.record_number)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Delete the saved search “QRIS notes”").click()
    expect(page.get_by_text("Deleted the saved search “QRIS notes”.")).to_be_visible()
