"""Forms of the TA activity pages. They check the shape of the input only (a date is a
date, a choice is on its list); every rule (A1–A16) is enforced by `activities.services`,
whose errors the views put back on these forms, at the field they name.

A required field's "required" message is the service's own message, so a person reads the
same sentence whichever layer noticed the gap first.

- `activity`: create and edit a TA activity (A1–A8, A16);
- `requesters`: the new-requester form inside it (A4);
- `notes`: the record page's actions and note editing (A6, A7, A9–A14, C1).
"""

from activities.forms._common import ADDABLE_STAGES, BLANK_CHOICE, DateInput, TATForm
from activities.forms.activity import ActivityCreateForm, ActivityEditForm, ActivityForm
from activities.forms.notes import (
    NOTE_KINDS,
    CloseForm,
    DescriptionNoteForm,
    FeedbackEditForm,
    FeedbackForm,
    JoinForm,
    NoteEditForm,
    OutcomeReportForm,
    ReasonForm,
    ResponseNoteForm,
    StatusForm,
    SummaryEditForm,
    SummaryForm,
    note_edit_form_class,
)
from activities.forms.requesters import REQUESTER_PREFIX, RequesterForm

__all__ = [
    "ADDABLE_STAGES",
    "BLANK_CHOICE",
    "NOTE_KINDS",
    "REQUESTER_PREFIX",
    "ActivityCreateForm",
    "ActivityEditForm",
    "ActivityForm",
    "CloseForm",
    "DateInput",
    "DescriptionNoteForm",
    "FeedbackEditForm",
    "FeedbackForm",
    "JoinForm",
    "NoteEditForm",
    "OutcomeReportForm",
    "ReasonForm",
    "RequesterForm",
    "ResponseNoteForm",
    "StatusForm",
    "SummaryEditForm",
    "SummaryForm",
    "TATForm",
    "note_edit_form_class",
]
