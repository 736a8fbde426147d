"""Phrase lists from which `generate_data` composes believable TA records.

The lists live in `demo/data/phrases.json` (edit the words there) and are read once, at
import, into tuples. Texts follow the quick guide's best practices (dates first, actions
named by center, people by title or role) and draw their subject matter from topic lists
per goal category, so a full-text search for a topic word finds a small, meaningful share
of the records.
"""

from __future__ import annotations

import json
from pathlib import Path

PHRASES_FILE = Path(__file__).resolve().parent / "data" / "phrases.json"


def _load() -> dict:
    with PHRASES_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


_DATA = _load()

FIRST_NAMES: tuple[str, ...] = tuple(_DATA["first_names"])
LAST_NAMES: tuple[str, ...] = tuple(_DATA["last_names"])
STAFF_TITLES: tuple[str, ...] = tuple(_DATA["staff_titles"])
REQUESTER_TITLES: tuple[str, ...] = tuple(_DATA["requester_titles"])
REGIONAL_TITLES: tuple[str, ...] = tuple(_DATA["regional_titles"])
# Keyed by goal category number (JSON keys are strings).
TOPICS_BY_CATEGORY: dict[int, tuple[str, ...]] = {
    int(number): tuple(topics) for number, topics in _DATA["topics_by_category"].items()
}
PRODUCTS: tuple[str, ...] = tuple(_DATA["products"])
AUDIENCES: tuple[str, ...] = tuple(_DATA["audiences"])
METHODS_PHRASES: tuple[str, ...] = tuple(_DATA["methods_phrases"])
ACTIONS_PAST: tuple[str, ...] = tuple(_DATA["actions_past"])
PLAN_OPENERS: tuple[str, ...] = tuple(_DATA["plan_openers"])
PLAN_PURPOSES: tuple[str, ...] = tuple(_DATA["plan_purposes"])
PLAN_CENTER_ROLES: tuple[str, ...] = tuple(_DATA["plan_center_roles"])
SUMMARY_TEMPLATES: tuple[str, ...] = tuple(_DATA["summary_templates"])
SUMMARY_FUTURE_TEMPLATES: tuple[str, ...] = tuple(_DATA["summary_future_templates"])
SUMMARY_NAMED_TEMPLATES: tuple[str, ...] = tuple(_DATA["summary_named_templates"])
FEEDBACK_QUOTES: tuple[str, ...] = tuple(_DATA["feedback_quotes"])
RESPONSE_TEMPLATES: tuple[str, ...] = tuple(_DATA["response_templates"])
OUTCOME_PLANS: tuple[str, ...] = tuple(_DATA["outcome_plans"])
OUTCOME_REPORTS: tuple[str, ...] = tuple(_DATA["outcome_reports"])
OTHER_FOCUS_NOTES: tuple[str, ...] = tuple(_DATA["other_focus_notes"])
OTHER_COLLABORATOR_DETAILS: tuple[str, ...] = tuple(_DATA["other_collaborator_details"])
STRATEGIC_AREA_NOTES: tuple[str, ...] = tuple(_DATA["strategic_area_notes"])
GOAL_UPDATE_NOTES: tuple[str, ...] = tuple(_DATA["goal_update_notes"])
GOAL_CLOSING_NOTES: tuple[str, ...] = tuple(_DATA["goal_closing_notes"])
SEASONS: tuple[str, ...] = tuple(_DATA["seasons"])
