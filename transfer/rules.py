"""Who may import and export records (issue 11): administrators only. Loaded by rules'
autodiscovery."""

from __future__ import annotations

from accounts.permissions import add_perm, is_admin

add_perm(
    "transfer.import_records",
    is_admin,
    "Only a TAT administrator may import records.",
)
add_perm(
    "transfer.export_records",
    is_admin,
    "Only a TAT administrator may export records.",
)
