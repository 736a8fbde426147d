"""Importing legacy records through the services (issue 11; every rule G1–G4, A1–A14 applies).

`import_rows` takes the rows of an import file (`transfer.reading`) and replays each through
the same service a page would call — `requester_create`, `goal_create`, `goal_note_add`,
`activity_create`, `description_note_add`, `summary_add`, `feedback_add`,
`response_note_add`, `activity_set_status`, `activity_close`, `activity_cancel`,
`goal_close` — with the importing administrator as the actor. Nothing skips a rule: a row
a service refuses is reported with its row, column and message.

Dry run by default: everything runs in one transaction that is rolled back at the end, so
the report is exactly what a real run would meet. A real run (`commit=True`) uses the same
transaction and keeps it only when not one row failed: all or nothing.

Each imported row leaves an `ImportedRecord` (source, kind, external id → record, row hash):
a row met again with the same values is skipped ("unchanged"), so importing the same file
twice changes nothing; one met again with different values is an error (the importer adds,
it does not edit — corrections are made in the app, where C1 and history apply).

Rows are replayed in the order their rules need, whatever the file order: requesters, goals
(with their strategic areas), goal notes, activities, plan notes, summaries, response notes,
feedback, then each activity's final status and completion, then goal closures.
"""

from __future__ import annotations

from transfer.importer.cells import row_hash
from transfer.importer.messages import DEFAULT_SOURCE, FIELD_COLUMNS
from transfer.importer.results import ImportResult, RowError
from transfer.importer.run import Importer, import_rows

__all__ = [
    "DEFAULT_SOURCE",
    "FIELD_COLUMNS",
    "ImportResult",
    "Importer",
    "RowError",
    "import_rows",
    "row_hash",
]
