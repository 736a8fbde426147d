"""The goal form's other states in a real browser, each checked with axe-core: refused save
(error summary takes the focus), G2's duplicate-category step, C1's conflict panel with
"Use their version", the edit page's category change, and the history page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from goals import services
from goals.models import Readiness
from reference.models import GoalCategory, Jurisdiction, StrategicAreaItem
from tests.factories import AdminFactory, SSSFactory

pytestmark = pytest.mark.browser


def tick(page: Page, label: str) -> None:
    """Tick a USWDS checkbox or radio by its visible label (the input itself sits off-screen)."""
    page.locator("label", has_text=label).filter(has_not_text="Notes").first.click()


@pytest.fixture
def kansas_goal(site):
    kansas = Jurisdiction.objects.get(code="KS")
    sss = SSSFactory(jurisdictions=[kansas], full_name="Sam Rivera")
    quality = GoalCategory.objects.get(number=7)
    items = list(StrategicAreaItem.objects.filter(category=quality).order_by("sort_order"))
    goal = services.goal_create(
        actor=sss,
        jurisdiction=kansas,
        category=quality,
        readiness=Readiness.SOMEWHAT,
        strategic_areas=[(items[0], "Infant and toddler tiers first.")],
    )
    return {"sss": sss, "goal": goal, "items": items, "category": quality}


def test_refused_save_focuses_the_error_summary_and_keeps_input(
    site, signed_in_page, kansas_goal, assert_no_axe_violations
):
    page: Page = signed_in_page(kansas_goal["sss"])
    page.goto(site.url("/goals/new/?jurisdiction=KS"))
    page.locator("#id_update_note").fill("Words that must survive.")
    page.get_by_role("button", name="Save goal").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Goal category")
    expect(summary.get_by_role("link", name="Readiness to implement")).to_have_attribute(
        "href", "#id_readiness_0"
    )
    expect(page.locator("#id_update_note")).to_have_value("Words that must survive.")
    assert_no_axe_violations(page)


def test_g2_step_is_accessible_and_adds_to_the_existing_goal(
    site, signed_in_page, kansas_goal, assert_no_axe_violations, screenshot
):
    page: Page = signed_in_page(kansas_goal["sss"])
    page.goto(site.url("/goals/new/?jurisdiction=KS"))
    tick(page, "Most ready")
    page.locator("#id_category").select_option(str(kansas_goal["category"].pk))
    second = kansas_goal["items"][1]
    tick(page, second.name)
    page.get_by_label(f"Notes on “{second.name}”").fill("Validation study of the ratings.")
    page.get_by_role("button", name="Save goal").click()
    expect(page.get_by_role("heading", name="Kansas already has an open goal")).to_be_visible()
    expect(page.get_by_label(second.name, exact=True)).to_be_checked()  # nothing lost
    assert_no_axe_violations(page)
    screenshot(page, "goal-form-duplicate")
    page.get_by_role("button", name="Add these strategic areas to the existing goal").click()
    page.wait_for_url(site.url(f"/goals/{kansas_goal['goal'].pk}/"))
    expect(page.get_by_text("Validation study of the ratings.")).to_be_visible()


def test_c1_conflict_panel_and_use_their_version(
    site, signed_in_page, kansas_goal, assert_no_axe_violations, screenshot
):
    goal = kansas_goal["goal"]
    page: Page = signed_in_page(kansas_goal["sss"])
    page.goto(site.url(f"/goals/{goal.pk}/edit/"))
    # Meanwhile an administrator changes the readiness.
    services.goal_update(
        actor=AdminFactory(full_name="Ada Okafor"),
        goal=goal,
        expected_version=goal.version,
        readiness=Readiness.LEAST,
    )
    tick(page, "Most ready")
    tick(page, "The start date is approximate")
    page.get_by_role("button", name="Save changes").click()
    panel = page.get_by_role("region", name="What changed since you opened this form")
    expect(panel).to_contain_text("Someone else changed this goal")
    expect(panel).to_contain_text("Ada Okafor")
    # What they changed (from the version this page was opened at) …
    expect(panel.get_by_role("listitem")).to_contain_text(
        "Readiness to implement: “Somewhat ready” → “Least ready”"
    )
    expect(page.get_by_label("Most ready")).to_be_checked()  # what was typed is kept
    expect(page.get_by_label("The start date is approximate")).to_be_checked()
    assert_no_axe_violations(page)
    screenshot(page, "goal-form-conflict")
    page.get_by_role("link", name="Use their version").click()
    expect(page.get_by_label("Least ready")).to_be_checked()
    expect(page.get_by_label("The start date is approximate")).not_to_be_checked()


def test_edit_category_change_offers_the_new_list(
    site, signed_in_page, kansas_goal, assert_no_axe_violations
):
    goal = kansas_goal["goal"]
    page: Page = signed_in_page(kansas_goal["sss"])
    page.goto(site.url(f"/goals/{goal.pk}/edit/"))
    options = page.locator("#strategic-area-options")
    expect(options).to_contain_text("The goal keeps its strategic areas")
    workforce = GoalCategory.objects.get(number=6)
    page.locator("#id_category").select_option(str(workforce.pk))
    expect(options).to_contain_text("The goal category changes")
    first = StrategicAreaItem.objects.filter(category=workforce).order_by("sort_order").first()
    expect(page.get_by_label(first.name, exact=True)).to_be_visible()
    assert_no_axe_violations(page)
    page.locator("#id_category").select_option(str(kansas_goal["category"].pk))
    expect(options).to_contain_text("The goal keeps its strategic areas")


def test_history_page_is_accessible(site, signed_in_page, kansas_goal, assert_no_axe_violations):
    goal = kansas_goal["goal"]
    services.goal_note_add(actor=kansas_goal["sss"], goal=goal, text="Scope narrowed.")
    page: Page = signed_in_page(kansas_goal["sss"])
    page.goto(site.url(f"/goals/{goal.pk}/history/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("History of this goal")
    expect(page.get_by_text("Scope narrowed.").first).to_be_visible()
    assert_no_axe_violations(page)
