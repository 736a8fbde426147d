"""The one place that renders a form field the USWDS way (HL1, STYLE practice 5).

    {% load uswds %}
    {% uswds_error_summary form %}
    {% uswds_field form.focus help_key="activity.focus" %}

`uswds_field` renders the label (with the required marker), the first line of the guide's
definition from the FieldHelp catalogue as hint text linked by `aria-describedby`, the
rest of the definition and the best practice on demand in one native <details>
(keyboard-operable without JavaScript), the error message in the USWDS error style, and
the widget with USWDS classes, for every widget type.

The catalogue is read once per request (one query, whatever the number of fields).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms.boundfield import BoundField, BoundWidget
from django.forms.widgets import Input
from django.http import HttpRequest
from django.template import Context, Library
from django.utils.html import conditional_escape, linebreaks
from django.utils.safestring import SafeString, mark_safe

from core.limits import text_max_length
from reference.models import FieldHelp

register = Library()

_REQUEST_CACHE_ATTR = "_tat_field_help"

INPUT_CLASS = "usa-input"
TEXTAREA_CLASS = "usa-textarea"
SELECT_CLASS = "usa-select"
ERROR_INPUT_CLASS = "usa-input--error"
# The guide: "A PDF document listing all OCC TAT standard categories is available via a
# link next to the field name" for these fields.
STANDARD_LIST_KEYS = frozenset(
    {
        "goal.category",
        "goal.related_category",
        "strategic_area.item",
        "activity.focus",
        "search.goal_category",
        "search.strategic_area",
    }
)
DEFAULT_SUMMARY_INTRO = "Nothing was saved. Correct the following, then submit again:"
# About one line of hint text in the long forms' column at 1280 px: a longer first paragraph
# shows its first sentence (or the sentence's start) only; the rest waits in the "more
# help" <details> (issue 10: forms repeated the guide in full under every field).
FIRST_LINE_MAX = 110
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z“\"(])")
MORE_HELP_SUMMARIES = {
    (True, True): "Full definition, best practice and examples",
    (True, False): "Full definition",
    (False, True): "Best practice and examples",
}


@dataclass(frozen=True)
class HelpText:
    label: str
    definition: str
    best_practice: str


def _load_catalogue() -> dict[str, HelpText]:
    rows = FieldHelp.objects.values_list("key", "label", "definition", "best_practice")
    return {key: HelpText(label, definition, best) for key, label, definition, best in rows}


def field_help_for_request(request: HttpRequest | None, key: str) -> HelpText | None:
    """The catalogue entry for `key`, reading the whole catalogue once per request."""
    if not key:
        return None
    if request is None:
        return _load_catalogue().get(key)
    catalogue = getattr(request, _REQUEST_CACHE_ATTR, None)
    if catalogue is None:
        catalogue = _load_catalogue()
        setattr(request, _REQUEST_CACHE_ATTR, catalogue)
    return catalogue.get(key)


def _add_class(attrs: dict[str, Any], *classes: str) -> None:
    existing = str(attrs.get("class", "")).split()
    for css_class in classes:
        if css_class and css_class not in existing:
            existing.append(css_class)
    attrs["class"] = " ".join(existing)


def _kind(widget: forms.Widget) -> str:
    """Which USWDS pattern renders this widget (order matters: subclasses first)."""
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkbox_group"
    if isinstance(widget, forms.RadioSelect):
        return "radio_group"
    if isinstance(widget, forms.Select):  # includes SelectMultiple and NullBooleanSelect
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, Input):
        return "input"
    return "other"


def _plain_text_html(text: str) -> SafeString:
    """Catalogue text is plain text typed by administrators: escape it, keep paragraphs."""
    return mark_safe(linebreaks(conditional_escape(text)))  # noqa: S308 # nosec B308 B703 # escaped first


def split_first_line(text: str) -> tuple[str, str]:
    """A definition's first line and the rest, as plain text; nothing is dropped.

    The first line is the first paragraph, or its first sentence when the paragraph is
    longer than `FIRST_LINE_MAX`; a first sentence longer still is cut at a word with "…",
    and the rest is then the whole definition, so it reads in one piece when opened.
    """
    paragraphs = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not paragraphs:
        return "", ""
    first, rest = paragraphs[0], paragraphs[1:]
    if len(first) <= FIRST_LINE_MAX:
        return first, "\n\n".join(rest)
    sentences = _SENTENCE_END.split(first, maxsplit=1)
    if len(sentences) == 2 and len(sentences[0]) <= FIRST_LINE_MAX:
        return sentences[0], "\n\n".join([sentences[1], *rest])
    cut = first[:FIRST_LINE_MAX].rsplit(" ", 1)[0].rstrip(",;:–—-") + "…"
    return cut, "\n\n".join(paragraphs)


def _group_anchor(bound_field: BoundField) -> str:
    return f"{bound_field.auto_id}_0" if bound_field.auto_id else ""


def field_anchor(bound_field: BoundField) -> str:
    """The id an error-summary link points at: the control itself, or a group's first one."""
    kind = _kind(bound_field.field.widget)
    if kind in ("checkbox_group", "radio_group"):
        return _group_anchor(bound_field)
    return bound_field.id_for_label or bound_field.auto_id or ""


