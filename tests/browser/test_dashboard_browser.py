"""The dashboard in a real browser (issue #10): every chart and the tile-grid map with zero
axe-core violations, also at 200 % zoom and with a filter error; the map's tiles link to
the State pages; the charts show without JavaScript."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from activities.models import ActivityStatus, CompletionStatus, DeliverySummary
from reference.models import Center, DeliveryMethod, GoalCategory, Jurisdiction, Region
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
def records(site):
    """Activities in Illinois, Georgia and Guam across centers, statuses and months, on the
    shipped reference lists, with summaries on time and late."""
    today = timezone.localdate()
    centers = list(Center.objects.order_by("name")[:3])
    methods = list(DeliveryMethod.objects.order_by("name")[:3])
    category = GoalCategory.objects.get(number=7)
    staff = UserFactory(full_name="Alice Adams", center=centers[0])
    for index, code in enumerate(["IL", "GA", "GA", "GU", "IL", "GA", "TX", "PR"]):
        place = Jurisdiction.objects.get(code=code)
        goal = GoalFactory(jurisdiction=place, category=category)
        activity = TAActivityFactory(
            strategic_area=StrategicAreaFactory(goal=goal),
            focus=FocusAreaFactory(category=category),
            primary_center=centers[index % 3],
            primary_staff=staff,
            status=list(ActivityStatus.values)[index % 4],
            date_opened=today - dt.timedelta(days=35 * index + 1),
            **(
                {"completion_status": CompletionStatus.CLOSED, "completion_date": today}
                if index % 3 == 2
                else {}
            ),
        )
        for months_ago in range(index % 3 + 1):
            summary = DeliverySummary.objects.create(
                activity=activity,
                note_date=today - dt.timedelta(days=31 * months_ago),
                text="Delivered.",
                author=staff,
            )
            summary.delivery_methods.set(methods[: months_ago % 3 + 1])


def test_dashboard_charts_and_map_have_no_axe_violations(
    site, records, signed_in_page, assert_no_axe_violations, screenshot
):
    page: Page = signed_in_page(FederalViewerFactory())
    page.get_by_role("link", name="Dashboard", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    for title in (
        "Open TA activities by status",
        "TA activities by goal category",
        "TA activities by primary center",
        "TA delivered per month, by delivery method",
        "Summaries entered on time, per center and month",
        "TA activities opened and closed per month",
        "Map of the States and Territories: open TA activities",
    ):
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.locator("svg.tat-chart")).to_have_count(7)
    # the tables open on demand
    page.get_by_text("Data table: Open TA activities by status").click()
    expect(page.get_by_role("table", name="Open TA activities by status")).to_be_visible()
    assert_no_axe_violations(page)
    screenshot(page, "dashboard")

    page.get_by_role("link", name="Late summaries of TA delivered (last 12 months)").click()
    expect(
        page.get_by_role("heading", name="Map of the States and Territories: late summaries")
    ).to_be_visible()
    assert_no_axe_violations(page)
    screenshot(page, "dashboard-map-late")

    page.get_by_role("link", name="Georgia: ").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Georgia")


def test_dashboard_at_200_percent_zoom_and_filtered(
    site, records, signed_in_page, assert_no_axe_violations, screenshot
):
    page: Page = signed_in_page(FederalViewerFactory())
    page.set_viewport_size({"width": 640, "height": 900})  # 1280 px at 200 % zoom
    region = Region.objects.get(numeral="IV")
    page.goto(site.url(f"/reports/dashboard/?region={region.pk}"))
    expect(page.get_by_role("link", name="Guam: outside the filters")).to_have_count(1)
    no_sideways_scroll = page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert no_sideways_scroll
    assert_no_axe_violations(page)
    screenshot(page, "dashboard-200-percent")


def test_dashboard_filter_error_has_no_axe_violations(
    site, signed_in_page, assert_no_axe_violations
):
    page: Page = signed_in_page(FederalViewerFactory())
    page.goto(site.url("/reports/dashboard/?opened_from=2026-02-30"))
    expect(page.get_by_role("link", name="Date opened: from: Enter a real date")).to_be_visible()
    assert_no_axe_violations(page)


@pytest.mark.parametrize("java_script_enabled", [False])
def test_charts_show_without_javascript(
    site, records, browser, java_script_enabled
):  # a context without JavaScript: the SVG is in the HTML
    context = browser.new_context(java_script_enabled=java_script_enabled)
    page = context.new_page()
    user = FederalViewerFactory()
    page.goto(site.url("/accounts/login/"))
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.goto(site.url("/reports/dashboard/"))
    expect(page.locator("svg.tat-chart")).to_have_count(7)
    expect(page.locator("svg.tat-chart").first).to_be_visible()
    context.close()
