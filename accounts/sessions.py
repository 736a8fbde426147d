"""The names under which a signed-in session keeps its clock and what it carries over sign-in
(issue #12, door 2). `core.middleware.SessionTimeoutMiddleware` writes them; the sign-in page
(`accounts.views.SignInView`) reads them to say why the session ended.
"""

from __future__ import annotations

SIGNED_IN_AT = "_tat_signed_in_at"
LAST_SEEN = "_tat_last_seen"
SESSION_ENDED = "_tat_session_ended"  # "idle" or "absolute"
SAVED_FORM = "_tat_saved_form"  # {"action": path, "page": path, "data": {name: [values]}}