@register.inclusion_tag("includes/uswds_field.html", takes_context=True)
def uswds_field(
    context: Context,
    bound_field: BoundField,
    help_key: str = "",
    label: str = "",
    hint: str = "",
    show_best_practice: bool = True,
) -> dict[str, Any]:
    """Render one field: label, hint (definition), best practice, error, widget.

    `help_key` names the FieldHelp entry ("goal.readiness"); `label` and `hint` override
    the field's own label and the catalogue's definition when a page needs other words.
    """
    widget = bound_field.field.widget
    kind = _kind(widget)
    entry = field_help_for_request(context.get("request"), help_key)
    field_id = bound_field.auto_id or bound_field.html_name
    errors = list(bound_field.errors)

    more_definition_html = None
    if hint:
        hint_html = _plain_text_html(hint)
    elif entry and entry.definition:
        first_line, rest = split_first_line(entry.definition)
        hint_html = _plain_text_html(first_line)
        more_definition_html = _plain_text_html(rest) if rest else None
    elif bound_field.help_text and "<" not in str(bound_field.help_text):
        # A form's plain-text help_text is shortened the same way as the guide's.
        first_line, rest = split_first_line(str(bound_field.help_text))
        hint_html = _plain_text_html(first_line)
        more_definition_html = _plain_text_html(rest) if rest else None
    elif bound_field.help_text:
        # Django's own convention: a form's help_text is written by developers (may be HTML).
        hint_html = mark_safe(str(bound_field.help_text))  # noqa: S308 # nosec B308 B703
    else:
        hint_html = None
    best_practice_html = (
        _plain_text_html(entry.best_practice)
        if show_best_practice and entry and entry.best_practice
        else None
    )

    hint_id = f"{field_id}-hint" if hint_html else ""
    error_id = f"{field_id}-error" if errors else ""
    described_by = " ".join(part for part in (error_id, hint_id) if part)

    result: dict[str, Any] = {
        "field": bound_field,
        "kind": kind,
        "field_id": field_id,
        "label": label or bound_field.label,
        "required": bound_field.field.required and kind != "hidden",
        "hint_html": hint_html,
        "hint_id": hint_id,
        "best_practice_html": best_practice_html,
        "more_definition_html": more_definition_html,
        "more_help_summary": MORE_HELP_SUMMARIES.get(
            (more_definition_html is not None, best_practice_html is not None), ""
        ),
        "standard_lists_link": help_key in STANDARD_LIST_KEYS,
        "errors": errors,
        "error_id": error_id,
        "described_by": described_by,
        "widget_html": "",
        "options": [],
        "group_type": "",
    }
    if kind == "hidden":
        result["widget_html"] = bound_field.as_widget()
        return result

    attrs: dict[str, Any] = {}
    if kind in ("checkbox_group", "radio_group"):
        group_type = "checkbox" if kind == "checkbox_group" else "radio"
        base_attrs = {"id": bound_field.auto_id} if bound_field.auto_id else {}
        option_attrs = bound_field.build_widget_attrs(base_attrs)
        option_attrs.update({k: v for k, v in widget.attrs.items() if k != "id"})
        _add_class(option_attrs, f"usa-{group_type}__input")
        option_attrs.pop("aria-describedby", None)  # on the <fieldset> instead
        result["group_type"] = group_type
        result["options"] = [
            BoundWidget(widget, data, bound_field.form.renderer)
            for data in widget.subwidgets(
                bound_field.html_name, bound_field.value(), attrs=option_attrs
            )
        ]
        return result

    if described_by:
        attrs["aria-describedby"] = described_by
    if errors:
        attrs["aria-invalid"] = "true"
    if kind == "checkbox":
        _add_class(attrs, "usa-checkbox__input")
    elif kind == "select":
        _add_class(attrs, SELECT_CLASS)
        if getattr(widget, "allow_multiple_selected", False):
            _add_class(attrs, "tat-select-multiple")
    elif kind == "textarea":
        _add_class(attrs, TEXTAREA_CLASS)
        if "maxlength" not in widget.attrs:  # issue 12, door 8: every free-text field
            limit = getattr(bound_field.field, "max_length", None) or text_max_length()
            attrs["maxlength"] = str(limit)
    elif kind == "file":
        _add_class(attrs, "usa-file-input")
    elif kind == "input":
        _add_class(attrs, INPUT_CLASS)
        if isinstance(widget, forms.DateInput) and widget.input_type != "date":
            # A native date picker: the value must be ISO (YYYY-MM-DD) for type=date.
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"
    if errors and kind in ("select", "textarea", "input", "file"):
        _add_class(attrs, ERROR_INPUT_CLASS)
    if widget.attrs.get("class"):
        _add_class(attrs, *str(widget.attrs["class"]).split())
    result["widget_html"] = bound_field.as_widget(attrs=attrs)
    return result


