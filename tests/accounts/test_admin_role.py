"""A TAT administrator (without Django's superuser flag) manages reference data in the admin."""

from tests.factories import AdminFactory, UserFactory


def test_tat_admin_without_superuser_uses_admin_site(client, reference_data):
    admin = AdminFactory(is_superuser=False)
    client.force_login(admin)
    assert client.get("/admin/reference/goalcategory/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


def test_ta_staff_has_no_model_permissions(db):
    staff = UserFactory()
    assert not staff.has_perm("reference.change_goalcategory")
