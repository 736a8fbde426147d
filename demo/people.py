"""The demo people (`DEMO_PEOPLE`, from the scenario file): accounts, passwords, and
whether a database already holds demo or foreign data (`manage.py seed_demo`).

Passwords are random and only their hashes are stored; `seed_demo` prints them once.
"""

from __future__ import annotations

import secrets

from django.db.models import Q, QuerySet

from accounts.models import User
from activities.models import Requester, TAActivity
from demo.scenario import DEMO_DOMAIN, DEMO_PEOPLE, DemoPerson
from goals.models import Goal
from reference.models import Center, Jurisdiction, Region


def demo_users() -> QuerySet[User]:
    return User.objects.filter(email__iendswith=f"@{DEMO_DOMAIN}")


def non_demo_data_exists() -> bool:
    """Any person or record that the demo did not make (e.g. real or generated data)."""
    demo = demo_users()
    if User.objects.exclude(pk__in=demo.values("pk")).exists():
        return True
    foreign = ~Q(created_by__in=demo.values("pk"))
    return (
        Goal.objects.filter(foreign).exists()
        or TAActivity.objects.filter(foreign).exists()
        or Requester.objects.filter(foreign).exists()
    )


def demo_records_exist() -> bool:
    return Goal.objects.filter(created_by__in=demo_users().values("pk")).exists()


def new_password() -> str:
    return secrets.token_urlsafe(12)


def ensure_demo_users() -> list[tuple[DemoPerson, User, str]]:
    """Create the demo people who are missing; return them with their one-time passwords."""
    created = []
    for person in DEMO_PEOPLE:
        if User.objects.filter(email__iexact=person.email).exists():
            continue
        password = new_password()
        center = Center.objects.get(code=person.center_code) if person.center_code else None
        user = User.objects.create_user(
            person.email,
            password,
            full_name=person.full_name,
            title=person.title,
            center=center,
            is_staff="is_tat_admin" in person.roles,
            region=Region.objects.get(number=person.region) if person.region else None,
            **{role: True for role in person.roles},
        )
        if person.sss_region:
            user.sss_jurisdictions.set(
                Jurisdiction.objects.filter(region__number=person.sss_region)
            )
        created.append((person, user, password))
    return created


def set_demo_passwords(password: str | None) -> list[tuple[DemoPerson, User, str]]:
    """Give every demo person a new password: `password`, or a new random one each."""
    changed = []
    for person in DEMO_PEOPLE:
        user = User.objects.filter(email__iexact=person.email).first()
        if user is None:
            continue
        value = password if password is not None else new_password()
        user.set_password(value)
        user.save(update_fields=["password"])
        changed.append((person, user, value))
    return changed
