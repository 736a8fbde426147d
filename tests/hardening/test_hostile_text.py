"""Issue #12, evidence in CI: property-based tests (hypothesis) of hostile text.

Hostile strings (markup, template syntax, spreadsheet formulas, RTL marks, unicode, very long
words) go into every free-text field through the services; the record pages, the history
pages, the print page, the search page and the CSV/XLSX exports must show them escaped (never
as live markup) and neutralise formulas in exports.

The data set is built once for the module (rolled back at its end); each example runs in a
savepoint rolled back after it, so examples do not see each other's text. Examples are few
(`max_examples` below) and have no deadline: the whole file runs in well under a minute.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from activities import services as activity_services
from activities.models import PlanStage, TAActivity
from goals import services as goal_services
from goals.models import Goal, StrategicArea
from search import services as search_services
from tests.factories_activities import (
    World,
    add_summary,
    build_world,
    create_activity,
    make_trackable,
    today,
)

EXAMPLES = 20

# Hand-picked attacks, each tried first; then hypothesis mixes them with arbitrary text.
ATTACKS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg/onload=alert(1)>",
    "{{ 7*7 }} {% debug %}",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://x.invalid","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\u202eevil\u202c right-to-left \u200f mark",
    "é中🙂 ünïcödé",
    "x" * 3000,
    "</textarea><b>bold</b>",
    "javascript:alert(1)",
]
FORMULA_START = ("=", "+", "-", "@")
_TAG = re.compile(r"<[A-Za-z/!?]")

# Text without NUL, surrogates, control characters or line breaks (the services keep those
# as they are; line breaks are rendered as <br>, tested elsewhere).
_chars = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00\r\n\u2028\u2029"
)
_noise = st.text(_chars, min_size=0, max_size=40)
hostile = (
    st.one_of(
        st.sampled_from(ATTACKS),
        st.builds(lambda a, b, c: f"{a}{b}{c}", st.sampled_from(ATTACKS), _noise, _noise),
        st.builds(lambda p, b: f"{p}{b}", st.sampled_from(FORMULA_START + ("<", '"')), _noise),
    )
    .map(str.strip)
    .filter(lambda text: bool(text) and text.split())
)

PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same examples on every run: CI failures reproduce
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure reports its example
)


@pytest.fixture(scope="module")
def setting(django_db_setup: None, django_db_blocker: Any) -> Iterator[tuple[World, int]]:
    """A world with an approved, trackable activity whose focus is "Other"; rolled back."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        world = build_world()
        activity = create_activity(
            world,
            focus=world.other_focus,
            other_focus_notes="Other focus to be replaced.",
        )
        make_trackable(world, activity)
    try:
        yield world, activity.pk
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def in_savepoint(check: Callable[[], None]) -> None:
    """Run one example and undo what it saved."""
    savepoint = transaction.savepoint()
    try:
        check()
    finally:
        transaction.savepoint_rollback(savepoint)


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def assert_escaped(html: str, text: str, where: str, *, shown: bool = True) -> None:
    """`text` is on the page only in its escaped form: never as live markup."""
    if shown:
        assert escape(text) in html, f"{where}: the text is not shown (escaped)"
    if _TAG.search(text):  # raw, it would open an element: it must never appear raw
        assert text not in html, f"{where}: the text appears unescaped"


def _activity(pk: int) -> TAActivity:
    return TAActivity.objects.get(pk=pk)


# --- the activity record ---------------------------------------------------------------------


@pytest.mark.django_db
@PROPERTY
@given(text=hostile)
def test_activity_free_text_is_escaped_on_every_page(
    client: Client, setting: tuple[World, int], text: str
) -> None:
    world, pk = setting

    def check() -> None:
        activity = _activity(pk)
        activity = activity_services.activity_update(
            actor=world.primary,
            activity=activity,
            expected_version=activity.version,
            other_focus_notes=text,
            other_collaborators=[world.other_collaborator_type],
            other_collaborators_details=text,
            outcome_plan=text,
        )
        activity_services.description_note_add(
            actor=world.primary, activity=activity, stage=PlanStage.INTERMEDIATE, text=text
        )
        add_summary(world, activity, text=text)
        activity_services.feedback_add(
            actor=world.primary,
            activity=activity,
            feedback_date=today(),
            giver_name=text[:150],
            giver_title=text[:150],
            text=text,
        )
        activity_services.response_note_add(actor=world.primary, activity=activity, text=text)
        client.force_login(world.primary)
        for name in ("detail", "tracking", "response_notes", "history", "print"):
            html = page(client, reverse(f"activities:{name}", args=[pk]))
            assert_escaped(html, text, f"activities:{name}", shown=name != "history")

    in_savepoint(check)


