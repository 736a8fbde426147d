"""Issue 11: the administrator's import and export pages and the template downloads —
permission ladder (anonymous → sign-in, others 403, administrator 200), dry run then
confirm, errors as a table and a CSV, bad uploads answered with a clear error, never a 500."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import User
from activities.models import TAActivity
from reference.models import Center
from tests.factories import AdminFactory, FederalViewerFactory, SSSFactory, UserFactory
from transfer import templates as template_files
from transfer.forms import MAX_UPLOAD_BYTES
from transfer.models import PendingImport
from transfer.spec import KINDS

STAFF_EMAIL = "staff.person@center.example.org"


@pytest.fixture
def admin_client(reference_data: None) -> Client:
    UserFactory(email=STAFF_EMAIL, center=Center.objects.get(code="SCBC"))
    client = Client()
    client.force_login(AdminFactory())
    return client


def upload(client: Client, data: bytes, name: str = "legacy.csv") -> object:
    return client.post(
        reverse("transfer:import"),
        {"file": SimpleUploadedFile(name, data), "source": "legacy"},
    )


@pytest.mark.parametrize("name", ["transfer:import", "transfer:export"])
def test_pages_permission_ladder(db: None, name: str) -> None:
    url = reverse(name)
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    for person in (UserFactory(), SSSFactory(), FederalViewerFactory()):
        client = Client()
        client.force_login(person)
        assert client.get(url).status_code == 403
    client = Client()
    client.force_login(AdminFactory())
    assert client.get(url).status_code == 200


def test_confirm_and_errors_csv_are_admin_only(db: None) -> None:
    staff: User = UserFactory()
    pending = PendingImport.objects.create(
        uploaded_by=staff, file_name="x.csv", source="legacy", data=b"", clean=True
    )
    client = Client()
    client.force_login(staff)
    assert client.post(reverse("transfer:import_confirm", args=[pending.pk])).status_code == 403
    assert client.get(reverse("transfer:import_errors_csv", args=[pending.pk])).status_code == 403
    assert client.get(reverse("transfer:import_confirm", args=[pending.pk])).status_code == 405


def test_template_downloads_are_public_and_linked_from_help(db: None) -> None:
    client = Client()
    csv_response = client.get(reverse("transfer:template_csv"))
    assert csv_response.status_code == 200
    text = csv_response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("kind,external_id,")
    assert len(text.splitlines()) == 1 + len(KINDS)  # one example row per kind
    xlsx = client.get(reverse("transfer:template_xlsx"))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    help_page = client.get(reverse("workspace:help")).content.decode()
    assert reverse("transfer:template_xlsx") in help_page
    assert reverse("transfer:template_csv") in help_page


def test_dry_run_then_confirm_imports_all(admin_client: Client) -> None:
    response = upload(admin_client, template_files.template_csv())
    assert response.status_code == 200
    assert b"No errors in 9 rows" in response.content
    assert TAActivity.objects.count() == 0  # dry run
    pending = PendingImport.objects.get()
    response = admin_client.post(reverse("transfer:import_confirm", args=[pending.pk]))
    assert response.status_code == 200
    assert b"Records imported" in response.content
    assert TAActivity.objects.count() == 1
    assert not PendingImport.objects.exists()


def test_errors_shown_as_a_table_and_a_csv_and_confirm_refused(admin_client: Client) -> None:
    data = template_files.template_csv().replace(b",somewhat,", b",very,")
    response = upload(admin_client, data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "nothing was saved" in content
    assert "readiness" in content and "<table" in content
    pending = PendingImport.objects.get()
    errors = admin_client.get(reverse("transfer:import_errors_csv", args=[pending.pk]))
    lines = errors.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "file,row,column,message"
    assert any(",3,readiness," in line for line in lines)
    refused = admin_client.post(reverse("transfer:import_confirm", args=[pending.pk]))
    assert refused.status_code == 403
    assert TAActivity.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "name", "fragment"),
    [
        (b"", "empty.csv", "Choose a CSV"),  # Django: an empty upload
        (b"\x89PNG\r\n\x1a\n\x00\xff\xfe", "photo.png", "UTF-8"),
        (b"PK\x03\x04broken", "book.xlsx", "not a CSV file"),
        (b"first,last\nA,B\n", "people.csv", "kind"),
        (b"kind,external_id,colour\ngoal,G-1,red\n", "odd.csv", "colour"),
    ],
)
def test_bad_uploads_get_a_clear_error(
    admin_client: Client, data: bytes, name: str, fragment: str
) -> None:
    response = upload(admin_client, data, name)
    assert response.status_code == 200
    assert fragment in response.content.decode()
    assert not PendingImport.objects.exists()


def test_huge_upload_refused(admin_client: Client) -> None:
    data = b"kind,external_id\n" + b"goal,x\n" * (MAX_UPLOAD_BYTES // 7 + 1)
    response = upload(admin_client, data)
    assert response.status_code == 200
    assert "larger than 20 MB" in response.content.decode()


def test_export_page_downloads_a_zip_with_a_manifest(admin_client: Client) -> None:
    response = admin_client.get(reverse("transfer:export"), {"download": "1", "jurisdiction": "GA"})
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert "manifest.json" in archive.namelist()
    assert "records/activities.csv" in archive.namelist()
    bad = admin_client.get(reverse("transfer:export"), {"download": "1", "jurisdiction": "ZZ"})
    assert bad.status_code == 200
    assert "usa-error-message" in bad.content.decode() or "Select a valid" in bad.content.decode()
