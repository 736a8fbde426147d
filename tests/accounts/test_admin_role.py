"""A TAT administrator (without Django's superuser flag) manages reference data on the
product's own pages; the stock admin site is for superusers only (issue 10)."""

from tests.factories import AdminFactory, UserFactory


def test_tat_admin_without_superuser_uses_the_reference_list_pages(client, reference_data):
    admin = AdminFactory(is_superuser=False)
    client.force_login(admin)
    assert client.get("/administration/lists/goal-categories/").status_code == 200
    assert client.get("/admin/reference/goalcategory/").status_code == 404
    assert client.get("/admin/accounts/user/").status_code == 404


def test_ta_staff_has_no_model_permissions(db):
    staff = UserFactory()
    assert not staff.has_perm("reference.change_goalcategory")
