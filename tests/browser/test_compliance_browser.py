"""Issue 10, the monthly compliance report in headless Chromium: a federal viewer opens last
month's report, reads both tables and the definitions, narrows it to a region with the
filter form, is told clearly what is wrong with a bad month, and axe-core finds no violation
at each step. The data is made with the read-side factories (the report's numbers have
their own tests in tests/reports/)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from activities.models import ActivityStatus, DeliverySummary
from oversight.selectors import last_full_month
from reference.models import Center, GoalCategory, Jurisdiction, Region, StrategicAreaItem
from tests.factories import (
    AdminFactory,
    FederalViewerFactory,
    GoalFactory,
    StrategicAreaFactory,
    TAActivityFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


def _data(month: dt.date) -> None:
    """Two activities in Georgia (ECQA), each with a summary of TA delivered in `month`."""
    georgia = Jurisdiction.objects.get(code="GA")
    category = GoalCategory.objects.get(number=7)
    admin = AdminFactory(full_name="Ada Admin", center=None)
    goal = GoalFactory(jurisdiction=georgia, category=category, created_by=admin)
    center = Center.objects.get(code="ECQA")
    primary = UserFactory(full_name="Pat Primary", center=center)
    items = StrategicAreaItem.objects.filter(category=category).order_by("sort_order")[:2]
    for item in items:
        activity = TAActivityFactory(
            strategic_area=StrategicAreaFactory(goal=goal, item=item),
            date_opened=month - dt.timedelta(days=20),
            status=ActivityStatus.APPROVED,
            primary_center=center,
            primary_staff=primary,
        )
        DeliverySummary.objects.create(
            activity=activity,
            note_date=month + dt.timedelta(days=2),
            text="State received a remote consultation on QRIS standards.",
            author=primary,
        )


def test_federal_viewer_reads_the_compliance_report(
    site, signed_in_page, assert_no_axe_violations, screenshot
) -> None:
    month = last_full_month(timezone.localdate())
    _data(month)
    page: Page = signed_in_page(FederalViewerFactory(full_name="Fay Federal"))

    page.goto(site.url("/reports/compliance/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Monthly compliance report: {month:%B %Y}"
    )
    ecqa = page.locator("#by-center-table tbody tr", has_text="(ECQA)")
    expect(ecqa.locator('[data-column="deliveries"]')).to_have_text("2")
    georgia = page.locator("#by-jurisdiction-table tbody tr", has_text="Georgia")
    expect(georgia.locator('[data-column="deliveries"]')).to_have_text("2")
    expect(page.get_by_role("heading", name="What each column counts")).to_be_visible()
    expect(page.get_by_role("link", name="CSV")).to_be_visible()
    assert_no_axe_violations(page)
    screenshot(page, "compliance-report")

    # Narrow it to Region IV with the filter form (keyboard: select, then submit).
    region = Region.objects.get(number=4)
    page.get_by_label("Region", exact=True).select_option(str(region.pk))
    page.get_by_role("button", name="Show the report").press("Enter")
    page.wait_for_url(f"**region={region.pk}**")
    rows = page.locator("#by-jurisdiction-table tbody tr")
    expect(rows).to_have_count(Jurisdiction.objects.filter(region=region).count())
    assert_no_axe_violations(page)

    # A bad month is an error naming the field, with the form kept.
    page.get_by_label("Month", exact=True).fill("2025-13")
    page.get_by_role("button", name="Show the report").press("Enter")
    expect(page.locator("#error-summary")).to_contain_text("Month: Enter the month as YYYY-MM")
    assert_no_axe_violations(page)
    screenshot(page, "compliance-report-error")
