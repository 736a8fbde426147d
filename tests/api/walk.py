"""Which object fills each API URL's parameters in the bad-input URL walk
(tests/robustness/test_bad_input_urls.py), by URL name (the view function's name)."""

from __future__ import annotations

from typing import Any

# View-name prefix → the walk's object key (longest prefixes first).
_BY_PREFIX = (
    ("goal_closure_decline", "closure_request"),
    ("strategic_area_", "strategic_area"),
    ("goal_note_update", None),  # a goal note: none in the walk's data, a missing id
    ("review_send_back_address", "send_back"),
    ("join_request_accept", "join_request"),
    ("join_request_decline", "join_request"),
    ("join_request_", "activity"),
    ("goal", "goal"),
    ("activity_", "activity"),
    ("review_", "activity"),
    ("requester", "requester"),
)
_NOTE_KINDS = {"plan": "plan", "summary": "summary", "feedback": "feedback", "response": "response"}


def api_kwargs(name: str, ids: dict[str, int]) -> list[dict[str, Any]]:
    """The real objects for the API route `name` ("api:goal_detail")."""
    view = name.split(":", 1)[1]
    if view == "reference_list":
        return [{"kind": "centers"}]
    if view == "activity_note_update":
        return [{"kind": kind, "pk": ids[key]} for kind, key in _NOTE_KINDS.items()]
    for prefix, key in _BY_PREFIX:
        if view.startswith(prefix):
            return [{"pk": ids[key] if key else 999999}]
    raise AssertionError(f"Tell tests/api/walk.py which object fills the API URL {name!r}")
