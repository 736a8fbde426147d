"""Issue 12, open doors 5–8: password reset throttled and short-lived (5), the client address
taken from the trusted proxy and an address-only sign-in limit (6), an offline password
strength check (7), and a maximum length for every free-text field (8)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AdminPasswordChangeForm, SetPasswordForm
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from accounts.models import RateLimitCounter
from accounts.throttling import rate_limit_hit
from activities import services as activity_services
from activities.models import DeliverySummary, ResponseNote
from core.services import save_tracked
from goals import services as goal_services
from goals.models import GoalNote
from tests.factories import UserFactory
from tests.factories_activities import add_summary, assert_refused, today

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"  # UserFactory's password
LIMIT = 20_000
TOO_LONG = "x" * (LIMIT + 1)
JUST_RIGHT = "y" * LIMIT
TOO_LONG_MESSAGE = "at most 20,000 characters (you entered 20,001)"

# Global (routable) addresses: the ones a TLS proxy would put in X-Forwarded-For.
CLIENT_A = "81.2.69.142"
CLIENT_B = "81.2.69.160"


# --- door 5: password reset ------------------------------------------------------------------


def _reset(client: Any, email: str, **extra: Any) -> Any:
    return client.post(reverse("password_reset"), {"email": email}, **extra)


@pytest.mark.django_db
def test_password_reset_links_expire_within_a_day():
    assert settings.PASSWORD_RESET_TIMEOUT <= 24 * 60 * 60


@pytest.mark.django_db
def test_password_reset_is_limited_per_email_address_and_says_the_same_either_way(client):
    UserFactory(email="staff@example.org")
    limit = settings.PASSWORD_RESET_LIMIT_PER_EMAIL
    responses = [_reset(client, "Staff@Example.org") for _ in range(8)]
    assert len(mail.outbox) == limit == 3
    # The refused requests look exactly like the accepted ones, and like an unknown address.
    unknown = _reset(client, "nobody@example.org")
    for response in [*responses, unknown]:
        assert response.status_code == 302
        assert response["Location"] == reverse("password_reset_done")


@pytest.mark.django_db
def test_password_reset_is_limited_per_client_address(client):
    limit = settings.PASSWORD_RESET_LIMIT_PER_CLIENT
    assert limit == 10
    for number in range(limit + 2):
        UserFactory(email=f"person{number}@example.org")
        response = _reset(client, f"person{number}@example.org", REMOTE_ADDR=CLIENT_A)
        assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == limit
    # Another client address still gets its e-mail.
    UserFactory(email="elsewhere@example.org")
    _reset(client, "elsewhere@example.org", REMOTE_ADDR=CLIENT_B)
    assert len(mail.outbox) == limit + 1


@pytest.mark.django_db
def test_password_reset_counts_in_the_database_every_process_shares(client):
    """Several web processes over one database: the counts are rows, keyed by a hash."""
    UserFactory(email="staff@example.org")
    _reset(client, "staff@example.org")
    keys = list(RateLimitCounter.objects.values_list("key", "count"))
    assert sorted(count for _, count in keys) == [1, 1]  # per e-mail and per client address
    assert all("staff" not in key and "127.0.0.1" not in key for key, _ in keys)
    # Another process (a fresh call, nothing in memory) continues the same count.
    period = dt.timedelta(hours=1)
    for _ in range(settings.PASSWORD_RESET_LIMIT_PER_EMAIL - 1):
        assert not rate_limit_hit(
            "password-reset-email", "staff@example.org", limit=3, period=period
        )
    assert rate_limit_hit("password-reset-email", "staff@example.org", limit=3, period=period)


# --- door 6: the client address behind the TLS proxy; an address-only limit -------------------


@pytest.fixture(scope="module")
def proxy_settings() -> dict[str, Any]:
    """The client-address settings a deployment with BEHIND_TLS_PROXY=true really gets."""
    names = [
        "TRUSTED_PROXY_COUNT",
        "AXES_IPWARE_PROXY_COUNT",
        "AXES_IPWARE_PROXY_ORDER",
        "AXES_IPWARE_META_PRECEDENCE_ORDER",
        "IPWARE_STRICT",
    ]
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r} if hasattr(settings, n)}}))"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    env.update(
        {"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "true", "BEHIND_TLS_PROXY": "true"}
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    values = json.loads(result.stdout.strip().splitlines()[-1])
    if "AXES_IPWARE_META_PRECEDENCE_ORDER" in values:
        values["AXES_IPWARE_META_PRECEDENCE_ORDER"] = tuple(
            values["AXES_IPWARE_META_PRECEDENCE_ORDER"]
        )
    return values


def _sign_in(client: Any, email: str, password: str, forwarded_for: str) -> Any:
    return client.post(
        reverse("login"),
        {"username": email, "password": password},
        HTTP_X_FORWARDED_FOR=forwarded_for,
        REMOTE_ADDR="127.0.0.1",  # the proxy
    )


def test_behind_the_proxy_one_proxy_is_trusted_by_default(proxy_settings):
    assert proxy_settings["TRUSTED_PROXY_COUNT"] == 1
    assert proxy_settings["AXES_IPWARE_META_PRECEDENCE_ORDER"][0] == "HTTP_X_FORWARDED_FOR"


@pytest.mark.django_db
def test_behind_the_proxy_two_clients_are_counted_separately(client, proxy_settings):
    UserFactory(email="target@example.org")
    limit = settings.AXES_FAILURE_LIMIT
    with override_settings(**proxy_settings):
        statuses = [
            _sign_in(client, "target@example.org", "bad", CLIENT_A).status_code
            for _ in range(limit)
        ]
        assert statuses[-1] == 429
        # The person at another address signs in: the attacker did not lock them out.
        response = _sign_in(client, "target@example.org", PASSWORD, CLIENT_B)
        assert response.status_code == 302, response.status_code
        client.logout()
        # A client cannot choose its address: the proxy appends the real one, which counts.
        spoofed = _sign_in(client, "target@example.org", PASSWORD, f"{CLIENT_B}, {CLIENT_A}")
        assert spoofed.status_code == 429


@pytest.mark.django_db
def test_behind_the_proxy_many_names_from_one_address_are_locked_by_address(client, proxy_settings):
    real = UserFactory(email="real@example.org")
    address_limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    assert address_limit > settings.AXES_FAILURE_LIMIT
    with override_settings(**proxy_settings):
        statuses = [
            _sign_in(client, f"guess{number}@example.org", "Spring2024!", CLIENT_A).status_code
            for number in range(address_limit)
        ]
        assert statuses[: address_limit - 1] == [200] * (address_limit - 1)
        assert statuses[-1] == 429
        # Even a right password from that address waits; another address is unaffected.
        assert _sign_in(client, real.email, PASSWORD, CLIENT_A).status_code == 429
        assert _sign_in(client, real.email, PASSWORD, CLIENT_B).status_code == 302


@pytest.mark.django_db
def test_a_success_does_not_wipe_an_address_count(client, proxy_settings):
    """A sprayer who owns one account cannot reset the address count by signing in."""
    own = UserFactory(email="own@example.org")
    address_limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    with override_settings(**proxy_settings):
        for number in range(address_limit - 1):
            _sign_in(client, f"guess{number}@example.org", "Spring2024!", CLIENT_A)
        assert _sign_in(client, own.email, PASSWORD, CLIENT_A).status_code == 302
        client.logout()
        assert _sign_in(client, "guess-last@example.org", "x", CLIENT_A).status_code == 429


# --- door 7: password strength ---------------------------------------------------------------


WEAK = "aaaaaaaaaaaa"
STRONG = "a much longer new passphrase"


def test_weak_password_refused_by_the_validators_with_the_reason():
    with pytest.raises(ValidationError) as info:
        password_validation.validate_password(WEAK)
    text = " ".join(info.value.messages)
    assert "too easy to guess" in text
    assert "Repeats like" in text  # zxcvbn's own warning, shown to the person
    password_validation.validate_password(STRONG)


def test_minimum_strength_comes_from_settings():
    with override_settings(
        AUTH_PASSWORD_VALIDATORS=[
            {"NAME": "accounts.validators.ZxcvbnValidator", "OPTIONS": {"min_score": 0}}
        ]
    ):
        password_validation.validate_password(WEAK)
    assert settings.PASSWORD_MIN_STRENGTH == 3


@pytest.mark.django_db
def test_password_change_page_refuses_a_weak_password_with_the_reason(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": WEAK, "new_password2": WEAK},
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["new_password2"])
    assert "too easy to guess" in errors and "Repeats like" in errors
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_reset_confirm_and_admin_forms_refuse_a_weak_password():
    user = UserFactory(full_name="Pat Primary", email="pat.primary@example.org")
    for form_class in (SetPasswordForm, AdminPasswordChangeForm):
        data = (
            {"new_password1": WEAK, "new_password2": WEAK}
            if form_class is SetPasswordForm
            else {"password1": WEAK, "password2": WEAK}
        )
        form = form_class(user, data)
        assert not form.is_valid()
        assert "too easy to guess" in str(form.errors)
    # The person's own name and address count against the password.
    form = SetPasswordForm(
        user, {"new_password1": "patprimary2024", "new_password2": "patprimary2024"}
    )
    assert not form.is_valid()
    assert SetPasswordForm(user, {"new_password1": STRONG, "new_password2": STRONG}).is_valid()


# --- door 8: text limits ---------------------------------------------------------------------


def test_text_limit_setting():
    assert settings.TAT_TEXT_MAX_LENGTH == LIMIT


def test_limit_free_text_gives_every_textarea_a_maximum_with_a_clear_error():
    from core.forms import TextLengthValidator, TextLimitMixin, limit_free_text

    class NoteForm(TextLimitMixin, forms.Form):
        text = forms.CharField(label="Goal update note", widget=forms.Textarea)
        title = forms.CharField(label="Title", max_length=50)

    form = NoteForm({"text": TOO_LONG, "title": "t"})
    assert form.fields["text"].max_length == LIMIT
    assert form.fields["text"].widget.attrs["maxlength"] == str(LIMIT)
    assert form.fields["title"].max_length == 50
    assert not form.is_valid()
    assert form.errors["text"] == [
        "Goal update note can be at most 20,000 characters (you entered 20,001)."
    ]
    assert NoteForm({"text": JUST_RIGHT, "title": "t"}).is_valid()
    # Idempotent: applying twice adds one check, not two.
    limit_free_text(form)
    checks = [v for v in form.fields["text"].validators if isinstance(v, TextLengthValidator)]
    assert len(checks) == 1


def test_every_form_with_a_textarea_applies_the_limit():
    import activities.forms as activity_forms
    import goals.forms as goal_forms
    from core.forms import TextLimitMixin

    for module in (goal_forms, activity_forms):
        for value in vars(module).values():
            if not (isinstance(value, type) and issubclass(value, forms.BaseForm)):
                continue
            textareas = [
                name
                for name, field in value.base_fields.items()
                if isinstance(field.widget, forms.Textarea)
            ]
            if textareas:
                assert issubclass(value, TextLimitMixin), value


@pytest.mark.django_db
def test_save_tracked_refuses_an_over_long_text_field_naming_it(world):
    note = GoalNote(goal=world.goal, kind=GoalNote.Kind.UPDATE, text=TOO_LONG, author=world.sss)
    with pytest.raises(ValidationError) as info:
        save_tracked(note, actor=world.sss, full_clean=False)
    assert TOO_LONG_MESSAGE in info.value.message_dict["text"][0]
    assert note.pk is None


@pytest.mark.django_db
def test_goal_note_service_refuses_20001_and_accepts_20000(world):
    with pytest.raises(ValidationError) as info:
        goal_services.goal_note_add(actor=world.sss, goal=world.goal, text=TOO_LONG)
    assert TOO_LONG_MESSAGE in " ".join(info.value.message_dict["text"])
    assert not GoalNote.objects.filter(text=TOO_LONG).exists()
    note = goal_services.goal_note_add(actor=world.sss, goal=world.goal, text=JUST_RIGHT)
    assert len(note.text) == LIMIT


@pytest.mark.django_db
def test_response_note_and_summary_services_refuse_20001_and_accept_20000(world, trackable):
    assert_refused(
        lambda: activity_services.response_note_add(
            actor=world.primary, activity=trackable, text=TOO_LONG
        ),
        "text",
        contains=TOO_LONG_MESSAGE,
    )
    assert_refused(lambda: add_summary(world, trackable, text=TOO_LONG), "text")
    activity_services.response_note_add(actor=world.primary, activity=trackable, text=JUST_RIGHT)
    add_summary(world, trackable, text=JUST_RIGHT)
    assert ResponseNote.objects.filter(text=JUST_RIGHT).count() == 1
    assert DeliverySummary.objects.filter(text=JUST_RIGHT).count() == 1


@pytest.mark.django_db
def test_status_change_reason_is_limited_too(world, activity):
    assert_refused(
        lambda: activity_services.activity_cancel(
            actor=world.primary, activity=activity, reason=TOO_LONG
        ),
        "reason",
    )


def _page_refuses(client: Any, url: str, data: dict[str, str], model: Any) -> None:
    before = model.objects.count()
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert TOO_LONG_MESSAGE in page
    assert "usa-form-group--error" in page
    assert model.objects.count() == before


@pytest.mark.django_db
def test_pages_refuse_20001_characters_at_the_field_and_accept_20000(client, world, trackable):
    client.force_login(world.sss)
    goal_url = reverse("goals:add_note", args=[world.goal.pk])
    goal_data = {"note_date": today().isoformat()}
    _page_refuses(client, goal_url, {**goal_data, "text": TOO_LONG}, GoalNote)
    assert client.post(goal_url, {**goal_data, "text": JUST_RIGHT}).status_code == 302

    client.force_login(world.primary)
    notes_url = reverse("activities:response_note_add", args=[trackable.pk])
    _page_refuses(client, notes_url, {"response-text": TOO_LONG}, ResponseNote)
    assert client.post(notes_url, {"response-text": JUST_RIGHT}).status_code == 302

    summary_url = reverse("activities:summary_add", args=[trackable.pk])
    summary = {"summary-delivery_date": today().isoformat()}
    _page_refuses(client, summary_url, {**summary, "summary-text": TOO_LONG}, DeliverySummary)
    assert client.post(summary_url, {**summary, "summary-text": JUST_RIGHT}).status_code == 302


@pytest.mark.django_db
def test_an_oversized_request_body_gets_a_clear_page_not_a_500(client, world):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2_621_440  # 2.5 MB
    client.force_login(world.sss)
    before = GoalNote.objects.count()
    response = client.post(
        reverse("goals:add_note", args=[world.goal.pk]),
        {"note_date": today().isoformat(), "text": "z" * 3_000_000},
    )
    assert response.status_code in (400, 413)
    assert "too large" in response.content.decode()
    assert GoalNote.objects.count() == before
