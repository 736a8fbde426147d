"""The web shell's help: the public Help and Resources page with its CSV and PDF lists (HL2),
and the field tag (HL1) that shows each field's definition as a hint, USWDS markup for every
widget and errors with a summary linking to their fields."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django import forms
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from reference.models import FieldHelp, FocusArea, GoalCategory, StrategicAreaItem
from tests.factories import UserFactory
from tests.workspace.helpers import _Attrs

# --- Help and Resources (HL2) ---------------------------------------------------------------


def _active_lists() -> tuple[set, set, set]:
    categories = set(GoalCategory.objects.active().values_list("name", flat=True))
    areas = set(
        StrategicAreaItem.objects.active()
        .filter(category__active=True)
        .values_list("category__number", "name")
    )
    focus = set(
        FocusArea.objects.active()
        .filter(is_other=False, category__active=True)
        .values_list("category__number", "name")
    )
    return categories, areas, focus


@pytest.mark.django_db
def test_hl2_help_page_is_public_and_lists_every_active_item(client, reference_data):
    retired = StrategicAreaItem.objects.first()
    retired.active = False
    retired.save()
    response = client.get(reverse("workspace:help"))
    assert response.status_code == 200
    html = response.content.decode()
    categories, areas, focus = _active_lists()
    assert len(categories) == 9
    for category in GoalCategory.objects.active():
        assert f'id="category-{category.number}"' in html
        assert f'href="#category-{category.number}"' in html
    text = html.replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")
    for _, name in areas | focus:
        assert f">{name}<" in text, name
    assert f">{retired.name}<" not in text
    assert text.count(">Other<") == 1
    for entry in FieldHelp.objects.all():
        assert f">{entry.label}<" in text.replace("&lt;", "<").replace("&gt;", ">")
    assert 'id="accessibility"' in html
    assert reverse("workspace:help_pdf") in html and reverse("workspace:help_csv") in html


@pytest.mark.django_db
def test_hl2_help_csv_has_every_active_category_strategic_area_and_focus(client, reference_data):
    retired = FocusArea.objects.filter(is_other=False).first()
    retired.active = False
    retired.save()
    response = client.get(reverse("workspace:help_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["List", "Category number", "Category", "Item", "Definition"]
    body = rows[1:]
    categories, areas, focus = _active_lists()
    assert {r[2] for r in body if r[0] == "Goal category"} == categories
    assert {(int(r[1]), r[3]) for r in body if r[0] == "Strategic area"} == areas
    assert {(int(r[1]), r[3]) for r in body if r[0] == "TA focus area" and r[1]} == focus
    assert [r[3] for r in body if r[0] == "TA focus area" and not r[1]] == ["Other"]
    assert all(r[4] for r in body if r[0] == "Goal category")


@pytest.mark.django_db
def test_hl2_help_pdf_is_a_pdf_with_the_lists(client, reference_data):
    response = client.get(reverse("workspace:help_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 5000
    assert b"/Title" in response.content


@pytest.mark.django_db
def test_hl2_help_page_query_count_is_fixed(client, reference_data, django_assert_num_queries):
    # Five: categories, their strategic areas, their focus areas, "Other", field help.
    with django_assert_num_queries(5):
        client.get(reverse("workspace:help"))
    category = GoalCategory.objects.first()
    for n in range(20):
        StrategicAreaItem.objects.create(category=category, name=f"Extra area {n}")
        FocusArea.objects.create(category=category, name=f"Extra focus {n}")
    with django_assert_num_queries(5):
        response = client.get(reverse("workspace:help"))
    assert "Extra focus 19" in response.content.decode()
    client.force_login(UserFactory())
    with django_assert_num_queries(9):  # + session, user, unread count, jurisdiction list
        client.get(reverse("workspace:help"))


# --- the field tag (HL1) --------------------------------------------------------------------


class SampleForm(forms.Form):
    start_date = forms.DateField(label="Start date")
    readiness = forms.ChoiceField(
        label="Readiness to implement",
        choices=[("least", "Least ready"), ("most", "Most ready")],
        widget=forms.RadioSelect,
    )
    category = forms.ChoiceField(label="Goal category", choices=[("", "-"), ("1", "One")])
    methods = forms.MultipleChoiceField(
        label="Delivery methods",
        choices=[("a", "Onsite"), ("b", "Phone")],
        widget=forms.CheckboxSelectMultiple,
    )
    centers = forms.MultipleChoiceField(
        label="Collaborating centers", choices=[("a", "A"), ("b", "B")], required=False
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    title = forms.CharField(label="Title", required=False, help_text="Developer help.")
    confirm = forms.BooleanField(label="I confirm")


SAMPLE_TEMPLATE = Template(
    "{% load uswds %}{% uswds_error_summary form %}"
    '{% uswds_field form.start_date help_key="goal.start_date" %}'
    '{% uswds_field form.readiness help_key="goal.readiness" %}'
    '{% uswds_field form.category help_key="goal.category" %}'
    '{% uswds_field form.methods help_key="summary.methods_types" %}'
    "{% uswds_field form.centers %}"
    '{% uswds_field form.notes help_key="no.such.key" %}'
    "{% uswds_field form.title %}"
    "{% uswds_field form.confirm %}"
)


@pytest.fixture
def field_help(db) -> None:
    FieldHelp.objects.create(
        key="goal.start_date",
        label="Start date",
        definition="Date goal was developed or entered into TAT.",
        best_practice="Use the date the decision was made with the State.",
    )
    FieldHelp.objects.create(
        key="goal.readiness", label="Readiness", definition="Likelihood in 2–3 years."
    )
    FieldHelp.objects.create(key="goal.category", label="Goal category", definition="Section.")
    FieldHelp.objects.create(
        key="summary.methods_types", label="Methods", definition="Methods used <b>here</b>."
    )


def _render(form: forms.Form) -> str:
    request = RequestFactory().get("/")
    return SAMPLE_TEMPLATE.render(Context({"form": form, "request": request}))


def test_hl1_field_shows_definition_as_hint_linked_by_aria_describedby(field_help):
    html = _render(SampleForm())
    found = _Attrs(html)
    date_input = found.by_id["id_start_date"]
    assert date_input["type"] == "date"
    assert "usa-input" in date_input["class"]
    assert date_input["aria-describedby"] == "id_start_date-hint"
    assert "Date goal was developed or entered into TAT." in html
    assert '<label class="usa-label" for="id_start_date">Start date <abbr' in html
    assert "usa-hint--required" in html
    # The best practice is on demand, in a native (keyboard-operable) <details>.
    assert re.search(
        r"<details class=\"tat-more-help\">\s*<summary[^>]*>Best practice and examples"
        r"<span class=\"usa-sr-only\"> for Start date</span></summary>\s*"
        r"<div class=\"tat-more-help__body\"><p>Use the date the decision was made",
        html,
    )
    # Catalogue text is escaped; a form's own help_text is used when no key is given.
    assert "Methods used &lt;b&gt;here&lt;/b&gt;." in html
    assert found.by_id["id_title"]["aria-describedby"] == "id_title-hint"
    assert "Developer help." in html
    # An unknown key renders no hint, and nothing fails.
    assert "aria-describedby" not in found.by_id["id_notes"]
    # The guide: a link to the standard lists (PDF) next to the goal category field.
    assert reverse("workspace:help_pdf") in html


def test_hl1_every_widget_type_gets_its_uswds_markup(field_help):
    html = _render(SampleForm())
    found = _Attrs(html)
    fieldsets = [attrs for tag, attrs in found.elements if tag == "fieldset"]
    assert [f.get("aria-describedby") for f in fieldsets] == [
        "id_readiness-hint",
        "id_methods-hint",
    ]
    assert "usa-radio__input" in found.by_id["id_readiness_0"]["class"]
    assert "usa-checkbox__input" in found.by_id["id_methods_1"]["class"]
    assert '<label class="usa-radio__label" for="id_readiness_0">Least ready</label>' in html
    assert '<legend class="usa-legend">Delivery methods <abbr' in html
    assert "usa-select" in found.by_id["id_category"]["class"]
    assert "multiple" in found.by_id["id_centers"]
    assert "tat-select-multiple" in found.by_id["id_centers"]["class"]
    assert "usa-textarea" in found.by_id["id_notes"]["class"]
    assert found.by_id["id_confirm"]["type"] == "checkbox"
    assert "usa-checkbox__input" in found.by_id["id_confirm"]["class"]
    assert '<label class="usa-checkbox__label" for="id_confirm">I confirm' in html


def test_hl1_errors_in_uswds_style_with_summary_linking_to_fields(field_help):
    form = SampleForm(data={"start_date": "not a date", "notes": "kept text"})
    assert not form.is_valid()
    html = _render(form)
    found = _Attrs(html)
    date_input = found.by_id["id_start_date"]
    assert date_input["aria-invalid"] == "true"
    assert date_input["aria-describedby"] == "id_start_date-error id_start_date-hint"
    assert "usa-input--error" in date_input["class"]
    assert found.by_id["id_start_date-error"]["class"] == "usa-error-message"
    assert 'value="not a date"' in html  # nothing typed is lost
    assert "kept text</textarea>" in html
    assert html.count("usa-form-group--error") == 5  # date, readiness, category, methods, confirm
    group = [a for t, a in found.elements if t == "fieldset"][0]
    assert group["aria-describedby"] == "id_readiness-error id_readiness-hint"
    assert found.by_id["id_readiness_0"]["aria-invalid"] == "true"
    summary = found.by_id["error-summary"]
    assert "data-tat-autofocus" in summary and summary["tabindex"] == "-1"
    links = [a["href"] for t, a in found.elements if t == "a" and a["href"].startswith("#")]
    assert links == ["#id_start_date", "#id_readiness_0", "#id_category", "#id_methods_0"] + [
        "#id_confirm"
    ]
    assert "There are 5 problems" in html


def test_hl1_help_catalogue_read_once_per_request(field_help, django_assert_num_queries):
    with django_assert_num_queries(1):
        _render(SampleForm())


def test_error_summary_absent_when_form_is_valid_or_unbound(field_help):
    assert "error-summary" not in _render(SampleForm())
