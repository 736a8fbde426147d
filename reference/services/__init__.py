"""Writes to the reference data: loading the shipped file (`loading`) and administrators'
edits of the lists and the field help (`lists`)."""

from reference.services.lists import (
    CONFLICT_MESSAGE,
    ReferenceConflict,
    field_help_update,
    reference_item_create,
    reference_item_move,
    reference_item_set_active,
    reference_item_update,
)
from reference.services.loading import (
    CHANGE_REASON,
    DEFAULT_DATA_FILE,
    LISTS,
    ListCounts,
    LoadReport,
    ReferenceDataError,
    reference_data_load,
    reference_data_read,
)

__all__ = [
    "CHANGE_REASON",
    "DEFAULT_DATA_FILE",
    "LISTS",
    "ListCounts",
    "LoadReport",
    "ReferenceDataError",
    "reference_data_load",
    "reference_data_read",
    "CONFLICT_MESSAGE",
    "ReferenceConflict",
    "field_help_update",
    "reference_item_create",
    "reference_item_move",
    "reference_item_set_active",
    "reference_item_update",
]
