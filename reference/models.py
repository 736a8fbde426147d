"""Reference lists kept by TAT administrators (DESIGN §2).

Every list item has a definition (shown to users as help text, HL1), a sort order and an
`active` flag: items in use are deactivated, never deleted (models use PROTECT).
"""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords


class ReferenceQuerySet(models.QuerySet):
    def active(self) -> ReferenceQuerySet:
        return self.filter(active=True)


class ReferenceItem(models.Model):
    # Links an item to the shipped data file so that re-loading it updates the item
    # instead of adding a twin. Items added by administrators in the app have no key and
    # are never touched by `load_reference_data`.
    key = models.SlugField(
        max_length=80,
        unique=True,
        null=True,
        blank=True,
        help_text="Identifier in the shipped reference data file; empty for items added here.",
    )
    name = models.CharField(max_length=200)
    definition = models.TextField(blank=True, help_text="Shown to users as the item's help text.")
    sort_order = models.PositiveIntegerField(default=0)
    active = models.BooleanField(
        default=True, help_text="Inactive items stay on old records but cannot be chosen."
    )
    # C1: bumped by every edit through reference.services, so a stale edit is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """One of the ten ACF regions (I–X)."""

    number = models.PositiveSmallIntegerField(unique=True)
    numeral = models.CharField(max_length=5, unique=True)
    city = models.CharField(max_length=60)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Region {self.numeral} ({self.city})"

    @property
    def short_name(self) -> str:
        return f"Region {self.numeral}"


class Jurisdiction(models.Model):
    """A State or Territory (the 50 States, DC and the five Territories)."""

    class Kind(models.TextChoices):
        STATE = "state", "State"
        DISTRICT = "district", "District"
        TERRITORY = "territory", "Territory"

    code = models.CharField(max_length=2, unique=True)
    name = models.CharField(max_length=60, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STATE)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="jurisdictions")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GoalCategory(ReferenceItem):
    """A section of the CCDF State Plan Preprint, or cross-systems work."""

    number = models.PositiveSmallIntegerField(unique=True)
    history = HistoricalRecords()

    class Meta(ReferenceItem.Meta):
        verbose_name_plural = "goal categories"
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class StrategicAreaItem(ReferenceItem):
    """A strategic area on a goal category's list (a subsection of the plan section)."""

    category = models.ForeignKey(
        GoalCategory, on_delete=models.PROTECT, related_name="strategic_area_items"
    )
    history = HistoricalRecords()

    class Meta(ReferenceItem.Meta):
        verbose_name = "strategic area (list item)"
        verbose_name_plural = "strategic areas (list)"
        constraints = [
            models.UniqueConstraint(fields=["category", "name"], name="uniq_strategic_item"),
        ]


class FocusAreaQuerySet(ReferenceQuerySet):
    def in_offer_order(self) -> FocusAreaQuerySet:
        """The order every list of TA focus areas is offered in: by goal category, each
        category's own items first, "Other" last (the guide: use it only in rare instances).

        `is_other` leads because SQLite sorts a NULL category (Other's) first.
        """
        return self.order_by("is_other", "category__number", "sort_order", "name")


class FocusArea(ReferenceItem):
    """A TA focus area; the one with `is_other` is offered under every category (A1)."""

    category = models.ForeignKey(
        GoalCategory,
        on_delete=models.PROTECT,
        related_name="focus_areas",
        null=True,
        blank=True,
        help_text="Empty only for the “Other” focus, which every category offers.",
    )
    is_other = models.BooleanField(default=False)
    history = HistoricalRecords()

    objects = FocusAreaQuerySet.as_manager()

    class Meta(ReferenceItem.Meta):
        verbose_name = "TA focus area"
        constraints = [
            models.UniqueConstraint(fields=["category", "name"], name="uniq_focus_area"),
            models.CheckConstraint(
                condition=models.Q(is_other=True) | models.Q(category__isnull=False),
                name="focus_area_has_category_unless_other",
            ),
        ]


class Center(ReferenceItem):
    """A national TA center, e.g. State Capacity Building Center (SCBC)."""

    code = models.CharField(max_length=20, unique=True)
    history = HistoricalRecords()

    class Meta(ReferenceItem.Meta):
        verbose_name = "national center"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class CollaboratorType(ReferenceItem):
    """A kind of other collaborator; choosing the `is_other` one requires details (A5)."""

    is_other = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta(ReferenceItem.Meta):
        verbose_name = "other-collaborator type"


class DeliveryMethod(ReferenceItem):
    history = HistoricalRecords()


class TAType(ReferenceItem):
    history = HistoricalRecords()

    class Meta(ReferenceItem.Meta):
        verbose_name = "TA type"


class FieldHelp(models.Model):
    """The guide's definition and best practice for one field (HL1), keyed by field."""

    key = models.CharField(max_length=80, unique=True)
    label = models.CharField(max_length=120)
    # Blank allowed: the guide leaves some definitions empty (e.g. "Add new requester").
    definition = models.TextField(blank=True)
    best_practice = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]
        verbose_name = "field help text"

    def __str__(self) -> str:
        return self.label
