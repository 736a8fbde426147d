"""API test helpers (issue #11): a token for any persona and a client that sends it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from api import services


class ApiClient:
    """The Django test client speaking JSON with `Authorization: Bearer <token>`."""

    def __init__(self, secret: str | None) -> None:
        self.client = Client()
        self.secret = secret

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        headers = {
            name[5:].replace("_", "-").title() if name.startswith("HTTP_") else name: value
            for name, value in (extra or {}).items()
        }
        if self.secret:
            headers["Authorization"] = f"Bearer {self.secret}"
        return headers

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: str) -> Any:
        return self.client.get(f"/api/v1{path}", params or {}, headers=self._headers(headers))

    def send(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        data = body if isinstance(body, (str, bytes)) else json.dumps(body or {}, default=str)
        return getattr(self.client, method)(
            f"/api/v1{path}",
            data,
            content_type="application/json",
            headers=self._headers(headers),
        )

    def post(self, path: str, body: Any = None, **headers: str) -> Any:
        return self.send("post", path, body, **headers)

    def patch(self, path: str, body: Any = None, **headers: str) -> Any:
        return self.send("patch", path, body, **headers)

    def delete(self, path: str, **headers: str) -> Any:
        return self.client.delete(f"/api/v1{path}", headers=self._headers(headers))


def token_for(user: User, **kwargs: Any) -> str:
    expires = kwargs.pop("expires_on", timezone.localdate() + dt.timedelta(days=30))
    _token, secret = services.api_token_create(
        actor=user, owner=user, name=kwargs.pop("name", "tests"), expires_on=expires
    )
    return secret


@pytest.fixture
def api_as():
    """`api_as(user)`: an ApiClient acting with a fresh token of `user` (None: no token)."""

    def make(user: User | None) -> ApiClient:
        return ApiClient(token_for(user) if user is not None else None)

    return make


def assert_error_shape(response: Any, status: int, *fields: str) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert set(body) >= {"detail", "errors"}, body
    assert isinstance(body["detail"], str) and body["detail"]
    for field in fields:
        assert field in body["errors"], (field, body)
    return body
