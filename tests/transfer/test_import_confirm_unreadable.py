"""Issue 11/12: a stored upload that can no longer be read answers 400 naming the file,
never a 500, and imports nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from transfer.models import PendingImport

pytestmark = pytest.mark.django_db


def test_import_confirm_with_unreadable_upload_names_the_file(client, admin) -> None:
    pending = PendingImport.objects.create(
        uploaded_by=admin,
        file_name="legacy.csv",
        source="legacy",
        data=b"\xff\xfe\x00broken",
        clean=True,
    )
    client.force_login(admin)
    response = client.post(reverse("transfer:import_confirm", args=[pending.pk]))
    assert response.status_code == 400
    assert "could not be read again" in response.content.decode()
