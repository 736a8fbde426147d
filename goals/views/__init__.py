"""Goal pages (rules G1–G4, AU1, C1), one module per family, re-exported here for
`goals.urls` and callers of `goals.views.<name>`:

- `create`: add a goal, G2's "add to the existing goal", the strategic-area list
- `goals`: goal page, edit (C1 conflicts), history (AU1)
- `strategic_areas`: add, edit notes (C1), remove strategic areas; update notes
- `closure`: request, queue, close, decline, reopen (G4)

Each view gets its object through one access helper (`common`: 404 when missing, 403
when not allowed), binds a form, calls a `goals.services` function and redirects, or
re-renders the form with the service's errors on the fields it names.
"""

from goals.views.closure import (
    closure_decline,
    closure_queue,
    goal_close,
    goal_reopen,
    request_closure,
)
from goals.views.create import goal_create, strategic_area_options
from goals.views.goals import goal_detail, goal_edit, goal_history
from goals.views.strategic_areas import (
    note_add,
    strategic_area_add,
    strategic_area_edit,
    strategic_area_remove,
)

__all__ = [
    "closure_decline",
    "closure_queue",
    "goal_close",
    "goal_create",
    "goal_detail",
    "goal_edit",
    "goal_history",
    "goal_reopen",
    "note_add",
    "request_closure",
    "strategic_area_add",
    "strategic_area_edit",
    "strategic_area_options",
    "strategic_area_remove",
]
