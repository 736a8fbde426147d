"""R1 in headless Chromium: an SSS reviews last month by keyboard alone — opens the monthly
review, marks one activity reviewed, sends another back with a comment — and axe-core finds
no violation at each step. The data is made with the read-side factories (the review reads
what the services wrote; the services have their own tests in tests/oversight/)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from activities.models import ActivityStatus, DeliverySummary, TAActivity
from oversight.models import ReviewMark, SendBack
from oversight.selectors import last_full_month
from reference.models import Center, GoalCategory, Jurisdiction, StrategicAreaItem
from tests.browser.test_activity_lifecycle import tab_to, type_ahead
from tests.factories import (
    AdminFactory,
    GoalFactory,
    SSSFactory,
    StrategicAreaFactory,
    TAActivityFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


def _activities(month: dt.date) -> tuple[list[TAActivity], object]:
    georgia = Jurisdiction.objects.get(code="GA")
    category = GoalCategory.objects.get(number=7)
    admin = AdminFactory(full_name="Ada Admin", center=None)
    goal = GoalFactory(jurisdiction=georgia, category=category, created_by=admin)
    items = StrategicAreaItem.objects.filter(category=category).order_by("sort_order")[:2]
    center = Center.objects.get(code="ECQA")
    primary = UserFactory(full_name="Pat Primary", center=center)
    activities = []
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
            note_date=month + dt.timedelta(days=9),
            text="SCBC provided a remote consultation on QRIS standards.",
            author=primary,
        )
        activities.append(activity)
    return activities, georgia


def test_r1_sss_reviews_a_month_by_keyboard(
    site, signed_in_page, assert_no_axe_violations, screenshot
) -> None:
    month = last_full_month(timezone.localdate())
    (first, second), georgia = _activities(month)
    sss = SSSFactory(full_name="Sam Specialist", jurisdictions=[georgia])
    page: Page = signed_in_page(sss)

    # The home page links to the month's review.
    expect(page.get_by_role("heading", name="Monthly review")).to_be_visible()
    assert_no_axe_violations(page)
    tab_to(page, f'a[href="/review/?month={month:%Y-%m}"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/review/?month={month:%Y-%m}")
    expect(page.locator("#review-progress")).to_contain_text("0 of 2 reviewed")
    assert_no_axe_violations(page)
    screenshot(page, "review-month")

    # Mark the first one reviewed (htmx swaps the row and the progress line).
    tab_to(page, f'form[action="/review/{first.pk}/mark/"] button')
    page.keyboard.press("Enter")
    expect(page.locator("#review-progress")).to_contain_text("1 of 2 reviewed")
    expect(page.locator(f"#review-row-{first.pk}")).to_contain_text("Reviewed")
    assert ReviewMark.objects.filter(activity=first, month=month).exists()
    assert_no_axe_violations(page)

    # Send the second one back: open the disclosure, choose the part, type the comment.
    tab_to(page, f"#review-row-{second.pk} summary")
    page.keyboard.press("Enter")
    tab_to(page, f"#review-row-{second.pk} select")
    type_ahead(page, "Summary")
    # The comment's hint may carry a "Full definition" disclosure: tab to the text box.
    tab_to(page, f"#review-row-{second.pk} textarea")
    page.keyboard.type("Add the delivery method and TA type of the consultation.")
    tab_to(page, f'form[action="/review/{second.pk}/send-back/"] button')
    assert_no_axe_violations(page)
    page.keyboard.press("Enter")
    expect(page.locator(f"#review-row-{second.pk}")).to_contain_text("Sent back")
    item = SendBack.objects.get(activity=second)
    assert item.about == SendBack.About.SUMMARY
    assert_no_axe_violations(page)
    screenshot(page, "review-sent-back")
