"""Issue #12, faults: while the database is down, pages answer with the 503 page (not a
traceback, not a 500) and recover as soon as it returns (core.middleware.
DatabaseUnavailableMiddleware). bench/faults/outage.py does the same against gunicorn."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.test import Client

from accounts.models import User


@pytest.fixture
def signed_in(admin: User) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(admin)
    return client


def _down(*args: object, **kwargs: object) -> None:
    raise OperationalError("connection refused: is the server running on 127.0.0.1:5432?")


@pytest.mark.django_db
def test_database_down_answers_503_page_then_recovers(signed_in: Client) -> None:
    assert signed_in.get("/").status_code == 200
    with mock.patch.object(SessionStore, "load", _down):
        response = signed_in.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "briefly unavailable" in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert "127.0.0.1" not in page  # nothing of the error reaches the person
    assert "Content-Security-Policy" in response  # the security headers stay
    assert signed_in.get("/").status_code == 200  # it came back: served as usual


@pytest.mark.django_db
def test_database_down_in_a_view_answers_503(signed_in: Client) -> None:
    with mock.patch("workspace.views.render", side_effect=OperationalError("database is locked")):
        response = signed_in.get("/")
    assert response.status_code == 503


@pytest.mark.django_db
def test_other_errors_stay_500(signed_in: Client) -> None:
    with mock.patch.object(SessionStore, "load", side_effect=ValueError("a bug")):
        response = signed_in.get("/")
    assert response.status_code == 500
