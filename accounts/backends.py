"""TAT administrators may do everything (DESIGN §1), including in the admin site."""

from __future__ import annotations

from typing import Any


class TATAdministratorBackend:
    """Grants every permission to active TAT administrators; authenticates nobody.

    It has no `get_user`, so sessions are never attributed to it.
    """

    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return bool(user_obj.is_active and getattr(user_obj, "is_tat_admin", False))

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return bool(user_obj.is_active and getattr(user_obj, "is_tat_admin", False))
