"""`reference_changes_since`: recent reference-list and field help changes (who, when, what),
read by the administrator's home (issue 10), in a number of queries that does not grow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from reference.lists import reference_list
from reference.models import DeliveryMethod, FieldHelp, GoalCategory
from reference.selectors import reference_changes_since
from reference.services import (
    field_help_update,
    reference_item_create,
    reference_item_set_active,
    reference_item_update,
)
from tests.factories import AdminFactory

pytestmark = pytest.mark.django_db


def _today() -> dt.date:
    return timezone.localdate()


def test_au1_changes_since_lists_who_when_what(reference_data: None) -> None:
    admin = AdminFactory(full_name="Ada Admin")
    methods = reference_list("delivery-methods")
    item = reference_item_create(
        ref_list=methods, actor=admin, data={"name": "Podcast", "definition": ""}
    )
    reference_item_update(
        ref_list=methods,
        item=item,
        actor=admin,
        data={"name": "Podcast episode", "definition": "Recorded audio."},
        expected_version=item.version,
    )
    reference_item_set_active(ref_list=methods, item=item, actor=admin, active=False)
    entry = FieldHelp.objects.get(key="activity.priority")
    field_help_update(
        entry=entry,
        actor=admin,
        data={
            "label": entry.label,
            "definition": "How urgent.",
            "best_practice": entry.best_practice,
        },
        expected_version=entry.version,
    )

    changes = reference_changes_since(_today())

    assert [c.summary for c in changes[:4]] == [
        "changed definition",
        "deactivated",
        "changed name, definition",
        "added",
    ]
    assert changes[0].list_slug == "field-help"
    assert changes[0].list_title == "Field help"
    assert changes[1].list_title == "Delivery methods"
    assert changes[1].item_label == "Podcast episode"
    assert changes[1].item_id == item.pk
    assert all(c.who == admin for c in changes[:4])
    assert changes[0].when >= changes[1].when


def test_au1_changes_since_leaves_out_older_changes(reference_data: None) -> None:
    tomorrow = _today() + dt.timedelta(days=1)
    assert reference_changes_since(tomorrow) == []
    # The shipped data loaded today counts as today's changes, without a person.
    loaded = reference_changes_since(_today(), limit=5)
    assert len(loaded) == 5
    assert {c.who for c in loaded} == {None}


def test_changes_since_query_count_constant(
    reference_data: None, django_assert_max_num_queries
) -> None:
    admin = AdminFactory()
    for number in (40, 41, 42):
        reference_item_create(
            ref_list=reference_list("goal-categories"),
            actor=admin,
            data={"name": f"Category {number}", "definition": "", "number": number},
        )
    with django_assert_max_num_queries(8):
        changes = reference_changes_since(_today(), limit=500)
    assert GoalCategory.objects.filter(number=42).exists()
    assert len(changes) >= DeliveryMethod.objects.count()