@pytest.mark.django_db
@PROPERTY
@given(text=hostile)
def test_outcome_report_is_escaped(client: Client, setting: tuple[World, int], text: str) -> None:
    world, pk = setting

    def check() -> None:
        activity_services.activity_close(
            actor=world.primary,
            activity=_activity(pk),
            completion_date=today(),
            outcome_report=text,
        )
        client.force_login(world.federal)
        for name in ("tracking", "print", "history"):
            html = page(client, reverse(f"activities:{name}", args=[pk]))
            assert_escaped(html, text, f"activities:{name}", shown=name != "history")

    in_savepoint(check)


# --- exports ---------------------------------------------------------------------------------


def _csv_cells(client: Client, query: dict[str, Any]) -> list[str]:
    response = client.get(reverse("search:export_csv"), query)
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(body)) for cell in row]


def _xlsx_cells(client: Client, query: dict[str, Any]) -> list[Any]:
    response = client.get(reverse("search:export_xlsx"), query)
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(data)).active
    return [cell for row in sheet.iter_rows() for cell in row]


@pytest.mark.django_db
@PROPERTY
@given(text=hostile)
def test_exports_neutralise_formulas(client: Client, setting: tuple[World, int], text: str) -> None:
    world, pk = setting

    def check() -> None:
        activity = _activity(pk)
        activity_services.activity_update(
            actor=world.primary,
            activity=activity,
            expected_version=activity.version,
            other_focus_notes=text,
        )
        add_summary(world, _activity(pk), text=text)
        client.force_login(world.primary)
        query = {"jurisdiction": world.jurisdiction.pk}
        cells = _csv_cells(client, query)
        expected = "'" + text if text.startswith(FORMULA_START) else text
        assert expected in cells, "the summary is in the CSV export, neutralised"
        live = [cell[:40] for cell in cells if cell.startswith(FORMULA_START)]
        assert not live, f"CSV cells a spreadsheet would run: {live}"
        for cell in _xlsx_cells(client, query):
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                assert cell.data_type == "s", f"XLSX cell is a formula: {cell.value[:40]!r}"
        html = page(client, reverse("search:search") + f"?jurisdiction={world.jurisdiction.pk}")
        assert_escaped(html, text, "search results", shown=False)

    in_savepoint(check)


# --- goals, strategic areas, requesters, saved searches ---------------------------------------


@pytest.mark.django_db
@PROPERTY
@given(text=hostile)
def test_goal_and_strategic_area_notes_are_escaped(
    client: Client, setting: tuple[World, int], text: str
) -> None:
    world, _ = setting

    def check() -> None:
        goal = Goal.objects.get(pk=world.goal.pk)
        goal_services.goal_note_add(actor=world.sss, goal=goal, text=text)
        area = StrategicArea.objects.get(pk=world.strategic_area.pk)
        goal_services.strategic_area_update_notes(
            actor=world.sss, strategic_area=area, notes=text, expected_version=area.version
        )
        client.force_login(world.federal)
        html = page(client, reverse("goals:detail", args=[goal.pk]))
        assert_escaped(html, text, "goals:detail")
        html = page(client, reverse("goals:history", args=[goal.pk]))
        assert_escaped(html, text, "goals:history", shown=False)

    in_savepoint(check)


@pytest.mark.django_db
@PROPERTY
@given(text=hostile)
def test_requester_and_saved_search_names_are_escaped(
    client: Client, setting: tuple[World, int], text: str
) -> None:
    world, _ = setting

    def check() -> None:
        requester = activity_services.requester_create(
            actor=world.primary,
            name=text[:150],
            title=text[:150],
            email="hostile.requester@example.org",
            jurisdiction=world.jurisdiction,
            approved_by="ccdf_administrator",
        )
        saved = search_services.saved_search_create(
            actor=world.primary, name=text[:100], query_string="region=4"
        )
        client.force_login(world.primary)
        html = page(client, reverse("activities:requester_detail", args=[requester.pk]))
        assert_escaped(html, requester.name, "requester page")
        for url in (reverse("search:search"), reverse("workspace:home")):
            html = page(client, url)
            assert_escaped(html, saved.name, url)

    in_savepoint(check)
