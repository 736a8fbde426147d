"""A person's optional region (issue 10: the federal viewer's home shows "the dashboard
filtered to their region if they have one"), kept where people are edited (the admin's
person form) and given to the demo's federal viewer by `seed_demo`."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import User
from demo.people import ensure_demo_users
from demo.scenario import DEMO_PEOPLE
from reference.models import Region
from tests.factories import AdminFactory, FederalViewerFactory

pytestmark = pytest.mark.django_db


def test_person_region_is_optional(reference_data):
    viewer = FederalViewerFactory()
    viewer.full_clean()
    assert viewer.region is None


def test_person_form_edits_the_region(client, reference_data):
    superuser = AdminFactory(is_superuser=True, is_staff=True)
    viewer = FederalViewerFactory()
    region = Region.objects.get(number=4)
    client.force_login(superuser)
    url = reverse("admin:accounts_user_change", args=[viewer.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="region"' in page.content.decode()
    form = page.context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and key not in ("groups", "user_permissions", "sss_jurisdictions")
    }
    data.update(
        email=viewer.email,
        full_name=viewer.full_name,
        region=region.pk,
        date_joined_0=viewer.date_joined.strftime("%Y-%m-%d"),
        date_joined_1=viewer.date_joined.strftime("%H:%M:%S"),
    )
    for flag in ("is_ta_staff", "is_sss", "is_center_lead", "is_tat_admin", "is_staff"):
        data.pop(flag, None)
    data["is_federal_viewer"] = "on"
    data["is_active"] = "on"
    data.pop("password", None)
    data.pop("center", None)
    data.pop("last_login", None)
    data.pop("date_joined", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    viewer.refresh_from_db()
    assert viewer.region == region
    assert viewer.history.first().region_id == region.pk  # AU1: the change is kept


def test_seed_demo_gives_the_federal_viewer_a_region(reference_data):
    federal = next(p for p in DEMO_PEOPLE if "is_federal_viewer" in p.roles)
    assert federal.region == 4
    ensure_demo_users()
    user = User.objects.get(email__iexact=federal.email)
    assert user.region == Region.objects.get(number=4)
    others = User.objects.exclude(pk=user.pk).filter(region__isnull=False)
    assert not others.exists()
