"""Who may do what with TA activities (DESIGN §1; loaded by rules' autodiscovery).

obj: a Jurisdiction for adding an activity, a TAActivity (or one of its notes) otherwise.
The predicates come from `accounts.permissions`; `require()` shows each refusal's sentence.
"""

from __future__ import annotations

import rules

from accounts.permissions import (
    add_perm,
    is_admin,
    is_author,
    is_collaborating_staff,
    is_federal_viewer,
    is_lead_of_primary_center,
    is_primary_staff,
    is_sss_for,
    is_staff_member,
)


@rules.predicate
def is_staff_of_participating_center(user, activity) -> bool:
    """A16: center staff (TA staff, center lead) of the activity's primary or a collaborating
    center: their center already takes part, so they may join it themselves."""
    center_id = getattr(user, "center_id", None)
    if not (is_staff_member(user) and center_id and getattr(activity, "pk", None)):
        return False
    if activity.primary_center_id == center_id:
        return True
    return activity.collaborating_centers.filter(pk=center_id).exists()


can_edit_activity = (
    is_admin | is_primary_staff | is_collaborating_staff | is_lead_of_primary_center | is_sss_for
)

add_perm(
    "activities.add_taactivity",
    is_admin | is_sss_for | is_staff_member,
    "You do not have permission to add TA activities here.",
)
add_perm(
    "activities.change_taactivity",
    can_edit_activity,
    "Only the activity's primary or collaborating staff, its primary center's lead, the "
    "State Systems Specialist or an administrator may edit this activity.",
)
add_perm(
    "activities.approve_taactivity",
    can_edit_activity | is_federal_viewer,
    "You do not have permission to record approval.",
)
# A16 (issue #12, door 1): joining makes the person collaborating staff, who may edit and
# cancel the activity, so only those whose center already takes part, the State's SSS and
# administrators join; anyone else asks the primary staff person to add them.
add_perm(
    "activities.join_taactivity",
    is_admin | is_sss_for | is_staff_of_participating_center,
    "Only staff of this activity's primary or collaborating centers, the State Systems "
    "Specialist or an administrator may join it. Ask its primary staff person to add you "
    "as collaborating staff.",
)
# Door 1's join *request*: any staff member may ask (the service tells those who may join
# directly, or take part already); the primary staff person or an administrator answers.
add_perm(
    "activities.request_join",
    is_staff_member,
    "Only TA staff, center leads and State Systems Specialists may ask to join a TA activity.",
)
add_perm(
    "activities.decide_join_request",
    is_admin | is_primary_staff,
    "Only the activity's primary staff person or an administrator may answer a request to join it.",
)
add_perm(
    "activities.reopen_taactivity",
    is_admin | is_primary_staff,
    "Only an administrator or the activity's primary staff person may reopen it.",
)
add_perm(
    "activities.add_feedback",
    can_edit_activity,
    "You do not have permission to add feedback to this activity.",
)
add_perm(
    "activities.add_responsenote",
    can_edit_activity,
    "You do not have permission to add notes to this activity.",
)
add_perm(
    "activities.add_requester",
    is_admin | is_staff_member | is_federal_viewer,
    "You do not have permission to add requesters.",
)
# Notes are append-only for everyone but their author and admins.
add_perm(
    "activities.change_note",
    is_admin | is_author,
    "Only the note's author or an administrator may change it.",
)
