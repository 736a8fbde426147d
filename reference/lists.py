"""The reference lists administrators keep (DESIGN §2), named once for every floor above.

Each list has a URL slug, its labels and what makes it special: whether its items sit under
a goal category (strategic areas, TA focus areas), whether they carry a code (centers) or a
number (goal categories), and how the list is ordered. Regions and States/Territories are
not here: they are public facts loaded from the data file (DESIGN §6), not edited in the app.
Field help (HL1) is edited too, but is a catalogue keyed by field, not a list: it has its
own slug `FIELD_HELP_SLUG` and no add, deactivate or reorder.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from reference.models import (
    Center,
    CollaboratorType,
    DeliveryMethod,
    FieldHelp,
    FocusArea,
    GoalCategory,
    ReferenceItem,
    StrategicAreaItem,
    TAType,
)


@dataclass(frozen=True)
class ReferenceList:
    slug: str
    model: type[ReferenceItem]
    title: str  # plural, as a heading: "Delivery methods"
    singular: str  # "delivery method"
    description: str
    by_category: bool = False  # items belong to one goal category; ordered within it
    has_code: bool = False  # centers: a short code such as SCBC
    numbered: bool = False  # goal categories: ordered by their plan section number

    @property
    def reorderable(self) -> bool:
        """Goal categories follow the Plan Preprint's section numbers, not a free order."""
        return not self.numbered


REFERENCE_LISTS: tuple[ReferenceList, ...] = (
    ReferenceList(
        "goal-categories",
        GoalCategory,
        "Goal categories",
        "goal category",
        "The sections of the CCDF State Plan Preprint, plus cross-systems work. Every goal "
        "has exactly one.",
        numbered=True,
    ),
    ReferenceList(
        "strategic-areas",
        StrategicAreaItem,
        "Strategic areas",
        "strategic area",
        "The subsections of each goal category a goal can work on.",
        by_category=True,
    ),
    ReferenceList(
        "focus-areas",
        FocusArea,
        "TA focus areas",
        "TA focus area",
        "The topics of TA under each goal category; an activity's TA focus is its title. "
        "“Other” is offered under every category.",
        by_category=True,
    ),
    ReferenceList(
        "centers",
        Center,
        "National centers",
        "national center",
        "The national TA centers, each with a short code.",
        has_code=True,
    ),
    ReferenceList(
        "collaborator-types",
        CollaboratorType,
        "Other-collaborator types",
        "other-collaborator type",
        "Kinds of other collaborators on an activity; “Other” requires details.",
    ),
    ReferenceList(
        "delivery-methods",
        DeliveryMethod,
        "Delivery methods",
        "delivery method",
        "How TA was delivered, chosen on each summary of TA delivered.",
    ),
    ReferenceList(
        "ta-types",
        TAType,
        "TA types",
        "TA type",
        "The kinds of TA delivered, chosen on each summary of TA delivered.",
    ),
)

FIELD_HELP_SLUG = "field-help"
FIELD_HELP_TITLE = "Field help"

_BY_SLUG = {lst.slug: lst for lst in REFERENCE_LISTS}
_BY_MODEL: dict[type[models.Model], str] = {lst.model: lst.slug for lst in REFERENCE_LISTS}
_BY_MODEL[FieldHelp] = FIELD_HELP_SLUG


def reference_list(slug: str) -> ReferenceList | None:
    """The list with this URL slug, or None."""
    return _BY_SLUG.get(slug)


def slug_of(model: type[models.Model]) -> str:
    """The URL slug of a reference model (field help included)."""
    return _BY_MODEL[model]
