"""Issue #12, doors 4 and 9: production settings refuse the test flags and weak keys; cookies
carry the `__Host-` prefix whenever they are secure.

Each case starts a fresh interpreter (settings are read once per process).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k7Qz-" + "abcdefghij" * 5  # 55 characters, many distinct
PRINT_COOKIES = (
    "import django, json; django.setup(); from django.conf import settings as s;"
    "print(json.dumps([s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE,"
    " s.SESSION_COOKIE_PATH, s.SESSION_COOKIE_DOMAIN, s.CSRF_COOKIE_PATH, s.CSRF_COOKIE_DOMAIN]))"
)
_CLEARED = {
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "TAT_TESTING",
    "TAT_ALLOW_INSECURE_KEY",
    "SECURE_COOKIES",
    "ADMIN_PATH",
}


def _start(
    env_overrides: dict[str, str], code: str = "import django; django.setup(); print('started')"
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env_overrides})
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _production(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "DEBUG": "false",
        "SECRET_KEY": GOOD_KEY,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ALLOWED_HOSTS": "tat.example.gov",
        **extra,
    }


@pytest.mark.parametrize("flag", ["TAT_TESTING", "TAT_ALLOW_INSECURE_KEY"])
def test_door9_test_flags_refused_when_debug_is_off(tmp_path, flag):
    result = _start(_production(tmp_path, **{flag: "true"}))
    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr
    assert flag in result.stderr


@pytest.mark.parametrize("flag", ["TAT_TESTING", "TAT_ALLOW_INSECURE_KEY"])
def test_door9_insecure_key_flag_cannot_replace_the_secret_key(tmp_path, flag):
    env = _production(tmp_path, **{flag: "true"})
    env.pop("SECRET_KEY")
    result = _start(env)
    assert result.returncode != 0
    assert flag in result.stderr or "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("flag", ["TAT_TESTING", "TAT_ALLOW_INSECURE_KEY"])
def test_door9_test_flags_still_allowed_with_debug(tmp_path, flag):
    result = _start({"DEBUG": "true", flag: "true", "DATABASE_URL": f"sqlite:///{tmp_path}/d"})
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "x" * 49,  # too short (Django's deploy check asks for 50)
        "ab" * 30,  # long enough but only two distinct characters
        "django-insecure-" + "abcdefghij" * 5,  # Django's generated development key
    ],
)
def test_door9_weak_secret_key_refused(tmp_path, key):
    result = _start(_production(tmp_path, SECRET_KEY=key))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_door9_fifty_character_key_accepted(tmp_path):
    result = _start(_production(tmp_path, SECRET_KEY=GOOD_KEY[:50]))
    assert result.returncode == 0, result.stderr


def test_door4_secure_cookies_use_the_host_prefix(tmp_path):
    result = _start(_production(tmp_path), PRINT_COOKIES)
    assert result.returncode == 0, result.stderr
    session, csrf, secure, s_path, s_domain, c_path, c_domain = json.loads(result.stdout)
    assert secure is True
    assert session == "__Host-sessionid"
    assert csrf == "__Host-csrftoken"
    assert (s_path, s_domain, c_path, c_domain) == ("/", None, "/", None)


@pytest.mark.parametrize("env", [{"DEBUG": "true"}, {"DEBUG": "false", "SECURE_COOKIES": "false"}])
def test_door4_insecure_cookies_keep_plain_names(tmp_path, env):
    result = _start(_production(tmp_path, **env), PRINT_COOKIES)
    assert result.returncode == 0, result.stderr
    session, csrf, secure, *_ = json.loads(result.stdout)
    assert secure is False
    assert (session, csrf) == ("sessionid", "csrftoken")


def test_door10_admin_path_from_the_environment(tmp_path):
    code = (
        "import django; django.setup(); from django.urls import reverse;"
        "print(reverse('admin:index'))"
    )
    result = _start(_production(tmp_path, ADMIN_PATH="/office/tat-admin"), code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "/office/tat-admin/"


@pytest.mark.parametrize("value", ["", "/", "../x", "a b", "accounts"])
def test_door10_bad_admin_path_names_the_variable(tmp_path, value):
    result = _start(_production(tmp_path, ADMIN_PATH=value))
    assert result.returncode != 0
    assert "ADMIN_PATH" in result.stderr
