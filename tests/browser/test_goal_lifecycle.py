"""A goal's whole life in a real browser (G1–G4, H1, H2): an SSS signs in, picks a State,
adds a goal with two strategic areas using only the keyboard and requests its closure; an
administrator closes it once its activities are closed. axe-core checks every page on the
way; screenshots of home, the State page and the goal form go to test-artifacts/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from activities.models import ActivityStatus, CompletionStatus, TAActivity
from goals import services
from goals.models import Goal, GoalClosureRequest, Readiness
from reference.models import Center, FocusArea, GoalCategory, Jurisdiction, StrategicAreaItem
from tests.factories import AdminFactory, SSSFactory, TAActivityFactory

pytestmark = pytest.mark.browser

MAX_TABS = 120


def tab_to(page: Page, target: Locator, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until `target` has the focus, as a keyboard user would."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{target} never received the focus by {key}")


def _world() -> dict:
    """Kansas with an SSS who already has work under way, and an administrator."""
    kansas = Jurisdiction.objects.get(code="KS")
    sss = SSSFactory(
        jurisdictions=[kansas],
        full_name="Sam Rivera",
        email="sam.rivera@example.org",
        center=Center.objects.get(code="SCBC"),
    )
    admin = AdminFactory(full_name="Ada Okafor", email="ada.okafor@example.org")
    workforce = GoalCategory.objects.get(number=6)
    areas = list(StrategicAreaItem.objects.filter(category=workforce).order_by("sort_order")[:2])
    existing = services.goal_create(
        actor=admin,  # G3: the State's SSS is notified, on the home page
        jurisdiction=kansas,
        category=workforce,
        readiness=Readiness.SOMEWHAT,
        start_date=timezone.localdate() - dt.timedelta(days=120),
        strategic_areas=[(areas[0], "Registry and career lattice for infant/toddler staff.")]
        + [(item, "") for item in areas[1:]],
    )
    focus_areas = list(FocusArea.objects.filter(category=workforce).order_by("sort_order"))
    centers = list(Center.objects.filter(key__isnull=False).order_by("sort_order")[:3])
    statuses = [ActivityStatus.APPROVED, ActivityStatus.PLANNING, ActivityStatus.ON_HOLD]
    for index, strategic_area in enumerate(existing.strategic_areas.all()):
        for offset in range(2):
            TAActivityFactory(
                strategic_area=strategic_area,
                focus=focus_areas[(index * 2 + offset) % len(focus_areas)],
                primary_center=centers[(index + offset) % len(centers)],
                primary_staff=sss,
                status=statuses[(index + offset) % len(statuses)],
                date_opened=timezone.localdate() - dt.timedelta(days=10 * (index + offset + 1)),
                is_late_entry=(index, offset) == (1, 1),
            )
    # A closed goal and an on-demand activity, so that every section of the State's page
    # has something to show.
    family = GoalCategory.objects.get(number=2)
    old_goal = services.goal_create(
        actor=sss,
        jurisdiction=kansas,
        category=family,
        readiness=Readiness.MOST,
        start_date=timezone.localdate() - dt.timedelta(days=400),
        strategic_areas=[StrategicAreaItem.objects.filter(category=family).first()],
    )
    services.goal_close(actor=admin, goal=old_goal, note="All TA activities complete.")
    TAActivityFactory(
        strategic_area=None,
        goal=None,
        jurisdiction=kansas,
        goal_category=family,
        focus=FocusArea.objects.filter(category=family).first(),
        primary_center=centers[0],
        primary_staff=admin,
    )
    return {"kansas": kansas, "sss": sss, "admin": admin}


def test_goal_life_cycle_by_keyboard_with_accessible_pages(
    site, page: Page, signed_in_page, assert_no_axe_violations, screenshot
):
    world = _world()
    quality = GoalCategory.objects.get(number=7)
    quality_areas = list(
        StrategicAreaItem.objects.filter(category=quality, active=True).order_by(
            "sort_order", "name"
        )
    )

    # --- the SSS signs in: home (H1) ---------------------------------------------------
    signed_in_page(world["sss"])
    expect(page.get_by_role("heading", level=1)).to_have_text("My TA activities")
    expect(page.locator("table.tat-table tbody tr")).to_have_count(4)
    expect(page.locator(".tat-notifications")).to_contain_text("Ada Okafor added a goal for Kansas")
    assert_no_axe_violations(page)
    screenshot(page, "home")

    # --- picks Kansas with the keyboard ("View/Add/Edit State TA for") -------------------
    picker = page.locator("#tat-jurisdiction-picker")
    tab_to(page, picker)
    page.keyboard.type("Kansas")
    expect(picker).to_have_value("KS")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(site.url("/states/KS/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kansas")
    assert_no_axe_violations(page)
    screenshot(page, "jurisdiction")

    # --- adds a goal with two strategic areas, keyboard only (G1) -------------------------
    tab_to(page, page.get_by_role("link", name="Add a goal"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/goals/new/?jurisdiction=KS")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a goal")
    # JavaScript is on: the no-JavaScript button is hidden, htmx follows the category.
    expect(page.get_by_role("button", name="Show strategic areas for this category")).to_be_hidden()

    tab_to(page, page.locator("#id_readiness_0"))
    page.keyboard.press("ArrowDown")  # somewhat ready
    page.keyboard.press("ArrowDown")  # most ready
    expect(page.locator("#id_readiness_2")).to_be_checked()

    category = page.locator("#id_category")
    tab_to(page, category)
    page.keyboard.type("7")
    expect(category).to_have_value(str(quality.pk))
    first_box = page.locator("#id_strategic_areas_0")
    expect(first_box).to_be_attached()
    expect(page.locator("#strategic-area-options")).to_contain_text(quality_areas[0].name)

    tab_to(page, first_box)
    page.keyboard.press("Space")
    notes = page.locator(f"#id_notes_{quality_areas[0].pk}")
    expect(notes).to_be_visible()
    expect(page.locator(f"#id_notes_{quality_areas[1].pk}")).to_be_hidden()
    tab_to(page, page.locator("#id_strategic_areas_1"))
    page.keyboard.press("Space")
    expect(page.locator("#id_strategic_areas_1")).to_be_checked()
    tab_to(page, notes)
    page.keyboard.type("Training for providers new to the rating scale.")
    tab_to(page, page.locator("#id_update_note"))
    page.keyboard.type("Goal agreed with the Lead Agency at the annual planning meeting.")
    assert_no_axe_violations(page)
    screenshot(page, "goal-form")

    tab_to(page, page.get_by_role("button", name="Save goal"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/goals/*/")
    goal = Goal.objects.get(jurisdiction=world["kansas"], category=quality)
    assert sorted(sa.item_id for sa in goal.strategic_areas.all()) == sorted(
        item.pk for item in quality_areas[:2]
    )
    assert goal.readiness == Readiness.MOST
    expect(page.get_by_text("The goal was saved.")).to_be_visible()
    expect(page.get_by_text("Training for providers new to the rating scale.")).to_be_visible()
    assert_no_axe_violations(page)
    screenshot(page, "goal-detail")

    # An activity is then recorded under the goal (by the activities pages, not tested here).
    activity = TAActivityFactory(
        strategic_area=goal.strategic_areas.order_by("pk").first(),
        focus=FocusArea.objects.filter(category=quality).first(),
        primary_center=Center.objects.get(code="SCBC"),
        primary_staff=world["sss"],
        status=ActivityStatus.APPROVED,
    )

    # --- requests closure, keyboard only (G4) -----------------------------------------------
    page.reload()
    tab_to(page, page.get_by_role("link", name="Request closure"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/request-closure/")
    expect(page.get_by_text("1 TA activity is still open")).to_be_visible()
    assert_no_axe_violations(page)
    tab_to(page, page.locator("#id_reason"))
    page.keyboard.type("All TA activities complete. No further TA requested.")
    tab_to(page, page.get_by_role("button", name="Send the request"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/goals/{goal.pk}/")
    expect(page.get_by_text("Closure requested", exact=True).first).to_be_visible()
    assert GoalClosureRequest.objects.filter(goal=goal, status="pending").exists()

    # --- the administrator: refused while the activity is open, then closes -----------------
    page.get_by_role("button", name="Sign out").click()
    signed_in_page(world["admin"])
    page.goto(site.url("/goals/closure-requests/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Goal closure requests")
    expect(page.get_by_text("1 open", exact=True)).to_be_visible()
    assert_no_axe_violations(page)
    screenshot(page, "closure-queue")

    page.get_by_role("link", name="Close the goal Kansas").click()
    page.get_by_label("Explanatory note").fill(
        "All TA activities complete. No further TA requested."
    )
    page.get_by_role("button", name="Close the goal").click()
    expect(page.get_by_text("The goal was not closed")).to_be_visible()
    expect(page.get_by_role("link", name=activity.record_number)).to_be_visible()
    expect(page.get_by_label("Explanatory note")).to_have_value(
        "All TA activities complete. No further TA requested."
    )
    assert_no_axe_violations(page)
    goal.refresh_from_db()
    assert goal.is_open

    activity = TAActivity.objects.get(pk=activity.pk)
    activity.completion_status = CompletionStatus.CLOSED
    activity.completion_date = timezone.localdate()
    activity.outcome_report = "State adopted the revised rating scale."
    activity.save()

    page.get_by_role("button", name="Close the goal").click()
    page.wait_for_url(f"**/goals/{goal.pk}/")
    expect(page.get_by_text("The goal was closed")).to_be_visible()
    goal.refresh_from_db()
    assert not goal.is_open
    assert goal.notes.filter(kind="completion").exists()
    page.goto(site.url("/goals/closure-requests/"))
    expect(page.get_by_text("No closure requests are waiting.")).to_be_visible()


def test_goal_form_without_javascript_shows_strategic_areas_by_button(
    site, browser, signed_in_page
):
    """The strategic-area list follows the category without JavaScript too (G1)."""
    sss = SSSFactory(jurisdictions=[Jurisdiction.objects.get(code="KS")])
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url("/accounts/login/"))
    page.get_by_label("E-mail address").fill(sss.email)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.goto(site.url("/goals/new/?jurisdiction=KS"))
    quality = GoalCategory.objects.get(number=7)
    page.locator("#id_category").select_option(str(quality.pk))
    page.get_by_role("button", name="Show strategic areas for this category").click()
    first = StrategicAreaItem.objects.filter(category=quality).order_by("sort_order").first()
    expect(page.get_by_label(first.name, exact=True)).to_be_visible()
    expect(page.locator("#id_category")).to_have_value(str(quality.pk))
    expect(page.locator("#error-summary")).to_have_count(0)
    context.close()
