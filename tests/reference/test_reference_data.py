"""The shipped reference data (DESIGN §2, §6), its loader, and the field help catalogue (HL1)."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reference.help import ALL_KEYS, field_help, field_help_map, field_help_with_prefix
from reference.models import (
    Center,
    CollaboratorType,
    DeliveryMethod,
    FieldHelp,
    FocusArea,
    GoalCategory,
    Jurisdiction,
    Region,
    StrategicAreaItem,
    TAType,
)
from reference.services import (
    DEFAULT_DATA_FILE,
    ReferenceDataError,
    reference_data_load,
    reference_data_read,
)
from tests.factories import (
    GoalCategoryFactory,
    StrategicAreaItemFactory,
    TAActivityFactory,
)

pytestmark = pytest.mark.django_db

REGION_MEMBERS = {  # DESIGN §6
    "I": ("Boston", {"CT", "ME", "MA", "NH", "RI", "VT"}),
    "II": ("New York", {"NJ", "NY", "PR", "VI"}),
    "III": ("Philadelphia", {"DE", "DC", "MD", "PA", "VA", "WV"}),
    "IV": ("Atlanta", {"AL", "FL", "GA", "KY", "MS", "NC", "SC", "TN"}),
    "V": ("Chicago", {"IL", "IN", "MI", "MN", "OH", "WI"}),
    "VI": ("Dallas", {"AR", "LA", "NM", "OK", "TX"}),
    "VII": ("Kansas City", {"IA", "KS", "MO", "NE"}),
    "VIII": ("Denver", {"CO", "MT", "ND", "SD", "UT", "WY"}),
    "IX": ("San Francisco", {"AZ", "CA", "HI", "NV", "AS", "GU", "MP"}),
    "X": ("Seattle", {"AK", "ID", "OR", "WA"}),
}

# The keys the UI engineers were promised (the brief's list), plus every search criterion.
PROMISED_KEYS = [
    "goal.start_date",
    "goal.readiness",
    "activity.focus",
    "activity.other_focus_notes",
    "activity.date_opened",
    "activity.priority",
    "activity.requesters",
    "activity.add_requester",
    "activity.primary_center",
    "activity.primary_staff",
    "activity.collaborating",
    "activity.other_collaborators",
    "activity.other_collaborators_details",
    "activity.description_notes",
    "activity.description_stage",
    "activity.activity_type",
    "activity.status",
    "activity.outcome_plan",
    "summary.text",
    "summary.methods_types",
    "feedback.text",
    "activity.completion_status",
    "activity.completion_date",
    "activity.outcome_report",
    "response_note.text",
    "strategic_area.item",
    "strategic_area.notes",
    "goal.category",
    "goal.related_category",
    "goal.update_notes",
]
SEARCH_CRITERIA = [  # the guide's search table, in order
    "record_number",
    "jurisdiction",
    "region",
    "goal_category",
    "strategic_area",
    "primary_center",
    "collaborating_center",
    "staff",
    "activity_type",
    "activity_status",
    "completion_status",
    "other_collaborators",
    "date_opened",
    "date_closed",
    "response_note_date",
    "summary_date",
]

ITEM_MODELS = (
    GoalCategory,
    StrategicAreaItem,
    FocusArea,
    Center,
    CollaboratorType,
    DeliveryMethod,
    TAType,
)


def _shipped() -> dict[str, Any]:
    return copy.deepcopy(reference_data_read(path=DEFAULT_DATA_FILE))


def _category(data: dict[str, Any], key: str) -> dict[str, Any]:
    return next(c for c in data["goal_categories"] if c["key"] == key)


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "reference.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _counts() -> dict[str, int]:
    models = (Region, Jurisdiction, FieldHelp, *ITEM_MODELS)
    return {m.__name__: m.objects.count() for m in models}


# --- the shipped lists ----------------------------------------------------------------


def test_ten_acf_regions(reference_data):
    regions = list(Region.objects.order_by("number"))
    assert [r.number for r in regions] == list(range(1, 11))
    assert [r.numeral for r in regions] == list(REGION_MEMBERS)
    assert [r.city for r in regions] == [city for city, _ in REGION_MEMBERS.values()]


def test_56_jurisdictions_states_dc_and_five_territories(reference_data):
    assert Jurisdiction.objects.count() == 56
    kinds = {k: set() for k in Jurisdiction.Kind.values}
    for j in Jurisdiction.objects.all():
        kinds[j.kind].add(j.code)
    assert len(kinds["state"]) == 50
    assert kinds["district"] == {"DC"}
    assert kinds["territory"] == {"PR", "VI", "GU", "AS", "MP"}
    assert Jurisdiction.objects.get(code="VI").name == "U.S. Virgin Islands"


def test_guam_is_in_region_ix(reference_data):
    assert Jurisdiction.objects.get(name="Guam").region.numeral == "IX"


@pytest.mark.parametrize("numeral", list(REGION_MEMBERS))
def test_region_members_match_design(reference_data, numeral):
    region = Region.objects.get(numeral=numeral)
    assert set(region.jurisdictions.values_list("code", flat=True)) == REGION_MEMBERS[numeral][1]


def test_nine_goal_categories_in_plan_preprint_order(reference_data):
    categories = list(GoalCategory.objects.order_by("number"))
    assert [c.number for c in categories] == list(range(1, 10))
    assert categories[0].name == "Define CCDF leadership and coordination with relevant systems"
    assert categories[6].name == "Support continuous quality improvement"
    assert categories[8].name == "Cross-systems"


def test_every_category_has_strategic_areas_and_focus_areas(reference_data):
    for category in GoalCategory.objects.all():
        n_areas = category.strategic_area_items.count()
        n_focus = category.focus_areas.count()
        assert 4 <= n_areas <= 10, category
        assert 4 <= n_focus <= 10, category


def test_quality_category_lists_the_ten_allowable_quality_activities(reference_data):
    quality = GoalCategory.objects.get(number=7)
    assert quality.strategic_area_items.count() == 10
    names = set(quality.strategic_area_items.values_list("name", flat=True))
    assert "Tiered quality rating and improvement system" in names
    assert "Accreditation supports" in names


def test_a1_exactly_one_other_focus_without_category(reference_data):
    others = FocusArea.objects.filter(is_other=True)
    assert others.count() == 1
    other = others.get()
    assert other.name == "Other"
    assert other.category is None
    assert FocusArea.objects.filter(category__isnull=True).count() == 1


def test_a5_one_other_collaborator_type(reference_data):
    assert CollaboratorType.objects.filter(is_other=True).count() == 1
    names = set(CollaboratorType.objects.values_list("name", flat=True))
    assert "Consultant working on behalf of a National Center" in names
    assert "ECTTA regional team" in names


def test_centers_start_with_scbc_and_have_codes(reference_data):
    centers = list(Center.objects.all())
    assert centers[0].code == "SCBC"
    assert centers[0].name == "State Capacity Building Center"
    assert len({c.code for c in centers}) == len(centers) >= 7


def test_delivery_methods_and_ta_types_cover_the_guide(reference_data):
    methods = set(DeliveryMethod.objects.values_list("name", flat=True))
    assert {"Onsite", "Remote/virtual", "Phone", "Email", "Peer-to-peer", "Webinar"} <= methods
    types = set(TAType.objects.values_list("name", flat=True))
    assert {
        "Consultation",
        "Training",
        "Information product",
        "Data analysis",
        "Meeting planning and facilitation",
        "Coaching",
        "Peer learning",
    } <= types


def test_hl1_every_item_has_a_definition_and_key(reference_data):
    for model in ITEM_MODELS:
        for item in model.objects.all():
            assert item.definition.strip(), (model.__name__, item.name)
            assert item.key, (model.__name__, item.name)
            assert item.active


# --- field help ---------------------------------------------------------------------------


def test_hl1_field_help_has_every_promised_key(reference_data):
    keys = set(FieldHelp.objects.values_list("key", flat=True))
    assert set(PROMISED_KEYS) <= keys
    assert {f"search.{c}" for c in SEARCH_CRITERIA} <= keys
    assert set(ALL_KEYS) == keys


def test_hl1_field_help_copies_the_guide(reference_data):
    start = field_help("goal.start_date")
    assert start.label == "Start date"
    assert start.definition == "Date goal was developed or entered into TAT."
    assert start.best_practice.startswith("Use the date the decision was made with the State")

    priority = field_help("activity.priority")
    assert priority.label == "Priority level"
    assert priority.best_practice.split("\n") == [
        "Select low, medium, or high.",
        "Low: State or Territory would like to address this issue but has limited resources "
        "or competing priorities.",
        "Medium: State or Territory is motivated but may have limitations in committing the "
        "necessary resources.",
        "High: State or Territory is highly motivated and willing and able to commit the "
        "necessary resources.",
    ]
    stage = field_help("activity.description_stage")
    assert stage.definition.split("\n")[1].startswith("Initial plan: plan proposed by the SCBC")
    assert field_help("search.strategic_area").definition == (
        "Must select a goal category to use this field."
    )
    assert field_help("activity.add_requester").definition == ""
    assert "CCDF Administrator or RPM" in field_help("activity.add_requester").best_practice


def test_hl1_field_help_has_no_footnote_markers_or_trailing_spaces(reference_data):
    for entry in FieldHelp.objects.all():
        for text in (entry.definition, entry.best_practice):
            assert "footnote" not in text.lower()
            assert "[bookmark" not in text
            assert all(line == line.rstrip() for line in text.split("\n")), entry.key


def test_hl1_field_help_map_fetches_many_keys_in_one_query(
    reference_data, django_assert_num_queries
):
    with django_assert_num_queries(1):
        found = field_help_map(["goal.start_date", "activity.focus", "no.such_key"])
    assert set(found) == {"goal.start_date", "activity.focus"}
    with django_assert_num_queries(0):
        assert field_help_map([]) == {}
    with django_assert_num_queries(1):
        assert len(field_help_with_prefix("search.")) == len(SEARCH_CRITERIA)


def test_hl1_field_help_unknown_key_is_none(reference_data):
    assert field_help("no.such_key") is None


# --- the loader ---------------------------------------------------------------------------


def test_loader_is_idempotent(reference_data):
    before = _counts()
    call_command("load_reference_data", verbosity=0)
    assert _counts() == before
    report = reference_data_load(data=_shipped())
    assert all(c.created == c.updated == c.deactivated == 0 for c in report.counts.values())


def test_loader_prints_a_summary_per_list(db, capsys):
    call_command("load_reference_data")
    out = capsys.readouterr().out
    assert "regions: 10 created" in out
    assert "jurisdictions: 56 created" in out
    assert "goal categories: 9 created" in out
    for label in ("strategic areas", "TA focus areas", "national centers", "field help"):
        assert f"{label}: " in out
    call_command("load_reference_data", verbosity=0)
    assert capsys.readouterr().out == ""


def test_loader_updates_an_edited_definition_name_and_order(reference_data, tmp_path):
    data = _shipped()
    areas = _category(data, "quality")["strategic_areas"]
    areas[0]["definition"] = "A new definition."
    areas[1]["name"] = "Renamed quality area"
    areas.reverse()
    data["field_help"][0]["definition"] = "An edited help text."
    n_items = StrategicAreaItem.objects.count()

    call_command("load_reference_data", file=_write(tmp_path, data), verbosity=0)

    assert StrategicAreaItem.objects.count() == n_items
    first = StrategicAreaItem.objects.get(key=areas[-1]["key"])
    assert first.definition == "A new definition."
    assert first.sort_order == len(areas)
    assert StrategicAreaItem.objects.get(key=areas[-2]["key"]).name == "Renamed quality area"
    assert FieldHelp.objects.get(key=data["field_help"][0]["key"]).definition == (
        "An edited help text."
    )
    assert first.history.first().history_change_reason == "Loaded from the reference data file"


def test_loader_deactivates_a_removed_item_and_never_deletes_it(reference_data, tmp_path):
    data = _shipped()
    removed = data["delivery_methods"].pop()
    call_command("load_reference_data", file=_write(tmp_path, data), verbosity=0)

    item = DeliveryMethod.objects.get(key=removed["key"])
    assert item.active is False
    assert DeliveryMethod.objects.active().filter(key=removed["key"]).count() == 0

    # Back in the file: active again, still one row.
    call_command("load_reference_data", verbosity=0)
    assert DeliveryMethod.objects.filter(key=removed["key"]).get().active is True


def test_loader_keeps_an_item_in_use(reference_data, tmp_path):
    data = _shipped()
    category = _category(data, "quality")
    focus_key = category["focus_areas"][0]["key"]
    area_key = category["strategic_areas"][0]["key"]
    focus = FocusArea.objects.get(key=focus_key)
    area_item = StrategicAreaItem.objects.get(key=area_key)
    activity = TAActivityFactory(
        goal_category=focus.category,
        focus=focus,
        strategic_area__goal__category=focus.category,
        strategic_area__item=area_item,
    )
    category["focus_areas"].pop(0)
    category["strategic_areas"].pop(0)

    call_command("load_reference_data", file=_write(tmp_path, data), verbosity=0)

    activity.refresh_from_db()
    assert activity.focus == focus
    assert activity.strategic_area.item == area_item
    focus.refresh_from_db()
    area_item.refresh_from_db()
    assert (focus.active, area_item.active) == (False, False)


def test_loader_leaves_items_added_in_the_app_alone(reference_data):
    added = StrategicAreaItemFactory(category=GoalCategory.objects.get(number=1))
    call_command("load_reference_data", verbosity=0)
    added.refresh_from_db()
    assert added.active is True
    assert added.key is None


def test_loader_adopts_an_unkeyed_item_with_the_same_identity(db):
    category = GoalCategoryFactory(number=1)
    call_command("load_reference_data", verbosity=0)
    category.refresh_from_db()
    assert category.key == "leadership"
    assert GoalCategory.objects.filter(number=1).count() == 1


def test_loader_is_fast(db):
    # CPU time of this process, not wall time: a busy machine (parallel tests) must not fail it.
    data = _shipped()
    started = time.process_time()
    reference_data_load(data=data)
    reference_data_load(data=data)
    assert time.process_time() - started < 2.0


# --- malformed files ----------------------------------------------------------------------


def _load_error(tmp_path: Path, data: dict[str, Any] | str) -> str:
    if isinstance(data, str):
        path = tmp_path / "reference.json"
        path.write_text(data, encoding="utf-8")
    else:
        path = _write(tmp_path, data)
    with pytest.raises(CommandError) as excinfo:
        call_command("load_reference_data", file=path, verbosity=0)
    return str(excinfo.value)


def test_malformed_json_names_the_line(db, tmp_path):
    message = _load_error(tmp_path, '{"regions": [\n  {"number": 1,}\n]}')
    assert "not valid JSON" in message
    assert "line 2" in message
    assert Region.objects.count() == 0


def test_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read reference data file"):
        call_command("load_reference_data", file=tmp_path / "absent.json", verbosity=0)


def test_malformed_item_names_the_list_and_item_and_saves_nothing(db, tmp_path):
    data = _shipped()
    area = _category(data, "quality")["strategic_areas"][2]
    del area["definition"]
    message = _load_error(tmp_path, data)
    assert "strategic_areas of goal category 'quality', item 3" in message
    assert repr(area["key"]) in message
    assert "'definition'" in message
    assert Region.objects.count() == 0  # regions come first in the file, yet nothing is saved
    assert GoalCategory.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["jurisdictions"][0].update(region=11),
            "jurisdictions, item 1 (code 'CT', 'Connecticut'): names region 11",
        ),
        (
            lambda d: d["jurisdictions"][0].update(kind="county"),
            "field 'kind' must be one of state, district, territory",
        ),
        (
            lambda d: d["ta_types"][1].update(key=d["ta_types"][0]["key"]),
            "ta_types, item 2 (key 'consultation', 'Training'): repeats key 'consultation'",
        ),
        (
            lambda d: d["centers"][0].update(code="THIS-CODE-IS-FAR-TOO-LONG"),
            "centers, item 1 (key 'scbc', 'State Capacity Building Center'): code:",
        ),
        (
            lambda d: d["delivery_methods"][0].update(defintion="typo"),
            "delivery_methods, item 1 (key 'onsite', 'Onsite'): has unknown field(s) defintion",
        ),
        (
            lambda d: d["centers"][1].update(code="SCBC"),
            "centers, item 2 (key 'ecqa', 'National Center on Early Childhood Quality "
            "Assurance'): repeats code 'SCBC'",
        ),
        (
            lambda d: _category(d, "quality")["focus_areas"][1].update(
                name=_category(d, "quality")["focus_areas"][0]["name"]
            ),
            "focus_areas of goal category 'quality', item 2 (key 'quality-qris-incentives', "
            "'QRIS program standards'): repeats name in its category",
        ),
        (lambda d: d["regions"][0].update(number="one"), "field 'number' must be a whole number"),
        (lambda d: d["goal_categories"][0].update(key="Not A Slug"), "field 'key' must be"),
        (lambda d: d.pop("centers"), "The data file has no 'centers' list."),
        (lambda d: d.update(colours=[]), "unknown list(s) colours"),
        (
            lambda d: d["field_help"][0].update(label=7),
            "field_help, item 1 (key 'goal.start_date', 7): field 'label' must be text",
        ),
        (
            lambda d: _category(d, "workforce").update(focus_areas=[]),
            "goal_categories, item 6 (key 'workforce', "
            "'Recruit and retain a qualified and effective child care workforce'): "
            "needs at least one item in 'focus_areas'",
        ),
    ],
)
def test_malformed_file_gives_a_clear_error(db, tmp_path, change, expected):
    data = _shipped()
    change(data)
    message = _load_error(tmp_path, data)
    assert expected in message
    assert GoalCategory.objects.count() == 0


def test_reference_data_error_is_raised_by_the_service(db):
    data = _shipped()
    data["other_focus_area"] = "Other"
    with pytest.raises(ReferenceDataError, match="other_focus_area, item 1: must be a JSON object"):
        reference_data_load(data=data)
