"""Issue 10, rough edges: the field tag shows one line of the guide's definition (HL1) and
keeps the rest, with the best practice, one click away in a native <details>."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.template import Context, Template
from django.test import RequestFactory

from core.templatetags.uswds import FIRST_LINE_MAX, split_first_line
from reference.models import FieldHelp

LONG_FIRST_PARAGRAPH = (
    "The TA focus areas have been identified using the CCDF State Plan Preprint and are "
    "designed to align with the structure and elements of Office of Child Care priorities and "
    "work. Select the one that best describes the TA activity, or “Other” in rare instances."
)


class _Form(forms.Form):
    activity_type = forms.ChoiceField(
        label="TA activity type",
        choices=[("universal", "Universal"), ("targeted", "Targeted")],
        widget=forms.RadioSelect,
    )
    focus = forms.CharField(label="TA focus")
    date_opened = forms.DateField(label="Date opened")


TEMPLATE = Template(
    "{% load uswds %}"
    '{% uswds_field form.activity_type help_key="activity.activity_type" %}'
    '{% uswds_field form.focus help_key="activity.focus" %}'
    '{% uswds_field form.date_opened help_key="activity.date_opened" %}'
)


@pytest.fixture
def helps(db) -> None:
    FieldHelp.objects.create(
        key="activity.activity_type",
        label="TA activity type",
        definition=(
            "Indication of the scope of TA required to fulfill request.\n"
            "Universal: Evidence-informed products available to all.\n"
            "Targeted: TA for several States with common needs."
        ),
        best_practice="Choose the narrowest scope that fits.",
    )
    FieldHelp.objects.create(
        key="activity.focus", label="TA focus", definition=LONG_FIRST_PARAGRAPH
    )
    FieldHelp.objects.create(
        key="activity.date_opened", label="Date opened", definition="Date TA was requested."
    )


def _render() -> str:
    return TEMPLATE.render(Context({"form": _Form(), "request": RequestFactory().get("/")}))


def _hint(html: str, field_id: str) -> str:
    found = re.search(rf'<div class="usa-hint tat-hint" id="{field_id}-hint">(.*?)</div>', html)
    assert found, field_id
    return found.group(1)


def test_hl1_split_keeps_every_word_of_the_definition():
    # A first sentence too long for one line: its start, cut at a word, and the whole text
    # in the rest so that it reads in one piece when opened.
    first, rest = split_first_line(LONG_FIRST_PARAGRAPH)
    assert len(first) <= FIRST_LINE_MAX + 1 and first.endswith("…")
    assert LONG_FIRST_PARAGRAPH.startswith(first[:-1])
    assert rest == LONG_FIRST_PARAGRAPH
    # A short first sentence of a long paragraph: that sentence, then the rest.
    short_first = "Pick one. " + "More words follow here. " * 8
    assert split_first_line(short_first) == ("Pick one.", short_first[len("Pick one. ") :].strip())
    assert split_first_line("Short.\nSecond paragraph.") == ("Short.", "Second paragraph.")
    assert split_first_line("One line only.") == ("One line only.", "")
    assert split_first_line("") == ("", "")


def test_hl1_first_line_is_the_hint_and_the_rest_waits_in_details(helps):
    html = _render()
    # The radio group: its first line is the hint the fieldset points at…
    assert _hint(html, "id_activity_type") == (
        "<p>Indication of the scope of TA required to fulfill request.</p>"
    )
    # …and the other paragraphs and the best practice are one <details> away, in full.
    details = re.search(
        r'<details class="tat-more-help">\s*<summary class="tat-more-help__summary">'
        r"Full definition, best practice and examples"
        r'<span class="usa-sr-only"> for TA activity type</span></summary>\s*'
        r'<div class="tat-more-help__body">(.*?)</div>\s*</details>',
        html,
        re.S,
    )
    assert details
    body = details.group(1)
    assert "Universal: Evidence-informed products available to all." in body
    assert "Targeted: TA for several States with common needs." in body
    assert "Best practice and examples" in body and "Choose the narrowest scope" in body
    assert "Indication of the scope" not in body  # shown once, above

    # A long single sentence: its start shows; the whole paragraph is under "Full definition".
    first, _ = split_first_line(LONG_FIRST_PARAGRAPH)
    assert _hint(html, "id_focus") == f"<p>{first}</p>"
    assert re.search(
        r'<summary class="tat-more-help__summary">Full definition<span class="usa-sr-only">'
        r' for TA focus</span></summary>\s*<div class="tat-more-help__body"><p>The TA focus areas',
        html,
    )
    assert "Select the one that best describes" in html


def test_hl1_a_one_line_definition_without_best_practice_has_no_details(helps):
    html = _render()
    assert _hint(html, "id_date_opened") == "<p>Date TA was requested.</p>"
    assert html.count('<details class="tat-more-help">') == 2  # type and focus only
