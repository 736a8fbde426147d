"""Who may do what with saved searches (loaded by rules' autodiscovery)."""

from __future__ import annotations

import rules

from accounts.permissions import is_signed_in


@rules.predicate
def is_owner(user, saved_search) -> bool:
    return bool(
        saved_search is not None
        and user.is_authenticated
        and getattr(saved_search, "owner_id", None) == user.pk
    )


rules.add_perm("search.add_savedsearch", is_signed_in)
rules.add_perm("search.delete_savedsearch", is_signed_in & is_owner)
