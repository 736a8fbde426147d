"""Forms of the goal pages. They check the shape of what was typed; the rules (G1–G4, C1)
are enforced by `goals.services`, whose errors the views attach to these forms' fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone

from core.forms import ModelMultipleChoiceField, TextLimitMixin
from goals.models import Goal, Readiness, StrategicArea
from reference.models import GoalCategory, StrategicAreaItem

RELATED_SAME = "The related goal category must differ from the goal category."
CONFIRM_SECOND_GOAL_REQUIRED = (
    "Tick the box to confirm that a second goal in this category is needed, or add the "
    "strategic areas to the existing goal."
)
CATEGORY_LOCKED_HINT = (
    "The goal category cannot change: TA activities are recorded under this goal."
)
NOTES_PREFIX = "notes_"
# USWDS tiles: a bordered box per choice, easier to hit and to scan.
TILE_CHECKBOX = "usa-checkbox__input--tile"
TILE_RADIO = "usa-radio__input--tile"


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: GoalCategory) -> str:
        return str(obj)


class StrategicAreaChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: StrategicAreaItem) -> str:
        return obj.name


class StrategicAreasMixin:
    """Strategic areas chosen from one goal category's list (G1), each with optional notes.

    The list depends on the category: `set_category` fills the checkbox choices and adds
    one `notes_<item id>` field per item, so the page can show a notes box beside every
    strategic area (goals.js shows only those of the ticked ones).
    """

    fields: dict[str, forms.Field]
    strategic_area_items: list[StrategicAreaItem]
    chosen_category: GoalCategory | None

    def set_category(
        self, category: GoalCategory | None, *, exclude_item_ids: set[int] | None = None
    ) -> None:
        self.chosen_category = category
        items: list[StrategicAreaItem] = []
        if category is not None:
            items = [
                item
                for item in StrategicAreaItem.objects.active()
                .filter(category=category)
                .order_by("sort_order", "name")
                if item.pk not in (exclude_item_ids or set())
            ]
        self.strategic_area_items = items
        field = self.fields["strategic_areas"]
        field.queryset = StrategicAreaItem.objects.filter(pk__in=[i.pk for i in items])
        # The choices come from the list already read (no second query when rendering).
        field.choices = [(item.pk, item.name) for item in items]
        for item in items:
            self.fields[f"{NOTES_PREFIX}{item.pk}"] = forms.CharField(
                label=f"Notes on “{item.name}”",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "data-notes-for": str(item.pk)}),
            )

    def notes_fields(self) -> list[tuple[StrategicAreaItem, forms.BoundField]]:
        return [(item, self[f"{NOTES_PREFIX}{item.pk}"]) for item in self.strategic_area_items]

    def strategic_area_choices(self) -> list[tuple[StrategicAreaItem, str]]:
        """The ticked items with their notes, in the list's order, for the services."""
        chosen = {item.pk for item in self.cleaned_data.get("strategic_areas") or ()}
        return [
            (item, self.cleaned_data.get(f"{NOTES_PREFIX}{item.pk}", ""))
            for item in self.strategic_area_items
            if item.pk in chosen
        ]


def _options_url() -> str:
    return reverse("goals:strategic_area_options")


