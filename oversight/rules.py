"""Who may do what in the monthly review (R1; loaded by rules' autodiscovery).

- Reading the review page: administrators, State Systems Specialists, center leads and
  federal viewers (who only read). TA staff see their send-backs on their home page.
- Marking an activity reviewed for a month: its jurisdiction's SSS, administrators and the
  lead of its primary center.
- Sending it back to its primary staff: its jurisdiction's SSS and administrators.
- Marking a send-back addressed: whoever may edit the activity (its primary staff first).
"""

from __future__ import annotations

import rules

from accounts.permissions import (
    add_perm,
    is_admin,
    is_federal_viewer,
    is_lead_of_primary_center,
    is_sss_for,
)
from activities.rules import can_edit_activity


@rules.predicate
def is_any_sss(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_sss)


@rules.predicate
def is_any_center_lead(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_center_lead)


add_perm(
    "oversight.view_review",
    is_admin | is_any_sss | is_any_center_lead | is_federal_viewer,
    "The monthly review is for State Systems Specialists, center leads, administrators and "
    "federal viewers.",
)
add_perm(
    "oversight.review_activity",
    is_admin | is_sss_for | is_lead_of_primary_center,
    "Only the State or Territory's State Systems Specialist, the lead of the activity's "
    "primary center or an administrator may mark this activity reviewed.",
)
add_perm(
    "oversight.send_back",
    is_admin | is_sss_for,
    "Only the State or Territory's State Systems Specialist or an administrator may send "
    "this activity back.",
)
add_perm(
    "oversight.address_send_back",
    can_edit_activity,
    "Only the activity's primary staff person, or someone who may edit the activity, may "
    "mark this send-back addressed.",
)
