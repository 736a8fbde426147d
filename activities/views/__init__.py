"""Web pages for TA activities (rules A1–A16, AU1, C1), one module per rule family:

- `records`: the Details tab, status (A7), create, edit and join (A1–A8, A16);
- `requesters`: adding or selecting a requester inside the activity form, the requester
  page (A4) and the primary staff list (A5);
- `plans`: description notes (A6) and correcting a note;
- `tracking`: the Tracking tab (A9–A11) and TA response notes (A14);
- `completion`: close, cancel and reopen (A12, A13);
- `history`: the History tab and the printable record (AU1).

Views only translate: fetch the record through one access helper (404/403), bind a form,
call a service from `activities.services`, then redirect or re-render with the service's
errors at the field they name (`core.forms.apply_service_errors`). Reads go through
`activities.selectors`; no rule and no query lives here.
"""
