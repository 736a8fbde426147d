"""A TA activity's whole life in headless Chromium: create (by keyboard only) → initial
plan → final plan → approve → two monthly summaries → feedback → close; cancel refused
after a summary; reopen. axe-core checks the create form, each tab, the close flow and the
print view; screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from activities.models import ActivityStatus, CompletionStatus, Requester, TAActivity
from goals.models import StrategicArea
from reference.models import Center, GoalCategory, Jurisdiction, StrategicAreaItem
from tests.factories import (
    AdminFactory,
    FederalViewerFactory,
    GoalFactory,
    RequesterFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@dataclass
class Setting:
    strategic_area: StrategicArea
    primary: User
    collaborator: User
    federal: User
    admin: User


@pytest.fixture
def setting(site) -> Setting:
    georgia = Jurisdiction.objects.get(code="GA")
    category = GoalCategory.objects.get(number=7)
    admin = AdminFactory(full_name="Ada Admin", center=None)
    goal = GoalFactory(jurisdiction=georgia, category=category, created_by=admin)
    item = StrategicAreaItem.objects.filter(category=category).order_by("sort_order").first()
    strategic_area = StrategicArea.objects.create(goal=goal, item=item)
    ecqa = Center.objects.get(code="ECQA")
    scbc = Center.objects.get(code="SCBC")
    primary = UserFactory(full_name="Pat Primary", title="TA Specialist", center=ecqa)
    collaborator = UserFactory(full_name="Cole Collaborator", center=scbc)
    UserFactory(full_name="Quinn Quality", center=ecqa)
    names = ["Avery Adams", "Blake Brown", "Casey Chen", "Drew Diaz", "Emery Evans"]
    names += [f"Contact {number:02d}" for number in range(20)]
    for number, name in enumerate(names):
        RequesterFactory(
            name=name,
            title="CCDF Administrator" if number == 0 else "Program Manager",
            email=f"contact{number}@georgia.example.gov",
            jurisdiction=georgia,
            created_by=admin,
        )
    return Setting(
        strategic_area=strategic_area,
        primary=primary,
        collaborator=collaborator,
        federal=FederalViewerFactory(full_name="Fay Federal"),
        admin=admin,
    )


def tick(scope, label: str) -> None:
    """Tick a USWDS checkbox or radio button by clicking its label, as a person does (the
    input itself is visually hidden)."""
    scope.locator("label", has_text=label).first.click()


def tab_to(page: Page, selector: str, limit: int = 400) -> None:
    """Press Tab until the element matching `selector` has the focus (keyboard only)."""
    for _ in range(limit):
        if page.evaluate(
            "(sel) => !!document.activeElement && document.activeElement.matches(sel)", selector
        ):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never received the focus by pressing Tab")


def type_ahead(page: Page, text: str) -> None:
    """Choose an option of the focused <select> by typing its first letters, as people do.

    Browsers join keys typed within about a second into one search: wait that out first.
    """
    page.wait_for_timeout(1100)
    page.keyboard.type(text)


def create_url(site, setting: Setting) -> str:
    return site.url(f"/activities/new/?strategic_area={setting.strategic_area.pk}")


def iso(day: dt.date) -> str:
    return day.isoformat()


def test_create_form_by_keyboard_only(
    site, setting, signed_in_page, assert_no_axe_violations, screenshot
):
    page = signed_in_page(setting.primary)
    page.goto(create_url(site, setting))
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a TA activity")
    assert_no_axe_violations(page)
    screenshot(page, "activity-create-form")
    # axe-core leaves empty style="" attributes behind, which htmx would copy on a swap
    # (and the CSP refuse): start the keyboard walk on a fresh page.
    page.reload()

    # A1: "Other TA focus notes" is locked unless the TA focus is "Other".
    notes = page.locator("#id_other_focus_notes")
    expect(notes).to_be_disabled()
    tab_to(page, "#id_focus")
    type_ahead(page, "Other")
    expect(notes).to_be_enabled()
    type_ahead(page, "QRIS p")
    expect(page.locator("#id_focus option:checked")).to_have_text("QRIS program standards")
    expect(notes).to_be_disabled()

    tab_to(page, "#id_priority")
    type_ahead(page, "High")
    expect(page.locator("#id_priority")).to_have_value("high")

    # A4: many contacts — the filter box narrows the checkbox list; Space ticks one.
    tab_to(page, "#filter-requesters")
    page.keyboard.type("avery")
    expect(page.locator("#filter-requesters-count")).to_have_text("Showing 1 of 25.")
    avery = Requester.objects.get(name="Avery Adams")
    tab_to(page, f"#requester-picker input[value='{avery.pk}']")
    page.keyboard.press("Space")
    expect(page.locator(f"#requester-picker input[value='{avery.pk}']")).to_be_checked()

    # Add a new requester inline (htmx): it comes back ticked, the rest of the form kept.
    tab_to(page, ".tat-add-requester__summary")
    page.keyboard.press("Enter")
    tab_to(page, "#id_new_requester-name")
    page.keyboard.type("Nia New")
    page.keyboard.press("Tab")
    page.keyboard.type("Deputy Administrator")
    page.keyboard.press("Tab")
    page.keyboard.type("nia.new@georgia.example.gov")
    tab_to(page, "#id_new_requester-approved_by_0")
    page.keyboard.press("Space")
    tab_to(page, "#id_new_requester-approved_by_name")
    page.keyboard.type("Dana Director")
    tab_to(page, "button[name=add_requester]")
    page.keyboard.press("Enter")
    added = page.locator("#requester-picker [role=status]")
    expect(added).to_have_text("Nia New was added as a requester and selected.")
    expect(added).to_be_focused()
    nia = Requester.objects.get(email="nia.new@georgia.example.gov")
    expect(page.locator(f"#requester-picker input[value='{nia.pk}']")).to_be_checked()
    expect(page.locator(f"#requester-picker input[value='{avery.pk}']")).to_be_checked()
    expect(page.locator("#id_priority")).to_have_value("high")

    # A7: requested directly by the CCDF Administrator (Avery Adams) — a radio button.
    tab_to(page, "#id_requested_by_ccdf_administrator_0")
    page.keyboard.press("Space")
    expect(page.locator("#id_requested_by_ccdf_administrator_0")).to_be_checked()

    # A5: the primary staff list follows the chosen center (htmx, no reload).
    staff = page.locator("#id_primary_staff")
    tab_to(page, "#id_primary_center")
    type_ahead(page, "State Capacity")
    expect(staff.locator("option", has_text="Cole Collaborator")).to_have_count(1)
    expect(staff.locator("option", has_text="Pat Primary")).to_have_count(0)
    type_ahead(page, "National Center on Early Childhood Q")
    expect(staff.locator("option", has_text="Pat Primary")).to_have_count(1)
    tab_to(page, "#id_primary_staff")
    type_ahead(page, "Pat")
    expect(staff).to_have_value(str(setting.primary.pk))

    tab_to(page, "#id_description_stage")
    type_ahead(page, "Initial")
    page.keyboard.press("Tab")
    tab_to(page, "#id_description_notes")
    page.keyboard.type("SCBC to gather other States' QRIS standards for the State's review.")
    tab_to(page, "#id_activity_type")
    type_ahead(page, "Targeted")
    tab_to(page, "#id_outcome_plan")
    page.keyboard.type("State will publish revised QRIS standards by the fall.")
    tab_to(page, "button[name=save].usa-button")
    page.keyboard.press("Enter")

    page.wait_for_url(f"{site.url('/activities/')}*/")
    activity = TAActivity.objects.get()
    expect(page.get_by_text(f"{activity.record_number} was created.")).to_be_visible()
    assert set(activity.requesters.all()) == {avery, nia}
    assert activity.primary_staff == setting.primary
    assert activity.description_notes.get().stage == "initial"


def test_create_form_refusals_show_at_the_field(
    site, setting, signed_in_page, assert_no_axe_violations, screenshot
):
    page = signed_in_page(setting.primary)
    page.goto(create_url(site, setting))
    page.get_by_role("button", name="Create TA activity").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Choose at least one requester.")
    expect(page.locator("#id_outcome_plan-error")).to_have_text(
        "Enter the State/Territory outcome plan."
    )
    # A duplicate e-mail is refused with a link to the requester on file.
    page.locator(".tat-add-requester__summary").click()
    page.fill("#id_new_requester-name", "Somebody Else")
    page.fill("#id_new_requester-email", "CONTACT0@georgia.example.gov")
    page.locator("label[for=id_new_requester-approved_by_1]").click()
    page.get_by_role("button", name="Add requester").click()
    duplicate = page.locator(".tat-duplicate")
    expect(duplicate).to_contain_text("already on file")
    expect(duplicate.get_by_role("link", name="Avery Adams, CCDF Administrator")).to_be_visible()
    screenshot(page, "activity-create-duplicate-requester")
    duplicate.get_by_role("button", name="Select Avery Adams").click()
    avery = Requester.objects.get(name="Avery Adams")
    expect(page.locator(f"#requester-picker input[value='{avery.pk}']")).to_be_checked()
    expect(page.locator("#filter-requesters")).to_be_visible()  # enhanced again after the swap
    assert_no_axe_violations(page)
    screenshot(page, "activity-create-errors")


def test_activity_lifecycle(site, setting, signed_in_page, assert_no_axe_violations, screenshot):
    today = timezone.localdate()
    page = signed_in_page(setting.primary)

    # Create (A1–A8): opened 45 days ago, so it is a late entry (A2).
    page.goto(create_url(site, setting))
    page.select_option("#id_focus", label="QRIS program standards")
    page.fill("#id_date_opened", iso(today - dt.timedelta(days=45)))
    page.select_option("#id_priority", "medium")
    tick(page.locator("#requester-picker"), "Avery Adams")
    tick(page, "Yes: the CCDF Administrator or his or her staff requested it")  # A7
    tick(page, "Cole Collaborator (SCBC)")
    tick(page, "State Capacity Building Center (SCBC)")
    page.select_option("#id_description_stage", "initial")
    page.fill("#id_description_notes", "SCBC to propose a review of the QRIS standards.")
    page.select_option("#id_activity_type", "tailored")
    page.fill("#id_outcome_plan", "State will publish revised QRIS standards by the fall.")
    page.get_by_role("button", name="Create TA activity").click()
    page.wait_for_url(f"{site.url('/activities/')}*/")
    activity = TAActivity.objects.get()
    header = page.locator(".tat-record-head")
    expect(header).to_contain_text(activity.record_number)
    expect(header).to_contain_text("QRIS program standards")
    expect(header).to_contain_text("Late entry")
    expect(page.locator(".tat-tabs a[aria-current=page]")).to_have_text("Details")

    # Plan stages (A6): intermediate, then final; a second final archives the first.
    plans = page.locator("#plans")
    for stage, text in (
        ("intermediate", "ECQA to review the standards with the QRIS workgroup."),
        ("final", "ECQA to review the standards; SCBC to facilitate two workgroup meetings."),
        ("final", "ECQA to review the standards and facilitate three workgroup meetings."),
    ):
        page.select_option("#id_plan-stage", stage)
        page.fill("#id_plan-text", text)
        page.get_by_role("button", name="Add description note").click()
        expect(plans).to_contain_text(text)
    expect(page.get_by_text("The previous final plan (dated")).to_be_visible()
    expect(plans.locator(".tat-stage--archived_final")).to_have_count(1)
    expect(plans.locator(".tat-note--current-final")).to_contain_text("three workgroup")

    # Tracking is not there yet: the tab says what is missing (A9).
    page.locator(".tat-tabs").get_by_role("link", name="Tracking").click()
    expect(page.locator("#tracking-missing")).to_contain_text("not “Approved”")
    assert_no_axe_violations(page)
    screenshot(page, "activity-tracking-unavailable")

    # Approval (A7) records who and when, and the COR's name and approval date.
    page.locator(".tat-tabs").get_by_role("link", name="Details").click()
    tick(page.locator("#status"), "Approved")
    page.fill("#id_status-cor_name", "Dana Whitfield")
    page.fill("#id_status-cor_approval_date", iso(today - dt.timedelta(days=40)))
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_text("Approval recorded: Pat Primary")).to_be_visible()
    assert_no_axe_violations(page)
    screenshot(page, "activity-details")

    # Two monthly summaries (A10): each shows its due date; the old one is late.
    page.locator(".tat-tabs").get_by_role("link", name="Tracking").click()
    for delivered, text, method in (
        (
            today - dt.timedelta(days=35),
            "State received a remote review of QRIS standards.",
            "Remote/virtual",
        ),
        (
            # Delivered today: never late, whatever day of the month the test runs (a
            # delivery two days ago is late on the 1st: due by the previous month's end).
            today,
            "State workgroup met twice with ECQA facilitation.",
            "Onsite",
        ),
    ):
        page.fill("#id_summary-delivery_date", iso(delivered))
        page.fill("#id_summary-text", text)
        tick(page.locator("#summaries"), method)
        tick(page.locator("#summaries"), "Meeting planning and facilitation")
        page.get_by_role("button", name="Add summary").click()
        expect(page.locator("#summaries")).to_contain_text(text)
    expect(page.locator("#summaries .tat-tag--late")).to_have_count(1)

    # Requester feedback (A11).
    page.fill("#id_feedback-feedback_date", iso(today))
    page.fill("#id_feedback-giver_name", "Avery Adams")
    page.fill("#id_feedback-giver_title", "CCDF Administrator")
    page.fill("#id_feedback-text", "“This is exactly the kind of information we were looking for.”")
    page.get_by_role("button", name="Add feedback").click()
    expect(page.locator("#feedback")).to_contain_text(
        "received from Avery Adams, CCDF Administrator"
    )
    assert_no_axe_violations(page)
    screenshot(page, "activity-tracking")

    # TA response notes (A14): quick add without a full reload.
    page.locator(".tat-tabs").get_by_role("link", name="TA response notes").click()
    page.evaluate("window.tatNoReload = true")
    page.fill("#id_response-text", "(today): ECQA and SCBC held the closing call with the State.")
    page.get_by_role("button", name="Add note").click()
    added = page.locator("#response-notes-section [role=status]")
    expect(added).to_have_text("TA response note added.")
    expect(added).to_be_focused()
    expect(page.locator("#response-notes-section")).to_contain_text("closing call")
    assert page.evaluate("window.tatNoReload") is True
    assert_no_axe_violations(page)
    screenshot(page, "activity-response-notes")

    # Cancel is refused once TA was delivered (A12).
    page.goto(site.url(f"/activities/{activity.pk}/cancel/"))
    page.fill("#id_reason", "The State no longer needs TA.")
    page.get_by_role("button", name="Cancel activity").click()
    expect(page.locator("#error-summary")).to_contain_text("use Closed instead")
    assert_no_axe_violations(page)

    # Close (A12): the checklist, a refusal at the field, then closed.
    page.goto(site.url(f"/activities/{activity.pk}/tracking/"))
    page.get_by_role("link", name="Close activity").click()
    expect(page.get_by_role("heading", name="Close this TA activity")).to_be_visible()
    assert_no_axe_violations(page)
    page.fill("#id_outcome_report", "")
    page.get_by_role("button", name="Close activity").click()
    expect(page.locator("#id_outcome_report-error")).to_have_text(
        "Enter the State/Territory outcome report before closing."
    )
    assert_no_axe_violations(page)
    screenshot(page, "activity-close-refused")
    page.fill("#id_outcome_report", "State published revised QRIS standards in its manual.")
    page.get_by_role("button", name="Close activity").click()
    expect(page.get_by_text("is closed. It is now read-only")).to_be_visible()
    activity.refresh_from_db()
    assert activity.completion_status == CompletionStatus.CLOSED
    assert activity.status == ActivityStatus.APPROVED
    expect(page.get_by_role("button", name="Add summary")).to_have_count(0)
    expect(page.get_by_role("button", name="Add feedback")).to_have_count(1)  # A11/A13
    assert_no_axe_violations(page)
    screenshot(page, "activity-closed")

    # History (AU1).
    page.locator(".tat-tabs").get_by_role("link", name="History").click()
    expect(page.locator(".tat-history")).to_contain_text("Completion status")
    assert_no_axe_violations(page)
    screenshot(page, "activity-history")

    # Printable record: every tab's content, on paper without the site's chrome.
    page.goto(site.url(f"/activities/{activity.pk}/print/"))
    for text in ("three workgroup meetings", "remote review", "exactly the kind", "closing call"):
        expect(page.locator(".tat-print")).to_contain_text(text)
    assert_no_axe_violations(page)
    screenshot(page, "activity-print")
    page.emulate_media(media="print")
    expect(page.locator(".usa-header")).to_be_hidden()
    expect(page.locator(".tat-print__toolbar")).to_be_hidden()
    screenshot(page, "activity-print-paper")
    page.emulate_media(media="screen")

    # Reopen (A13): the primary staff person, with a reason.
    page.goto(site.url(f"/activities/{activity.pk}/"))
    page.locator(".tat-record-head").get_by_role("link", name="Reopen").click()
    page.get_by_role("button", name="Reopen activity").click()
    expect(page.locator("#id_reason-error")).to_have_text("Give the reason.")
    page.fill("#id_reason", "The State asked for one more workgroup meeting.")
    page.get_by_role("button", name="Reopen activity").click()
    expect(page.get_by_text(f"{activity.record_number} is open again.")).to_be_visible()
    activity.refresh_from_db()
    assert activity.completion_status == CompletionStatus.OPEN
    assert_no_axe_violations(page)


def test_tabs_work_by_keyboard(site, setting, signed_in_page):
    page = signed_in_page(setting.primary)
    page.goto(create_url(site, setting))
    page.select_option("#id_focus", label="QRIS program standards")
    tick(page.locator("#requester-picker"), "Blake Brown")
    tick(page, "No: another partner requested it")  # A7: approval may follow later
    page.select_option("#id_priority", "low")
    page.select_option("#id_activity_type", "universal")
    page.fill("#id_outcome_plan", "State will adopt the plan.")
    page.get_by_role("button", name="Create TA activity").click()
    page.wait_for_url(f"{site.url('/activities/')}*/")
    tab_to(page, ".tat-tabs a[href$='/notes/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/notes/")
    expect(page.locator(".tat-tabs a[aria-current=page]")).to_have_text("TA response notes (0)")
