"""Production-like settings for the benchmarks: DEBUG off (cached templates, as in production),
but plain HTTP for Django's test client and static files from the finders (no collectstatic).

`TAT_TESTING` used to do this; production refuses it now (issue #12, door 9), so the
benchmarks say exactly what they change instead. Never use this module to serve the site.
"""

from __future__ import annotations

import os
import secrets

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from config.settings import *  # noqa: E402, F403
from config.settings import STORAGES  # noqa: E402

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Bench accounts are throw-away: a fast hasher keeps their creation out of the figures.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
