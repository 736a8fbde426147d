"""Who may do what with goals (DESIGN §1; rules G3 who adds and edits, G4 who asks for and
decides closure), and the sentence a refused person reads.

obj: a Jurisdiction for `goals.add_goal`, a Goal otherwise (a GoalNote for change_goalnote).
Loaded by rules' autodiscovery.
"""

from __future__ import annotations

from accounts.permissions import add_perm, is_admin, is_author, is_sss_for, is_staff_member

add_perm(
    "goals.add_goal",
    is_admin | is_sss_for | is_staff_member,
    "You do not have permission to add goals for this State or Territory.",
)
add_perm(
    "goals.change_goal",
    is_admin | is_sss_for,
    "Only the State or Territory's State Systems Specialist or an administrator "
    "may edit this goal.",
)
add_perm(
    "goals.request_goal_closure",
    is_admin | is_sss_for,
    "Only someone who may edit this goal may request its closure.",
)
add_perm("goals.close_goal", is_admin, "Only a TAT administrator may close a goal.")
# Goal update notes are append-only for everyone but their author and admins.
add_perm(
    "goals.change_goalnote",
    is_admin | is_author,
    "Only the note's author or an administrator may change it.",
)
