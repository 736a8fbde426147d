"""`demo.bulk.BulkGenerator`: the bulk benchmark data set behind `manage.py generate_data`.

Writes with `bulk_create` and so bypasses the services and history on purpose; see
`demo.bulk.base` for why, and for the invariants (A2, A6, A9, A10, A12, G4) it still keeps.
"""

from __future__ import annotations

from activities.models import (
    DeliverySummary,
    DescriptionNote,
    Requester,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from demo.bulk.activities import ActivityStage
from demo.bulk.base import Counts, ReferenceDataMissing, fast_bulk_writes, historic_timestamps
from demo.bulk.goals import GoalStage
from demo.bulk.people import PeopleStage
from goals.models import Goal, GoalNote, StrategicArea

__all__ = ["BulkGenerator", "Counts", "ReferenceDataMissing"]


class BulkGenerator(PeopleStage, GoalStage, ActivityStage):
    """Generates `activities` TA activities with staff, requesters, goals and ~10 notes each."""

    def run(self) -> Counts:
        self.load_reference()
        with (
            fast_bulk_writes(),
            historic_timestamps(
                Requester,
                Goal,
                StrategicArea,
                GoalNote,
                TAActivity,
                DescriptionNote,
                DeliverySummary,
                RequesterFeedback,
                ResponseNote,
            ),
        ):
            self.create_people()
            self.create_goals()
            self.create_activities()
        return self.counts
