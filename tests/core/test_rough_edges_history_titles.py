"""Issue 10, rough edges: history titles name a dated note's date once (the guide has writers
begin notes with the date), "Changes to TA activity" keeps its capitals, and the outcome-plan
help on the tracking tab says one thing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from activities import services
from core.models import dated_label
from goals.services import goal_note_add
from reference.models import FieldHelp
from tests.activities.helpers import sign_in, url
from tests.factories_activities import add_summary, today

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    "text",
    [
        "11/25/26: Met the QRIS team.",
        "11/25/26 – Met the QRIS team.",
        "(11/25/26): Met the QRIS team.",
        "11/25/2026 Met the QRIS team.",
    ],
)
def test_au1_a_note_that_begins_with_its_date_is_not_dated_twice(text):
    label = dated_label(DAY, text)
    assert label.count("11/25/") == 1
    assert label == text


def test_au1_a_note_without_its_date_gets_it_in_front():
    assert dated_label(DAY, "Met the QRIS team.") == "11/25/26: Met the QRIS team."
    assert dated_label(DAY, "Met.", separator=" – ") == "11/25/26 – Met."
    # Another date at the start is the writer's own: the note's date still leads.
    assert dated_label(DAY, "11/20/26: Met.") == "11/25/26: 11/20/26: Met."


def test_au1_activity_history_titles_once_dated_and_capitalised(client, world, trackable):
    text = f"{today():%m/%d/%y}: Remote consultation on QRIS standards."
    add_summary(world, trackable, text=text)
    sign_in(client, world.federal)
    page = client.get(url("history", trackable)).content.decode()
    titles = re.findall(r'<p class="tat-history__what">(.*?)</p>', page, re.S)
    summary_title = next(t for t in titles if "Summary of TA delivered" in t)
    assert summary_title.count(f"{today():%m/%d/%y}") == 1
    assert "Changes to TA activity on" in page
    assert "Changes to ta activity" not in page
    assert "Changes to summary of TA delivered on" in page


def test_au1_goal_history_titles_once_dated(client, sss, state, items, category):
    from goals.services import goal_create

    goal = goal_create(
        actor=sss,
        jurisdiction=state,
        category=category,
        readiness="most",
        strategic_areas=[items[0]],
    )
    goal_note_add(actor=sss, goal=goal, text=f"{today():%m/%d/%y} – Kickoff call held.")
    client.force_login(sss)
    page = client.get(reverse("goals:history", args=[goal.pk])).content.decode()
    titles = re.findall(r'<p class="tat-history__what">(.*?)</p>', page, re.S)
    note_title = next(t for t in titles if "Kickoff" in t)
    assert note_title.count(f"{today():%m/%d/%y}") == 1


def test_outcome_plan_help_on_the_tracking_tab_says_one_thing(client, world, trackable):
    FieldHelp.objects.create(
        key="activity.outcome_plan_tracking",
        label="State/Territory outcome plan",
        definition=(
            "This is a static field that is provided for reference only. The outcome plan is "
            "written with the TA activity; any revisions must be made on the activity's Edit "
            "page."
        ),
    )
    sign_in(client, world.primary)
    page = client.get(url("tracking", trackable)).content.decode()
    assert "any revisions must be made there" not in page
    assert "To change the plan, use the" not in page
    assert page.count("Edit page.") == 1
    assert f'href="{url("edit", trackable)}#id_outcome_plan">Edit the outcome plan</a>' in page
    # Someone who may not edit reads the help without the link.
    sign_in(client, world.other_staff)
    other = client.get(url("tracking", trackable)).content.decode()
    assert "Edit the outcome plan" not in other


def test_the_shipped_outcome_plan_help_no_longer_points_at_the_tracking_tab():
    import json
    from pathlib import Path

    data = json.loads(
        (
            Path(services.__file__).resolve().parents[2] / "reference" / "data" / "reference.json"
        ).read_text(encoding="utf-8")
    )
    entry = next(e for e in data["field_help"] if e["key"] == "activity.outcome_plan_tracking")
    assert "tracking tab" not in entry["definition"]
    assert "Edit page" in entry["definition"]
