"""Password strength (issue 12, door 7): an offline estimate with zxcvbn.

Django's validators refuse short, common and all-digit passwords; "aaaaaaaaaaaa" passes all
of them. zxcvbn estimates how many guesses a password takes (repeats, sequences, keyboard
patterns, dictionary words, dates, the person's own name and address) and scores it 0–4;
anything below `PASSWORD_MIN_STRENGTH` (default 3, "safely unguessable") is refused with
zxcvbn's own warning and suggestions, so the person knows what to change. No network: the
word lists ship inside the package.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from zxcvbn import zxcvbn

TOO_WEAK = "This password is too easy to guess."
HELP = (
    "Your password must be hard to guess: a few unrelated words or a long phrase work well; "
    "avoid repeats, sequences, dates and your own name."
)
# zxcvbn only looks at the first characters; longer passwords are strong by their length.
MAX_CHECKED_LENGTH = 72  # zxcvbn refuses longer input (ValueError)


class ZxcvbnValidator:
    """Refuse a password whose zxcvbn score is below `min_score` (settings by default)."""

    def __init__(self, min_score: int | None = None) -> None:
        self.min_score = min_score

    def _min_score(self) -> int:
        if self.min_score is not None:
            return self.min_score
        return int(getattr(settings, "PASSWORD_MIN_STRENGTH", 3))

    def validate(self, password: str, user: Any = None) -> None:
        result = zxcvbn(password[:MAX_CHECKED_LENGTH], user_inputs=_personal_words(user))
        if result["score"] >= self._min_score():
            return
        feedback = result.get("feedback") or {}
        reasons = [feedback.get("warning") or "", *(feedback.get("suggestions") or [])]
        message = " ".join([TOO_WEAK, *(reason for reason in reasons if reason)])
        raise ValidationError(message, code="password_too_weak")

    def get_help_text(self) -> str:
        return HELP


def _personal_words(user: Any) -> list[str]:
    """The person's address and name, whole and in pieces ("pat.primary@example.org" gives
    "pat.primary", "pat", "primary", "example"; "Pat Primary" gives "patprimary")."""
    email = str(getattr(user, "email", "") or "").lower()
    name = str(getattr(user, "full_name", "") or "").lower()
    local, _, domain = email.partition("@")
    words = {email, local, name, name.replace(" ", ""), local.replace(".", "")}
    words.update(re.split(r"[^a-z0-9]+", f"{local} {domain.split('.')[0]} {name}"))
    return sorted(word for word in words if len(word) > 2)
