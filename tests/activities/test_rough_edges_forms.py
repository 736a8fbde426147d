"""Issue 10, rough edges: the activity and goal forms keep the guide's definitions (HL1) but
show one line of each, the rest on demand, and come in titled sections with an in-page
section navigation placed before the form (keyboard order follows the page)."""

from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from core.templatetags.uswds import split_first_line
from reference.models import FieldHelp
from tests.activities.helpers import create_url, sign_in, url

DATA_FILE = Path(__file__).resolve().parents[2] / "reference" / "data" / "reference.json"

ACTIVITY_SECTIONS = [
    ("section-focus", "TA focus and request"),
    ("section-requesters", "Requesters"),
    ("section-approval", "Request and approval"),
    ("section-centers", "Centers, staff and collaborators"),
    ("section-description", "TA activity description"),
    ("section-type", "Type, status and outcome plan"),
]
GOAL_SECTIONS = [
    ("section-goal", "Goal"),
    ("section-strategic-areas", "Strategic areas and their notes"),
    ("section-update-note", None),  # the update note field's own label titles it
]


@pytest.fixture
def guide_help(db) -> dict[str, str]:
    """The shipped field help (the guide's definitions), as the forms show it."""
    entries = json.loads(DATA_FILE.read_text(encoding="utf-8"))["field_help"]
    definitions = {}
    for entry in entries:
        definition = entry["definition"]
        if isinstance(definition, list):
            definition = "\n".join(definition)
        best = entry.get("best_practice") or ""
        if isinstance(best, list):
            best = "\n".join(best)
        FieldHelp.objects.create(
            key=entry["key"], label=entry["label"], definition=definition, best_practice=best
        )
        definitions[entry["key"]] = definition
    return definitions


def _text(fragment: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment))


def _squash(text: str) -> str:
    return " ".join(text.split())


def _assert_sections(page: str, sections: list[tuple[str, str | None]]) -> None:
    nav = re.search(
        r'<nav class="tat-section-nav[^"]*" aria-label="Sections of this form">(.*?)</nav>',
        page,
        re.S,
    )
    assert nav, "no section navigation"
    links = re.findall(r'href="#([\w-]+)"', nav.group(1))
    assert links == [section_id for section_id, _ in sections] + ["section-save"]
    # The navigation comes before the form's fields in the page (DOM = keyboard order).
    assert nav.start() < page.index('id="section-save"')
    for section_id, title in sections:
        found = re.search(rf'<(fieldset|section|div) class="[^"]*" id="{section_id}"', page)
        assert found, section_id
        if title:
            after = page[found.end() : found.end() + 400]
            assert re.search(rf"<(legend|h2)[^>]*>{re.escape(title)}</", after), title
    positions = [page.index(f'id="{section_id}"') for section_id, _ in sections]
    assert positions == sorted(positions)  # sections in the order the navigation lists them


def _assert_help_on_demand(page: str, guide_help: dict[str, str], keys: list[str]) -> None:
    text = _squash(_text(page))
    for key in keys:
        first, rest = split_first_line(guide_help[key])
        shown = re.escape(html_lib.escape(first, quote=True))
        hint = re.search(
            rf'<div class="usa-hint tat-hint" id="[\w-]+-hint"><p>{shown}</p></div>', page
        )
        assert hint, f"{key}: first line not shown as the hint"
        if rest:
            # The rest is in the page, inside a <details> (closed: no "open" attribute).
            assert _squash(rest) in text, key
            assert "<details open" not in page


@pytest.mark.django_db
def test_activity_create_form_in_sections_with_help_on_demand(client, world, guide_help):
    sign_in(client, world.primary)
    page = client.get(create_url(world)).content.decode()
    _assert_sections(page, ACTIVITY_SECTIONS)
    _assert_help_on_demand(
        page,
        guide_help,
        [
            "activity.focus",
            "activity.activity_type",
            "activity.description_stage",
            "activity.description_notes",
            "activity.outcome_plan",
        ],
    )
    # Long definitions are no longer shown in full: each visible hint is one line.
    hints = re.findall(r'<div class="usa-hint tat-hint" id="[\w-]+-hint">(.*?)</div>', page, re.S)
    assert hints and all(hint.count("<p>") <= 1 for hint in hints)


@pytest.mark.django_db
def test_activity_edit_form_has_its_sections_without_the_create_only_one(
    client, world, activity, guide_help
):
    sign_in(client, world.primary)
    page = client.get(url("edit", activity)).content.decode()
    _assert_sections(page, [s for s in ACTIVITY_SECTIONS if s[0] != "section-description"])
    assert 'id="id_outcome_plan"' in page  # the tracking tab's "Edit the outcome plan" target


@pytest.mark.django_db
def test_goal_forms_in_sections_with_help_on_demand(client, sss, state, items, guide_help):
    client.force_login(sss)
    page = client.get(reverse("goals:create") + f"?jurisdiction={state.code}").content.decode()
    _assert_sections(page, GOAL_SECTIONS)
    _assert_help_on_demand(
        page, guide_help, ["goal.readiness", "goal.category", "goal.related_category"]
    )
