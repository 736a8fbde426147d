"""Who may keep the reference lists and field help (issue 10): TAT administrators only.
Loaded by rules' autodiscovery. `reference` sits below `accounts`, so the check lives here,
on the floor of the pages, not in the reference services."""

from __future__ import annotations

from accounts.permissions import add_perm, is_admin

add_perm(
    "administration.manage_reference",
    is_admin,
    "Only a TAT administrator may change the reference lists and field help.",
)
