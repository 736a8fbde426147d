"""Issue #12, door 3 (no caching of what a signed-in person sees) and door 10 (the admin site,
at a configurable path, exists only for superusers: everyone else gets 404; TAT
administrators keep the reference lists on the product's own pages, issue 10)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import AdminFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/help/",
        "/search/?jurisdiction=",
        "/search/export.csv",
        "/search/export.xlsx",
        "/accounts/session/",
    ],
)
def test_door3_signed_in_responses_are_not_stored(client, world, activity, url):
    client.force_login(world.primary)
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Cache-Control"] == "no-store, private"


def test_door3_htmx_fragments_and_redirects_are_not_stored(client, world, activity):
    client.force_login(world.primary)
    response = client.post(
        reverse("activities:response_note_add", args=[activity.pk]),
        {"response-text": "A note."},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    redirect = client.post(
        reverse("activities:response_note_add", args=[activity.pk]),
        {"response-text": "Another."},
    )
    assert redirect.status_code == 302
    assert redirect["Cache-Control"] == "no-store, private"


@pytest.mark.parametrize("path", ["/admin/", "/admin/login/", "/admin/accounts/user/"])
def test_door10_anonymous_gets_404_not_the_admin_sign_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["primary", "sss", "lead", "federal"])
def test_door10_signed_in_non_admins_get_404(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/accounts/user/").status_code == 404


def test_door10_staff_flag_alone_is_not_enough(client, db):
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/admin/").status_code == 404


def test_door10_superusers_reach_the_admin(client, db):
    client.force_login(AdminFactory(is_tat_admin=False, is_superuser=True))
    assert client.get("/admin/").status_code == 200


def test_door10_tat_administrators_get_404_from_the_stock_admin(client, db):
    """Issue 10: administrators use /administration/, not the stock admin."""
    client.force_login(AdminFactory())
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/reference/deliverymethod/").status_code == 404


def test_door10_admin_path_is_the_setting(client, db):
    from django.conf import settings

    assert reverse("admin:index") == "/" + settings.ADMIN_PATH
