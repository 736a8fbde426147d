"""Who may manage an API token (issue #11; loaded by rules' autodiscovery): its owner, for
themself, and an administrator (for anyone, e.g. `manage.py create_api_token`)."""

from __future__ import annotations

import rules

from accounts.permissions import add_perm, is_admin, is_signed_in


@rules.predicate
def is_token_owner(user, owner) -> bool:
    """`owner` is the person the token belongs (or will belong) to."""
    return bool(
        owner is not None and user.is_authenticated and getattr(owner, "pk", None) == user.pk
    )


add_perm(
    "api.manage_token",
    is_admin | (is_signed_in & is_token_owner),
    "Only the person a token belongs to, or an administrator, may create or revoke it.",
)
