"""The rules of `reference.services.lists` (DESIGN §2, C1, AU1), called directly as the pages,
a command or a future API would: unique names within a list or category, the “Other” TA
focus stays active, moves renumber, stale versions are refused, every path bumps versions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from reference.lists import reference_list
from reference.models import DeliveryMethod, FocusArea
from reference.services import (
    ReferenceConflict,
    reference_item_create,
    reference_item_move,
    reference_item_set_active,
    reference_item_update,
)
from tests.factories import AdminFactory
from tests.factories_activities import World

pytestmark = pytest.mark.django_db

FOCUS = reference_list("focus-areas")


def test_same_name_allowed_in_another_category_only(world: World) -> None:
    data = {"name": world.focus.name.upper(), "definition": "", "category": world.category}
    with pytest.raises(ValidationError) as refused:
        reference_item_create(ref_list=FOCUS, actor=world.admin, data=data)
    assert "already on this list in this goal category" in refused.value.message_dict["name"][0]
    data["category"] = world.other_category
    item = reference_item_create(ref_list=FOCUS, actor=world.admin, data=data)
    assert item.category == world.other_category


def test_other_focus_stays_active(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        reference_item_set_active(
            ref_list=FOCUS, item=world.other_focus, actor=world.admin, active=False
        )
    assert "active" in refused.value.message_dict


def test_move_renumbers_the_list(world: World) -> None:
    methods = reference_list("delivery-methods")
    extra = [DeliveryMethod.objects.create(name=f"M{n}", sort_order=0) for n in range(3)]
    reference_item_move(ref_list=methods, item=extra[2], actor=world.admin, direction="up")
    orders = list(
        DeliveryMethod.objects.order_by("sort_order").values_list("sort_order", flat=True)
    )
    assert orders == [10 * (i + 1) for i in range(len(orders))]
    with pytest.raises(ValidationError):
        reference_item_move(ref_list=methods, item=extra[0], actor=world.admin, direction="left")


def test_c1_update_refuses_a_stale_version(world: World) -> None:
    methods = reference_list("delivery-methods")
    data = {"name": "Changed", "definition": ""}
    reference_item_update(
        ref_list=methods, item=world.method, actor=world.admin, data=data, expected_version=1
    )
    with pytest.raises(ReferenceConflict) as conflict:
        reference_item_update(
            ref_list=methods,
            item=world.method,
            actor=world.admin,
            data={"name": "Mine", "definition": ""},
            expected_version=1,
        )
    assert conflict.value.current.name == "Changed"
    assert conflict.value.current.version == 2


def test_c1_reloading_the_data_file_bumps_the_version(reference_data) -> None:
    """A re-load puts a shipped item's wording back (ADR 0009): an open edit form is stale."""
    admin = AdminFactory()
    method = DeliveryMethod.objects.exclude(key=None).first()
    shipped_name = method.name
    method = reference_item_update(
        ref_list=reference_list("delivery-methods"),
        item=method,
        actor=admin,
        data={"name": "Renamed", "definition": method.definition},
        expected_version=method.version,
    )
    assert method.version == 2
    call_command("load_reference_data", verbosity=0)
    method.refresh_from_db()
    assert (method.name, method.version) == (shipped_name, 3)


def test_c1_a_superusers_stock_admin_save_bumps_the_version(client, world: World) -> None:
    root = AdminFactory(is_superuser=True)
    client.force_login(root)
    url = reverse("admin:reference_deliverymethod_change", args=[world.method.pk])
    response = client.post(
        url,
        {
            "name": "Renamed in admin",
            "definition": "",
            "sort_order": world.method.sort_order,
            "active": "on",
        },
    )
    assert response.status_code == 302
    world.method.refresh_from_db()
    assert (world.method.name, world.method.version) == ("Renamed in admin", 2)


def test_au1_every_write_names_the_actor(world: World) -> None:
    item = reference_item_create(
        ref_list=FOCUS,
        actor=world.admin,
        data={"name": "Brand new", "definition": "", "category": world.category},
    )
    reference_item_set_active(ref_list=FOCUS, item=item, actor=world.admin, active=False)
    users = {row.history_user for row in FocusArea.history.filter(id=item.pk)}
    assert users == {world.admin}