@dataclass(frozen=True)
class SummaryError:
    anchor: str
    label: str
    message: str


def _form_errors(form: forms.BaseForm) -> list[SummaryError]:
    found: list[SummaryError] = []
    for message in form.non_field_errors():
        found.append(SummaryError("", "", message))
    for name, messages in form.errors.items():
        if name == forms.forms.NON_FIELD_ERRORS:
            continue
        bound_field = form[name] if name in form.fields else None
        anchor = field_anchor(bound_field) if bound_field is not None else ""
        label = str(bound_field.label) if bound_field is not None else ""
        for message in messages:
            found.append(SummaryError(anchor, label, message))
    return found


@register.inclusion_tag("includes/uswds_error_summary.html")
def uswds_error_summary(
    *forms_or_formsets: Any, heading: str = "", intro: str = ""
) -> dict[str, Any]:
    """A USWDS error alert listing every error of the given forms (and formsets), each
    linking to its field; `tat.js` moves the focus to it when the page loads."""
    errors: list[SummaryError] = []
    for item in forms_or_formsets:
        if item is None:
            continue
        if isinstance(item, forms.BaseFormSet):
            for message in item.non_form_errors():
                errors.append(SummaryError("", "", message))
            for form in item.forms:
                errors.extend(_form_errors(form))
        else:
            errors.extend(_form_errors(item))
    count = len(errors)
    default_heading = "There is a problem" if count == 1 else f"There are {count} problems"
    return {
        "errors": errors,
        "heading": heading or default_heading,
        "intro": intro or DEFAULT_SUMMARY_INTRO,
    }