class GoalFieldsForm(StrategicAreasMixin, TextLimitMixin, forms.Form):
    """The goal's own fields (G1), shared by the create and edit pages."""

    start_date = forms.DateField(label="Start date", widget=forms.DateInput())
    start_date_is_approximate = forms.BooleanField(
        label="The start date is approximate", required=False
    )
    readiness = forms.ChoiceField(
        label="Readiness to implement",
        choices=Readiness.choices,
        widget=forms.RadioSelect(attrs={"class": TILE_RADIO}),
    )
    category = CategoryChoiceField(
        label="Goal category", queryset=GoalCategory.objects.none(), empty_label="- Select -"
    )
    related_category = CategoryChoiceField(
        label="Related goal category",
        queryset=GoalCategory.objects.none(),
        required=False,
        empty_label="- None -",
    )
    strategic_areas = StrategicAreaChoiceField(
        label="Strategic areas",
        queryset=StrategicAreaItem.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": TILE_CHECKBOX}),
    )
    # G2: shown only once the page has found an open goal in the same category.
    confirm_second_goal = forms.BooleanField(
        label="Yes, this State or Territory needs a second goal in this category",
        required=False,
    )

    def __init__(self, *args: Any, options_query: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        categories = list(GoalCategory.objects.active().order_by("number"))
        for name in ("category", "related_category"):
            field = self.fields[name]
            field.queryset = GoalCategory.objects.filter(pk__in=[c.pk for c in categories])
            field.choices = [("", field.empty_label)] + [(c.pk, str(c)) for c in categories]
        self._categories = {c.pk: c for c in categories}
        # The strategic-area list follows the category without a reload (htmx), and the
        # page's "Show strategic areas" button does the same without JavaScript.
        self.fields["category"].widget.attrs.update(
            {
                "hx-get": _options_url() + (f"?{options_query}" if options_query else ""),
                "hx-target": "#strategic-area-options",
                "hx-swap": "innerHTML",
                "hx-trigger": "change",
                "aria-controls": "strategic-area-options",
            }
        )

    def category_for_list(self) -> GoalCategory | None:
        bound = self.is_bound and not self.fields["category"].disabled
        raw = self.data.get(self.add_prefix("category")) if bound else None
        if raw is None:
            raw = self.initial.get("category")
        if isinstance(raw, GoalCategory):
            return raw
        try:
            return self._categories.get(int(raw)) if raw not in (None, "") else None
        except (TypeError, ValueError):
            return None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        category = cleaned.get("category")
        related = cleaned.get("related_category")
        if category is not None and related is not None and category.pk == related.pk:
            self.add_error("related_category", RELATED_SAME)
        return cleaned


class GoalCreateForm(GoalFieldsForm):
    """G1 create page; G2's confirmation appears only after a duplicate was found."""

    update_note = forms.CharField(
        label="Goal update note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional. Saved as the goal's first dated update note.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("start_date", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.set_category(self.category_for_list())


class GoalEditForm(GoalFieldsForm):
    """G1 edit page with C1's hidden version. Strategic areas are asked for only when the
    category changes (they then replace the current ones); otherwise they are kept and
    managed on the goal's page."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, goal: Goal, category_locked: bool = False, **kwargs: Any
    ) -> None:
        self.goal = goal
        initial = {
            "start_date": goal.start_date,
            "start_date_is_approximate": goal.start_date_is_approximate,
            "readiness": goal.readiness,
            "category": goal.category_id,
            "related_category": goal.related_category_id,
            "version": goal.version,
        }
        initial.update(kwargs.pop("initial", None) or {})
        super().__init__(*args, initial=initial, options_query=f"goal={goal.pk}", **kwargs)
        if category_locked:
            # The service refuses the change (activities are recorded under the goal);
            # a disabled field says so before anyone tries.
            self.fields["category"].disabled = True
            self.fields["category"].help_text = CATEGORY_LOCKED_HINT
        category = self.category_for_list()
        self.category_changes = category is not None and category.pk != goal.category_id
        if self.category_changes:
            self.set_category(category)
        else:
            self.set_category(None)
            self.fields["strategic_areas"].required = False

    def goal_fields(self) -> dict[str, Any]:
        names = (
            "start_date",
            "start_date_is_approximate",
            "readiness",
            "category",
            "related_category",
        )
        return {name: self.cleaned_data[name] for name in names}


class StrategicAreasAddForm(StrategicAreasMixin, TextLimitMixin, forms.Form):
    """Add strategic areas from the goal category's list to an existing goal (G1, G2)."""

    strategic_areas = StrategicAreaChoiceField(
        label="Strategic areas to add",
        queryset=StrategicAreaItem.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": TILE_CHECKBOX}),
    )

    def __init__(self, *args: Any, goal: Goal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goal = goal
        present = {sa.item_id for sa in goal.strategic_areas.all()}
        self.set_category(goal.category, exclude_item_ids=present)


class StrategicAreaNotesForm(TextLimitMixin, forms.Form):
    notes = forms.CharField(
        label="Strategic area notes", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, strategic_area: StrategicArea, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {"notes": strategic_area.notes, "version": strategic_area.version}
        )
        super().__init__(*args, **kwargs)


class GoalNoteForm(TextLimitMixin, forms.Form):
    """A dated goal update note (G1)."""

    note_date = forms.DateField(label="Date of the note", widget=forms.DateInput())
    text = forms.CharField(label="Goal update note", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"note_date": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ClosureRequestForm(TextLimitMixin, forms.Form):
    reason = forms.CharField(
        label="Why should this goal be closed?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "For example: all TA activities complete, no further TA requested; or the State "
            "no longer wants to focus on this goal. A TAT administrator reviews the request."
        ),
    )


class GoalCloseForm(TextLimitMixin, forms.Form):
    note = forms.CharField(
        label="Explanatory note",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required. It is added to the goal update and completion notes.",
    )
    closure_request = forms.IntegerField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ClosureDeclineForm(TextLimitMixin, forms.Form):
    note = forms.CharField(
        label="Why is the request declined?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The person who asked is notified with this explanation.",
    )


class GoalReopenForm(TextLimitMixin, forms.Form):
    reason = forms.CharField(
        label="Why is the goal reopened?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept as a goal update note.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
