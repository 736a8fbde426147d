"""Issue 10: administrators keep the reference lists on the product's own pages — list, add,
edit, deactivate and reactivate, reorder — with errors naming the field, C1 conflicts and the
history (AU1); what they change is what the forms offer."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from reference.models import Center, DeliveryMethod, FocusArea, GoalCategory
from tests.factories import AdminFactory, UserFactory
from tests.factories_activities import World, create_activity

pytestmark = pytest.mark.django_db


def _list(slug: str) -> str:
    return reverse("administration:list", args=[slug])


def _edit(slug: str, pk: int) -> str:
    return reverse("administration:edit", args=[slug, pk])


@pytest.fixture
def admin_client(client, world: World):
    client.force_login(world.admin)
    return client


# --- who gets in ---------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in(client, world: World) -> None:
    for url in (reverse("administration:index"), _list("centers")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["primary", "sss", "lead", "federal"])
def test_only_administrators_get_in(client, world: World, persona: str) -> None:
    client.force_login(getattr(world, persona))
    assert client.get(reverse("administration:index")).status_code == 403
    assert client.get(_edit("focus-areas", world.focus.pk)).status_code == 403
    response = client.post(
        reverse("administration:set_active", args=["focus-areas", world.focus.pk]),
        {"active": "0"},
    )
    assert response.status_code == 403
    world.focus.refresh_from_db()
    assert world.focus.active


def test_header_offers_reference_lists_to_administrators_only(client, world: World) -> None:
    client.force_login(world.primary)
    assert "Reference lists" not in client.get(reverse("workspace:help")).content.decode()
    client.force_login(world.admin)
    page = client.get(reverse("workspace:help")).content.decode()
    assert reverse("administration:index") in page
    assert reverse("admin:index") not in page  # the stock admin is for superusers only
    client.force_login(AdminFactory(is_superuser=True))
    assert reverse("admin:index") in client.get(reverse("workspace:help")).content.decode()


def test_stock_admin_is_404_for_administrators(admin_client) -> None:
    assert admin_client.get(reverse("admin:index")).status_code == 404


def test_unknown_list_and_item_are_404(admin_client, world: World) -> None:
    assert admin_client.get(_list("regions")).status_code == 404
    assert admin_client.get(_edit("centers", world.focus.pk + 10_000)).status_code == 404
    assert admin_client.get(reverse("administration:help_edit", args=[999_999])).status_code == 404
    # Goal categories follow their section numbers: no moving.
    url = reverse("administration:move", args=["goal-categories", world.category.pk])
    assert admin_client.post(url, {"direction": "up"}).status_code == 404


# --- the pages -----------------------------------------------------------------------------


def test_index_lists_every_list_with_counts(admin_client, world: World) -> None:
    page = admin_client.get(reverse("administration:index")).content.decode()
    for title in (
        "Goal categories",
        "Strategic areas",
        "TA focus areas",
        "National centers",
        "Other-collaborator types",
        "Delivery methods",
        "TA types",
        "Field help",
    ):
        assert title in page
    assert "Axes" not in page and "Groups" not in page


def test_list_shows_items_grouped_with_status(admin_client, world: World) -> None:
    world.focus_elsewhere.active = False
    world.focus_elsewhere.save()
    page = admin_client.get(_list("focus-areas")).content.decode()
    assert str(world.category) in page and str(world.other_category) in page
    assert world.focus.name in page and world.focus_elsewhere.name in page
    assert "Inactive" in page
    assert "Every goal category" in page  # the "Other" focus
    only_active = admin_client.get(_list("focus-areas"), {"show": "active"}).content.decode()
    assert world.focus_elsewhere.name not in only_active
    # A bad filter value shows everything rather than failing.
    assert admin_client.get(_list("focus-areas"), {"show": "<x>"}).status_code == 200


def test_list_page_queries_do_not_grow(admin_client, world: World, django_assert_max_num_queries):
    admin_client.get(_list("focus-areas"))  # warm the session
    with django_assert_max_num_queries(12):
        assert admin_client.get(_list("focus-areas")).status_code == 200
    for n in range(15):
        FocusArea.objects.create(category=world.category, name=f"Topic {n}", sort_order=100 + n)
    with django_assert_max_num_queries(12):
        assert admin_client.get(_list("focus-areas")).status_code == 200


# --- add -----------------------------------------------------------------------------------


def test_add_refuses_bad_input_naming_the_field(admin_client, world: World) -> None:
    url = reverse("administration:add", args=["centers"])
    response = admin_client.post(url, {"name": "", "code": "no spaces!", "definition": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Error:" in page
    assert "This field is required." in page or "Enter a name." in page
    assert "Use letters, digits and hyphens only" in page

    response = admin_client.post(
        url, {"name": world.center.name.upper(), "code": world.center.code.lower()}
    )
    page = response.content.decode()
    assert "is already on this list" in page
    assert f"The code “{world.center.code.lower()}” is already used" in page
    assert not Center.objects.filter(name=world.center.name.upper()).exists()


def test_add_puts_the_item_at_the_end_and_keeps_history(admin_client, world: World) -> None:
    url = reverse("administration:add", args=["delivery-methods"])
    response = admin_client.post(url, {"name": "Podcast", "definition": "Recorded audio."})
    assert response.status_code == 302
    item = DeliveryMethod.objects.get(name="Podcast")
    assert item.sort_order > world.method.sort_order
    assert item.history.first().history_user == world.admin
    page = admin_client.get(response["Location"]).content.decode()
    assert "“Podcast” was added" in page


def test_add_strategic_area_needs_an_active_category(admin_client, world: World) -> None:
    url = reverse("administration:add", args=["strategic-areas"])
    page = admin_client.post(url, {"name": "Something"}).content.decode()
    assert "This field is required." in page
    world.other_category.active = False
    world.other_category.save()
    page = admin_client.post(
        url, {"name": "Something", "category": world.other_category.pk}
    ).content.decode()
    assert "Choose one of the active goal categories." in page
    response = admin_client.post(url, {"name": "Something", "category": world.category.pk})
    assert response.status_code == 302
    assert world.category.strategic_area_items.filter(name="Something").exists()


def test_goal_category_number_is_checked(admin_client, world: World) -> None:
    url = reverse("administration:add", args=["goal-categories"])
    page = admin_client.post(url, {"name": "New", "number": "abc"}).content.decode()
    assert "Enter a whole number from 1 to 99." in page
    page = admin_client.post(url, {"name": "New", "number": world.category.number}).content
    assert f"Number {world.category.number} is already used".encode() in page
    assert admin_client.post(url, {"name": "New", "number": 77}).status_code == 302
    assert GoalCategory.objects.get(number=77).name == "New"


# --- edit, C1, history ---------------------------------------------------------------------


def test_edit_saves_and_shows_history(admin_client, world: World) -> None:
    url = _edit("delivery-methods", world.method.pk)
    page = admin_client.get(url).content.decode()
    assert f'value="{world.method.name}"' in page
    response = admin_client.post(
        url, {"name": "Remote video", "definition": "Over video.", "version": world.method.version}
    )
    assert response.status_code == 302
    world.method.refresh_from_db()
    assert (world.method.name, world.method.version) == ("Remote video", 2)
    page = admin_client.get(url).content.decode()
    assert "History" in page
    assert "Remote video" in page and world.admin.full_name in page


def test_edit_refuses_empty_and_too_long_text(admin_client, world: World, settings) -> None:
    settings.TAT_TEXT_MAX_LENGTH = 50
    url = _edit("ta-types", world.ta_type.pk)
    page = admin_client.post(
        url, {"name": "   ", "definition": "x" * 51, "version": world.ta_type.version}
    ).content.decode()
    assert "Error:" in page
    assert "at most 50 characters" in page
    world.ta_type.refresh_from_db()
    assert world.ta_type.name.strip()


def test_c1_stale_edit_is_refused_and_keeps_the_typing(admin_client, world: World) -> None:
    url = _edit("delivery-methods", world.method.pk)
    stale = world.method.version
    other = AdminFactory(full_name="Other Admin")
    from reference.lists import reference_list
    from reference.services import reference_item_update

    reference_item_update(
        ref_list=reference_list("delivery-methods"),
        item=world.method,
        actor=other,
        data={"name": "Their name", "definition": ""},
        expected_version=stale,
    )
    response = admin_client.post(url, {"name": "My name", "definition": "", "version": stale})
    assert response.status_code == 200
    page = response.content.decode()
    assert "What changed since you opened this form" in page
    assert "Other Admin" in page and "Their name" in page
    assert 'value="My name"' in page
    world.method.refresh_from_db()
    assert world.method.name == "Their name"
    # Saving again over the stored version goes through.
    response = admin_client.post(
        url, {"name": "My name", "definition": "", "version": world.method.version}
    )
    assert response.status_code == 302


# --- deactivate, reactivate: the effect on the forms ---------------------------------------


def test_deactivated_focus_is_not_offered_but_stays_on_records(client, world: World) -> None:
    activity = create_activity(world)
    client.force_login(world.admin)
    url = reverse("administration:set_active", args=["focus-areas", world.focus.pk])
    response = client.post(url, {"active": "0"})
    assert response.status_code == 302
    world.focus.refresh_from_db()
    assert not world.focus.active
    assert "deactivated" in client.get(response["Location"]).content.decode()

    client.force_login(world.primary)
    create_url = f"{reverse('activities:create')}?strategic_area={world.strategic_area.pk}"
    offered = re.compile(rf"<option value=\"{world.focus.pk}\"[^>]*>\s*{world.focus.name}")
    assert not offered.search(client.get(create_url).content.decode())
    record_page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert world.focus.name in record_page

    client.force_login(world.admin)
    assert client.post(url, {"active": "1"}).status_code == 302
    client.force_login(world.primary)
    assert offered.search(client.get(create_url).content.decode())


def test_other_focus_is_never_deactivated(admin_client, world: World) -> None:
    url = reverse("administration:set_active", args=["focus-areas", world.other_focus.pk])
    response = admin_client.post(url, {"active": "0"}, follow=True)
    assert "cannot be deactivated" in response.content.decode()
    world.other_focus.refresh_from_db()
    assert world.other_focus.active


def test_set_active_bad_value_names_the_field(admin_client, world: World) -> None:
    url = reverse("administration:set_active", args=["centers", world.center.pk])
    response = admin_client.post(url, {"active": "maybe"}, follow=True)
    assert "Active: Choose active or inactive." in response.content.decode()
    assert admin_client.get(url).status_code == 405


# --- reorder -------------------------------------------------------------------------------


def test_move_up_and_down(admin_client, world: World) -> None:
    first = DeliveryMethod.objects.create(name="Alpha", sort_order=1)
    second = DeliveryMethod.objects.create(name="Beta", sort_order=2)

    def names() -> list[str]:
        rows = DeliveryMethod.objects.order_by("sort_order", "name")
        return list(rows.values_list("name", flat=True))

    before = names()
    url = reverse("administration:move", args=["delivery-methods", second.pk])
    assert admin_client.post(url, {"direction": "up"}).status_code == 302
    after = names()
    assert after.index("Beta") == before.index("Beta") - 1
    assert after.index("Alpha") == before.index("Alpha") + 1
    assert admin_client.post(url, {"direction": "down"}).status_code == 302
    assert names().index("Beta") == before.index("Beta")
    # Moving the first item up changes nothing; a bad direction names the field.
    top = DeliveryMethod.objects.order_by("sort_order", "name").first()
    top_url = reverse("administration:move", args=["delivery-methods", top.pk])
    assert admin_client.post(top_url, {"direction": "up"}).status_code == 302
    assert names()[0] == top.name
    response = admin_client.post(url, {"direction": "sideways"}, follow=True)
    assert "Direction: Choose up or down." in response.content.decode()
    assert first.history.filter(history_change_reason="Moved in the list").exists()


def test_move_stays_within_the_category(admin_client, world: World) -> None:
    mine = FocusArea.objects.create(category=world.category, name="Mine", sort_order=5)
    url = reverse("administration:move", args=["focus-areas", mine.pk])
    for _ in range(3):
        admin_client.post(url, {"direction": "down"})
    world.focus_elsewhere.refresh_from_db()
    assert FocusArea.objects.filter(category=world.other_category).count() >= 1
    ordered = list(FocusArea.objects.filter(category=world.category).order_by("sort_order", "name"))
    assert ordered[-1] == mine


def test_non_admin_user_cannot_move(client, world: World) -> None:
    client.force_login(UserFactory())
    url = reverse("administration:move", args=["delivery-methods", world.method.pk])
    assert client.post(url, {"direction": "up"}).status_code == 403
