"""The role sections' own query parameters (`center_page` for a center lead, `region` for a
federal viewer) answer any value without a 500 (issue 10; the robustness walk signs in as
an administrator and TA staff, who read neither)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories_activities import World
from tests.robustness.test_bad_input_query import VALUES, _fuzz

HOME = reverse("workspace:home")


@pytest.mark.parametrize("role", ["lead", "federal"])
def test_home_role_parameters_never_500(client, world: World, role: str):
    client.force_login(getattr(world, role))
    for value in VALUES:
        _fuzz(client, HOME, ("sort", "page", "center_page", "region"), value)
