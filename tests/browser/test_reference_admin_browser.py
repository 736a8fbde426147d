"""Issue 10: the administrators' reference-list pages in a real browser — a list page and an
edit page with axe-core (zero violations), moving and deactivating with buttons, no
JavaScript needed."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from reference.models import DeliveryMethod
from tests.factories import AdminFactory

pytestmark = pytest.mark.browser


def test_reference_list_and_edit_pages(
    site, signed_in_page, assert_no_axe_violations, screenshot
) -> None:
    page: Page = signed_in_page(AdminFactory(full_name="Ada Admin"))
    page.get_by_role("link", name="Reference lists").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reference lists")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Delivery methods").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delivery methods")
    assert_no_axe_violations(page)
    screenshot(page, "reference-list")

    second = DeliveryMethod.objects.order_by("sort_order", "name")[1]
    row = page.locator(f"#item-{second.pk}")
    row.get_by_role("button", name="Up").click()
    expect(page.locator(".usa-alert")).to_contain_text(f"“{second.name}” was moved up.")
    assert DeliveryMethod.objects.order_by("sort_order", "name").first() == second

    row.get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit “{second.name}”")
    page.get_by_label("Name").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_no_axe_violations(page)
    screenshot(page, "reference-edit-error")

    page.get_by_label("Name").fill(f"{second.name} (live)")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".usa-alert")).to_contain_text("was saved")

    row.get_by_role("button", name="Deactivate").click()
    expect(page.locator(".usa-alert")).to_contain_text("deactivated")
    expect(row.get_by_text("Inactive")).to_be_visible()
    row.get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", level=2, name="History")).to_be_visible()
    assert_no_axe_violations(page)
    screenshot(page, "reference-edit-history")
