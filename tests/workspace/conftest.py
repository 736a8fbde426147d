"""Fixtures of the workspace tests."""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Callable

import pytest

from workspace import views as workspace_views


@pytest.fixture
def on_day(monkeypatch) -> Callable[[dt.date], None]:
    """Fix the home page's "today" (the workspace views read it; nothing else changes)."""

    def set_today(day: dt.date) -> None:
        fake = types.SimpleNamespace(localdate=lambda *args, **kwargs: day)
        monkeypatch.setattr(workspace_views, "timezone", fake)

    return set_today
