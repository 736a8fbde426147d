"""Issue #12, door 2: a 30-minute idle timeout (with a warning and a status endpoint that does
not count as activity), an absolute limit counted from sign-in, no session beyond the
browser's, and nothing typed lost when a form is sent after the session ended."""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

import core.middleware
from activities.models import ResponseNote
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.django_db

MINUTE = 60
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Clock:
    """Moves `core.middleware`'s clock; the session's timestamps follow it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = 1_800_000_000
        monkeypatch.setattr(core.middleware, "_now", lambda: self.now)

    def advance(self, seconds: int) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def _signed_in(client: Client, user) -> Client:
    token = TOKEN.search(client.get(reverse("login")).content.decode()).group(1)
    response = client.post(
        reverse("login"),
        {"csrfmiddlewaretoken": token, "username": user.email, "password": PASSWORD},
    )
    assert response.status_code == 302, response.content[:500]
    return client


def _is_signed_in(client: Client) -> bool:
    response = client.get(reverse("workspace:home"))
    return response.status_code == 200


def test_door2_settings():
    assert settings.SESSION_IDLE_TIMEOUT_MINUTES == 30
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_door2_session_cookie_ends_with_the_browser(client, world):
    response = client.post(
        reverse("login"), {"username": world.primary.email, "password": PASSWORD}
    )
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"] and not cookie["max-age"]


def test_door2_idle_timeout_after_30_minutes(client, world, clock):
    _signed_in(client, world.primary)
    assert _is_signed_in(client)
    clock.advance(29 * MINUTE)
    assert _is_signed_in(client)  # activity: the idle clock starts again
    clock.advance(29 * MINUTE)
    assert _is_signed_in(client)
    clock.advance(30 * MINUTE)
    response = client.get(reverse("workspace:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    page = client.get(response["Location"]).content.decode()
    assert "signed out after 30 minutes without activity" in page


def test_door2_idle_timeout_is_configurable(client, world, clock, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 5
    _signed_in(client, world.primary)
    assert _is_signed_in(client)
    clock.advance(5 * MINUTE)
    assert not _is_signed_in(client)


def test_door2_absolute_limit_despite_activity(client, world, clock):
    _signed_in(client, world.primary)
    for _ in range(23):  # a request every 20 minutes: never idle
        assert _is_signed_in(client)
        clock.advance(20 * MINUTE)
    assert _is_signed_in(client)  # 7 h 40 min after sign-in
    clock.advance(20 * MINUTE)  # 8 h
    response = client.get(reverse("workspace:home"))
    assert response.status_code == 302
    assert "a session lasts at most 8 hours" in client.get(response["Location"]).content.decode()


def test_door2_status_check_does_not_count_as_activity(client, world, clock):
    _signed_in(client, world.primary)
    assert _is_signed_in(client)
    clock.advance(28 * MINUTE)
    status = client.get(reverse("session_status")).json()
    assert status == {"signed_in": True, "seconds_left": 2 * MINUTE}
    clock.advance(2 * MINUTE)
    assert client.get(reverse("session_status")).json()["signed_in"] is False


def test_door2_stay_signed_in_refreshes_the_session(client, world, clock):
    _signed_in(client, world.primary)
    assert _is_signed_in(client)
    clock.advance(28 * MINUTE)
    status = client.post(reverse("session_status")).json()
    assert status == {"signed_in": True, "seconds_left": 30 * MINUTE}
    clock.advance(28 * MINUTE)
    assert _is_signed_in(client)


def test_door2_pages_carry_the_warning(client, world):
    _signed_in(client, world.primary)
    page = client.get(reverse("workspace:home")).content.decode()
    assert 'id="tat-session-dialog"' in page
    assert 'data-idle-seconds="1800"' in page
    assert 'data-warning-seconds="120"' in page
    assert "js/session.js" in page
    assert "Stay signed in" in page


def _response_notes_page(client: Client, activity) -> tuple[str, str]:
    url = reverse("activities:response_notes", args=[activity.pk])
    page = client.get(url)
    assert page.status_code == 200
    return url, TOKEN.search(page.content.decode()).group(1)


def test_door2_form_sent_after_expiry_is_kept_through_sign_in(world, activity, clock):
    client = Client(enforce_csrf_checks=True)
    _signed_in(client, world.primary)
    page_url, token = _response_notes_page(client, activity)
    notes_before = ResponseNote.objects.count()
    clock.advance(31 * MINUTE)

    typed = "Called the CCDF Administrator about the QRIS rollout; she asked for samples."
    response = client.post(
        reverse("activities:response_note_add", args=[activity.pk]),
        {"csrfmiddlewaretoken": token, "response-note_date": "2025-01-15", "response-text": typed},
        HTTP_REFERER=f"http://testserver{page_url}",
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={page_url}"
    assert ResponseNote.objects.count() == notes_before  # nothing saved while signed out

    sign_in_page = client.get(response["Location"]).content.decode()
    assert "What you had typed is kept" in sign_in_page
    login_token = TOKEN.search(sign_in_page).group(1)
    signed_in = client.post(
        reverse("login"),
        {
            "csrfmiddlewaretoken": login_token,
            "username": world.primary.email,
            "password": PASSWORD,
            "next": page_url,
        },
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == page_url

    page = client.get(page_url).content.decode()
    restored = json.loads(
        re.search(r'<script id="tat-restored-form" type="application/json">(.*?)</script>', page)
        .group(1)
        .replace("\\u003C", "<")
        .replace("\\u003E", ">")
        .replace("\\u0026", "&")
    )
    assert restored["action"] == reverse("activities:response_note_add", args=[activity.pk])
    assert restored["data"]["response-text"] == [typed]
    assert restored["data"]["response-note_date"] == ["2025-01-15"]
    assert "csrfmiddlewaretoken" not in restored["data"]
    assert 'id="tat-restored-alert"' in page
    # A fresh token on the page, and still nothing saved: the person checks and saves.
    assert TOKEN.search(page).group(1) != token
    assert ResponseNote.objects.count() == notes_before
    # Put back once only.
    assert "tat-restored-form" not in client.get(page_url).content.decode()


def test_door2_forged_form_is_not_kept(world, activity, clock):
    client = Client(enforce_csrf_checks=True)
    _signed_in(client, world.primary)
    _response_notes_page(client, activity)
    clock.advance(31 * MINUTE)
    response = client.post(
        reverse("activities:response_note_add", args=[activity.pk]),
        {"csrfmiddlewaretoken": "x" * 64, "text": "planted"},
    )
    assert response.status_code in (302, 403)
    assert "_tat_saved_form" not in client.session


def test_door2_passwords_and_oversized_forms_are_not_kept(client, world, activity, clock):
    _signed_in(client, world.primary)
    clock.advance(31 * MINUTE)
    client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "a", "new_password2": "a"},
    )
    assert "_tat_saved_form" not in client.session

    _signed_in(client, world.primary)
    clock.advance(31 * MINUTE)
    big = "x" * (settings.SESSION_SAVED_FORM_MAX_BYTES + 1)
    client.post(reverse("activities:response_note_add", args=[activity.pk]), {"text": big})
    assert "_tat_saved_form" not in client.session


def test_door2_htmx_request_after_expiry_reloads_to_sign_in(client, world, activity, clock):
    _signed_in(client, world.primary)
    clock.advance(31 * MINUTE)
    response = client.post(
        reverse("activities:response_note_add", args=[activity.pk]),
        {"text": "typed", "note_date": "2025-01-15"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("login"))
