"""Personal API tokens (issue #11): hashed at rest, shown once, revocable, expiring, and
worthless once the owner is deactivated; the token page and the command."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from api import services
from api.models import ApiToken
from tests.api.conftest import ApiClient, assert_error_shape, token_for

pytestmark = pytest.mark.django_db


def test_token_is_stored_only_as_a_sha256_hash(staff):
    secret = token_for(staff)
    token = ApiToken.objects.get(user=staff)
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.values_list(flat=False).get(pk=token.pk)]
    assert all(secret not in value for value in stored)
    assert secret.startswith(token.prefix)
    assert len(secret) > 40


def test_token_acts_as_its_owner_and_records_last_use(staff):
    client = ApiClient(token_for(staff))
    response = client.get("/me")
    assert response.status_code == 200
    assert response.json()["id"] == staff.pk
    assert ApiToken.objects.get(user=staff).last_used_at is not None


def test_no_token_and_unknown_token_are_refused_401(staff):
    assert_error_shape(ApiClient(None).get("/me"), 401)
    response = ApiClient("tat_not-a-real-token").get("/me")
    assert_error_shape(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_is_refused(staff):
    client = ApiClient(token_for(staff))
    assert client.get("/me").status_code == 200
    services.api_token_revoke(actor=staff, token=ApiToken.objects.get(user=staff))
    assert_error_shape(client.get("/me"), 401)


def test_expired_token_is_refused(staff):
    client = ApiClient(token_for(staff))
    token = ApiToken.objects.get(user=staff)
    token.expires_at = timezone.now() - dt.timedelta(seconds=1)
    token.save()
    assert_error_shape(client.get("/me"), 401)


def test_deactivated_owner_token_is_refused(staff):
    client = ApiClient(token_for(staff))
    staff.is_active = False
    staff.save()
    assert_error_shape(client.get("/me"), 401)


def test_only_owner_or_admin_creates_or_revokes(staff, viewer, admin):
    from django.core.exceptions import PermissionDenied

    expires = timezone.localdate() + dt.timedelta(days=5)
    with pytest.raises(PermissionDenied):
        services.api_token_create(actor=viewer, owner=staff, name="x", expires_on=expires)
    token, _secret = services.api_token_create(
        actor=admin, owner=staff, name="x", expires_on=expires
    )
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(actor=viewer, token=token)


def test_expiry_must_be_future_and_within_the_maximum(staff):
    from django.core.exceptions import ValidationError

    today = timezone.localdate()
    for expires in (today, today + dt.timedelta(days=400)):
        with pytest.raises(ValidationError) as caught:
            services.api_token_create(actor=staff, owner=staff, name="x", expires_on=expires)
        assert "expires" in caught.value.message_dict


def test_token_history_is_kept(staff):
    token_for(staff)
    token = ApiToken.objects.get(user=staff)
    services.api_token_revoke(actor=staff, token=token)
    assert [h.history_type for h in token.history.order_by("history_date")] == ["+", "~"]


def test_token_page_creates_shows_once_and_revokes(client, staff):
    client.force_login(staff)
    url = reverse("api_tokens")
    expires = (timezone.localdate() + dt.timedelta(days=10)).strftime("%m/%d/%Y")
    response = client.post(url, {"name": "Report script", "expires": expires})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=staff)
    secret = response.context["secret"]
    assert secret.startswith(token.prefix) and secret in response.content.decode()
    again = client.get(url)
    assert secret not in again.content.decode()
    assert "Report script" in again.content.decode()
    response = client.post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_page_refuses_other_peoples_tokens(client, staff, viewer):
    token_for(viewer)
    token = ApiToken.objects.get(user=viewer)
    client.force_login(staff)
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404


def test_token_page_shows_field_errors(client, staff):
    client.force_login(staff)
    past = (timezone.localdate() - dt.timedelta(days=1)).strftime("%m/%d/%Y")
    response = client.post(reverse("api_tokens"), {"name": "x", "expires": past})
    assert response.status_code == 200
    assert response.context["form"].errors["expires"]
    assert not ApiToken.objects.exists()


def test_create_api_token_command(staff):
    out, err = StringIO(), StringIO()
    expires = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    call_command(
        "create_api_token",
        staff.email,
        "--name",
        "CI",
        "--expires",
        expires,
        stdout=out,
        stderr=err,
    )
    secret = out.getvalue().strip()
    assert ApiClient(secret).get("/me").json()["id"] == staff.pk
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody@example.org", "--name", "x", stdout=out)
