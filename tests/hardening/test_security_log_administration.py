"""Issue #12, security-event log: an administrator's change on the reference-list and
field-help pages (issue #10) writes one `admin_action` line naming the object, not its text."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from core import security_log
from reference.models import DeliveryMethod, FieldHelp
from tests.factories_activities import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def captured(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    logger = logging.getLogger(security_log.LOGGER_NAME)
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.DEBUG, logger=security_log.LOGGER_NAME)
    yield caplog
    logger.removeHandler(caplog.handler)


def admin_actions(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    lines = [r.getMessage() for r in caplog.records if r.name == security_log.LOGGER_NAME]
    return [e for e in map(json.loads, lines) if e["event"] == security_log.ADMIN_ACTION]


def test_adding_and_deactivating_a_list_item_is_logged(client, world: World, captured) -> None:
    client.force_login(world.admin)
    response = client.post(
        reverse("administration:add", args=["delivery-methods"]),
        {"name": "Podcast", "definition": "Recorded audio, secret wording."},
    )
    assert response.status_code == 302
    item = DeliveryMethod.objects.get(name="Podcast")
    client.post(
        reverse("administration:set_active", args=["delivery-methods", item.pk]),
        {"active": "0"},
    )
    actions = admin_actions(captured)
    assert [a["action"] for a in actions] == ["addition", "deactivation"]
    for action in actions:
        assert action["user_id"] == world.admin.pk
        assert action["object_type"] == "reference.deliverymethod"
        assert action["object_id"] == str(item.pk)
        assert action["request_id"]
    assert "secret wording" not in captured.text


def test_editing_field_help_is_logged(client, world: World, captured) -> None:
    entry = FieldHelp.objects.create(key="x_field", label="X", definition="Old.")
    client.force_login(world.admin)
    response = client.post(
        reverse("administration:help_edit", args=[entry.pk]),
        {"label": "X", "definition": "New.", "best_practice": "", "version": entry.version},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    [action] = admin_actions(captured)
    assert action["action"] == "change"
    assert action["object_type"] == "reference.fieldhelp"
