"""Factories for tests. Reference rows are created on demand (the suite does not need the
full reference data file); use `load_reference` fixture when a test wants the real lists."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from accounts.models import User
from activities.models import (
    ActivityType,
    Priority,
    Requester,
    TAActivity,
)
from goals.models import Goal, Readiness, StrategicArea
from reference.models import (
    Center,
    CollaboratorType,
    DeliveryMethod,
    FocusArea,
    GoalCategory,
    Jurisdiction,
    Region,
    StrategicAreaItem,
    TAType,
)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: (n % 10) + 1)
    numeral = factory.LazyAttribute(
        lambda o: ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][o.number - 1]
    )
    city = factory.LazyAttribute(lambda o: f"City {o.number}")


class JurisdictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jurisdiction
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{chr(65 + (n // 26) % 26)}{chr(65 + n % 26)}")
    name = factory.LazyAttribute(lambda o: f"State {o.code}")
    region = factory.SubFactory(RegionFactory)


class GoalCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoalCategory
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"Goal category {o.number}")
    definition = "A goal category."


class StrategicAreaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicAreaItem

    category = factory.SubFactory(GoalCategoryFactory)
    name = factory.Sequence(lambda n: f"Strategic area {n}")
    definition = "A strategic area."


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    category = factory.SubFactory(GoalCategoryFactory)
    name = factory.Sequence(lambda n: f"Focus area {n}")


class OtherFocusAreaFactory(FocusAreaFactory):
    class Meta:
        model = FocusArea
        django_get_or_create = ("name", "category")

    category = None
    name = "Other"
    is_other = True


class CenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Center
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"C{n}")
    name = factory.LazyAttribute(lambda o: f"National Center {o.code}")


class CollaboratorTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollaboratorType

    name = factory.Sequence(lambda n: f"Collaborator type {n}")


class DeliveryMethodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryMethod

    name = factory.Sequence(lambda n: f"Method {n}")


class TATypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TAType

    name = factory.Sequence(lambda n: f"TA type {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    title = "Specialist"
    center = factory.SubFactory(CenterFactory)
    is_ta_staff = True
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class AdminFactory(UserFactory):
    is_ta_staff = False
    is_tat_admin = True
    is_staff = True


class SSSFactory(UserFactory):
    is_ta_staff = False
    is_sss = True

    @factory.post_generation
    def jurisdictions(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.sss_jurisdictions.set(extracted)


class FederalViewerFactory(UserFactory):
    is_ta_staff = False
    is_federal_viewer = True
    center = None


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    category = factory.SubFactory(GoalCategoryFactory)
    readiness = Readiness.SOMEWHAT
    start_date = factory.LazyFunction(timezone.localdate)
    created_by = factory.SubFactory(AdminFactory)


class StrategicAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicArea

    goal = factory.SubFactory(GoalFactory)
    item = factory.SubFactory(
        StrategicAreaItemFactory, category=factory.SelfAttribute("..goal.category")
    )


class RequesterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requester

    name = factory.Sequence(lambda n: f"Requester {n}")
    title = "CCDF Administrator"
    email = factory.Sequence(lambda n: f"requester{n}@state.example.gov")
    jurisdiction = factory.SubFactory(JurisdictionFactory)
    approved_by = Requester.ApprovedBy.CCDF_ADMINISTRATOR
    created_by = factory.SubFactory(AdminFactory)


class TAActivityFactory(factory.django.DjangoModelFactory):
    """A goal-driven activity saved directly (bypassing services) for read-side tests."""

    class Meta:
        model = TAActivity
        skip_postgeneration_save = True

    strategic_area = factory.SubFactory(StrategicAreaFactory)
    goal = factory.SelfAttribute("strategic_area.goal")
    jurisdiction = factory.SelfAttribute("goal.jurisdiction")
    goal_category = factory.SelfAttribute("goal.category")
    focus = factory.SubFactory(FocusAreaFactory, category=factory.SelfAttribute("..goal_category"))
    date_opened = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1))
    priority = Priority.MEDIUM
    activity_type = ActivityType.TARGETED
    primary_center = factory.SubFactory(CenterFactory)
    primary_staff = factory.SubFactory(
        UserFactory, center=factory.SelfAttribute("..primary_center")
    )
    outcome_plan = "State will adopt a revised policy by the fall."
    created_by = factory.SelfAttribute("primary_staff")
