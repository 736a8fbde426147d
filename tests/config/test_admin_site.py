"""The admin site: every registered model's pages open for a superuser; reference items are
deactivated, never deleted; people are managed by e-mail; status changes and notifications
are read-only; only superusers get in (issue 10: TAT administrators use /administration/)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import User
from core.models import Notification, StatusChange
from core.status import record_status_change
from reference.models import DeliveryMethod, FieldHelp, Jurisdiction, StrategicAreaItem
from tests.factories import (
    AdminFactory,
    CenterFactory,
    RequesterFactory,
    TAActivityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry.items(), key=lambda pair: pair[0]._meta.label)


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser(db) -> User:
    return AdminFactory(is_superuser=True, email="root@example.org", full_name="Root Admin")


@pytest.fixture
def admin_web(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def sample_records(reference_data, superuser) -> None:
    """At least one row for every model the admin shows, so change pages can be opened."""
    activity = TAActivityFactory()
    RequesterFactory(jurisdiction=activity.jurisdiction)
    record_status_change(
        subject=activity,
        field="status",
        from_value="planning",
        to_value="approved",
        actor=superuser,
        reason="COR approval",
    )
    Notification.objects.create(recipient=superuser, message="A goal was added.", link="/")
    Group.objects.create(name="Reviewers")


@pytest.mark.parametrize(
    "model", [model for model, _ in REGISTERED], ids=[m._meta.label for m, _ in REGISTERED]
)
def test_admin_pages_open_for_a_superuser(admin_web, sample_records, superuser, model):
    model_admin = admin.site._registry[model]

    response = admin_web.get(_url(model, "changelist"))
    assert response.status_code == 200
    if model_admin.search_fields:
        assert admin_web.get(_url(model, "changelist"), {"q": "a"}).status_code == 200

    obj = model._default_manager.first()
    if obj is not None:
        assert admin_web.get(_url(model, "change", obj.pk)).status_code == 200
        if isinstance(model_admin, SimpleHistoryAdmin):
            assert admin_web.get(_url(model, "history", obj.pk)).status_code == 200

    request = RequestFactory().get("/")
    request.user = superuser
    if model_admin.has_add_permission(request):
        assert admin_web.get(_url(model, "add")).status_code == 200


def test_admin_index_lists_the_reference_lists(admin_web):
    page = admin_web.get(reverse("admin:index")).content.decode()
    for name in ("Goal categories", "Strategic areas (list)", "TA focus areas", "Field help texts"):
        assert name in page


# --- reference lists ----------------------------------------------------------------------


def test_reference_items_cannot_be_deleted(admin_web, reference_data):
    item = StrategicAreaItem.objects.first()
    assert admin_web.get(_url(StrategicAreaItem, "delete", item.pk)).status_code == 403
    changelist = admin_web.get(_url(StrategicAreaItem, "changelist"))
    assert "delete_selected" not in changelist.content.decode()
    assert StrategicAreaItem.objects.filter(pk=item.pk).exists()


def test_deactivate_action_keeps_the_item_and_its_history(admin_web, reference_data):
    item = DeliveryMethod.objects.get(key="webinar")
    response = admin_web.post(
        _url(DeliveryMethod, "changelist"),
        {"action": "deactivate", "_selected_action": [item.pk]},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.active is False
    assert item.history.first().history_change_reason == "Deactivated in admin"


def test_reference_changelists_filter_by_category_and_active(admin_web, reference_data):
    item = StrategicAreaItem.objects.select_related("category").first()
    response = admin_web.get(
        _url(StrategicAreaItem, "changelist"),
        {"category__id__exact": item.category_id, "active__exact": "1"},
    )
    assert response.status_code == 200
    shown = response.context["cl"].result_list
    assert {i.category_id for i in shown} == {item.category_id}


def test_hl1_field_help_is_editable_but_its_key_is_not(admin_web, reference_data, superuser):
    entry = FieldHelp.objects.get(key="goal.start_date")
    response = admin_web.post(
        _url(FieldHelp, "change", entry.pk),
        {
            "key": "goal.renamed",
            "label": "Start date",
            "definition": "Date the goal was agreed with the State.",
            "best_practice": "Line one.\r\nLine two.",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.key == "goal.start_date"
    assert entry.definition == "Date the goal was agreed with the State."
    assert entry.history.first().history_user == superuser


# --- people -------------------------------------------------------------------------------


def test_admin_adds_a_person_by_email_with_the_password_twice(admin_web):
    center = CenterFactory(code="SCBC")
    response = admin_web.post(
        _url(User, "add"),
        {
            "email": "New.Person@Example.ORG",
            "full_name": "New Person",
            "title": "TA Specialist",
            "center": center.pk,
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    person = User.objects.get(email="new.person@example.org")
    assert person.full_name == "New Person"
    assert person.center == center
    assert person.check_password("a long enough passphrase 42")


def test_admin_add_person_refuses_mismatched_passwords(admin_web):
    response = admin_web.post(
        _url(User, "add"),
        {
            "email": "someone@example.org",
            "full_name": "Some One",
            "password1": "a long enough passphrase 42",
            "password2": "a different passphrase 42",
        },
    )
    assert response.status_code == 200
    assert "password2" in response.context["adminform"].form.errors
    assert not User.objects.filter(email="someone@example.org").exists()


def test_admin_add_person_refuses_an_email_on_file_in_another_case(admin_web):
    UserFactory(email="taken@example.org")
    response = admin_web.post(
        _url(User, "add"),
        {
            "email": "TAKEN@example.org",
            "full_name": "Second Person",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == [
        "A person with this e-mail address already exists."
    ]
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1


def test_admin_sets_roles_center_and_sss_states(admin_web, reference_data):
    person = UserFactory(is_ta_staff=True)
    center = CenterFactory(code="SCBC")
    states = list(Jurisdiction.objects.filter(code__in=["GU", "HI"]))
    form = admin_web.get(_url(User, "change", person.pk)).context["adminform"].form
    assert "sss_jurisdictions" in form.fields
    data = {
        "email": person.email,
        "full_name": person.full_name,
        "title": "State Systems Specialist",
        "center": center.pk,
        "is_sss": "on",
        "sss_jurisdictions": [j.pk for j in states],
        "is_active": "on",
    }
    response = admin_web.post(_url(User, "change", person.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.is_sss and not person.is_ta_staff
    assert person.center == center
    assert set(person.sss_jurisdictions.values_list("code", flat=True)) == {"GU", "HI"}


def test_admin_finds_people_by_name_and_filters_by_role_and_center(admin_web):
    scbc = CenterFactory(code="SCBC")
    specialist = UserFactory(full_name="Alex Specialist", is_sss=True, center=scbc)
    UserFactory(full_name="Blake Other", is_sss=False)
    response = admin_web.get(_url(User, "changelist"), {"q": "alex"})
    assert list(response.context["cl"].result_list) == [specialist]
    response = admin_web.get(
        _url(User, "changelist"), {"is_sss__exact": "1", "center__id__exact": scbc.pk}
    )
    assert list(response.context["cl"].result_list) == [specialist]


def test_createsuperuser_works_with_email_sign_in(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "Chief@Example.org")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long enough passphrase 42")
    monkeypatch.setenv("DJANGO_SUPERUSER_FULL_NAME", "Chief Admin")
    call_command("createsuperuser", interactive=False, verbosity=0)
    chief = User.objects.get(email="chief@example.org")
    assert chief.full_name == "Chief Admin"
    assert chief.is_superuser and chief.is_staff and chief.is_tat_admin
    assert chief.check_password("a long enough passphrase 42")


# --- read-only records and access ---------------------------------------------------------


def test_status_changes_and_notifications_are_read_only(admin_web, sample_records):
    change = StatusChange.objects.get()
    notice = Notification.objects.get()
    for model, obj in ((StatusChange, change), (Notification, notice)):
        assert admin_web.get(_url(model, "add")).status_code == 403
        assert admin_web.get(_url(model, "delete", obj.pk)).status_code == 403
        page = admin_web.get(_url(model, "change", obj.pk))
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()
        assert admin_web.post(_url(model, "change", obj.pk), {}).status_code == 403
    change.refresh_from_db()
    assert change.to_value == "approved"


def test_non_admin_user_gets_404_from_the_admin(client):
    # Issue #12, door 10, and issue 10: the stock admin site exists only for superusers.
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/admin/").status_code == 404
    client.force_login(AdminFactory())  # a TAT administrator who is not a superuser
    assert client.get("/admin/").status_code == 404


def test_anonymous_visitor_gets_404_from_the_admin(client, db):
    response = client.get(_url(User, "changelist"))
    assert response.status_code == 404
