"""Fixtures shared by every test folder: the reference lists, the activities `world` with its
personas, and the small goal-side fixtures (a State, categories, items and the people who act
on them).

The personas, each a fixture or an attribute of `world` (tests/factories_activities.py):

- TA administrator: `admin`; `world.admin`.
- TA staff: `staff`; `world.primary` (of the activity's primary center), `world.collaborator`.
- TA staff of another center: `world.other_staff`.
- State Systems Specialist of the State: `sss` (of `state`); `world.sss` (of Georgia).
- SSS of another State: `other_sss` (of `other_state`).
- Center leads: `world.lead` (the activity's center), `world.other_lead`.
- Federal viewer: `viewer`; `world.federal`.

A test folder may override a fixture where its tests need something different (the search
tests' `world` is a larger, searchable data set; tests/search/conftest.py); a test module
overrides one only where it really differs, and says why.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.management import call_command

from accounts.models import User
from activities.models import TAActivity
from reference.models import GoalCategory, Jurisdiction, StrategicAreaItem
from tests.factories import (
    AdminFactory,
    FederalViewerFactory,
    GoalCategoryFactory,
    JurisdictionFactory,
    SSSFactory,
    StrategicAreaItemFactory,
    UserFactory,
)
from tests.factories_activities import World, build_world, create_activity, make_trackable


@pytest.fixture
def reference_data(db: None) -> None:
    """The real reference lists from the shipped data file."""
    call_command("load_reference_data", verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> Iterator[None]:
    """Each test starts with empty in-process caches (a rolled-back test leaves no trace)."""
    from reference.selectors import clear_jurisdiction_cache

    clear_jurisdiction_cache()
    yield
    clear_jurisdiction_cache()


# --- the activities world (Georgia, region IV): every persona around one goal ----------------


@pytest.fixture
def world(db: None) -> World:
    """A goal-driven setting with every kind of person the permission ladder needs."""
    return build_world()


@pytest.fixture
def activity(world: World) -> TAActivity:
    """A goal-driven activity opened today by `world.primary`, through the services."""
    return create_activity(world)


@pytest.fixture
def trackable(world: World, activity: TAActivity) -> TAActivity:
    """`activity` with a current final plan, approved (A9)."""
    return make_trackable(world, activity)


# --- the goal side (Kansas): a State, two categories, their items and the people -------------


@pytest.fixture
def state(db: None) -> Jurisdiction:
    return JurisdictionFactory(code="KS", name="Kansas")


@pytest.fixture
def other_state(db: None) -> Jurisdiction:
    return JurisdictionFactory(code="NE", name="Nebraska")


@pytest.fixture
def category(db: None) -> GoalCategory:
    return GoalCategoryFactory(number=7, name="Support continuous quality improvement")


@pytest.fixture
def other_category(db: None) -> GoalCategory:
    return GoalCategoryFactory(number=6, name="Recruit and retain a qualified workforce")


@pytest.fixture
def items(category: GoalCategory) -> list[StrategicAreaItem]:
    """Three strategic-area items of `category`, in this order."""
    return [
        StrategicAreaItemFactory(category=category, name="Tiered QRIS", sort_order=1),
        StrategicAreaItemFactory(
            category=category, name="Evaluating program quality", sort_order=2
        ),
        StrategicAreaItemFactory(category=category, name="Accreditation supports", sort_order=3),
    ]


@pytest.fixture
def admin(db: None) -> User:
    return AdminFactory(full_name="Ada Admin")


@pytest.fixture
def sss(state: Jurisdiction) -> User:
    """The State Systems Specialist assigned to `state`."""
    return SSSFactory(full_name="Sam Specialist", email="sam@example.org", jurisdictions=[state])


@pytest.fixture
def other_sss(other_state: Jurisdiction) -> User:
    """A State Systems Specialist assigned to another State only."""
    return SSSFactory(full_name="Olive Other", jurisdictions=[other_state])


@pytest.fixture
def staff(db: None) -> User:
    """TA staff: may add a goal (G3) but not edit one."""
    return UserFactory(full_name="Tara Staff")


@pytest.fixture
def viewer(db: None) -> User:
    return FederalViewerFactory(full_name="Fay Federal")
