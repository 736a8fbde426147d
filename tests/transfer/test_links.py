"""Issue 11: the token page and the import and export pages are reachable from the pages
people use — "API tokens" in the header for every signed-in person, "Import and export" in
the header and on the Help page for administrators only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User


def page(user: User, url_name: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("persona", ["staff", "sss", "viewer", "admin"])
def test_every_signed_in_person_has_a_link_to_their_api_tokens(
    persona: str, request: pytest.FixtureRequest, reference_data: None
) -> None:
    user = request.getfixturevalue(persona)
    html = page(user, "workspace:home")
    assert f'href="{reverse("api_tokens")}"' in html
    assert ">API tokens</a>" in html


def test_administrators_see_import_and_export_in_the_header_and_on_help(
    admin: User, reference_data: None
) -> None:
    home = page(admin, "workspace:home")
    assert f'href="{reverse("transfer:import")}"' in home
    help_page = page(admin, "workspace:help")
    assert f'href="{reverse("transfer:import")}"' in help_page
    assert f'href="{reverse("transfer:export")}"' in help_page


@pytest.mark.parametrize("persona", ["staff", "sss", "viewer"])
def test_others_see_no_import_or_export_link(
    persona: str, request: pytest.FixtureRequest, reference_data: None
) -> None:
    user = request.getfixturevalue(persona)
    for url_name in ("workspace:home", "workspace:help"):
        html = page(user, url_name)
        assert reverse("transfer:import") not in html
        assert reverse("transfer:export") not in html
