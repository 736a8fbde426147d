"""Reads the API needs besides the apps' own selectors (issue #11): tokens, reference lists,
the goals list and the objects an operation names by id. Every list has a fixed query count.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Model, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from activities.models import (
    DeliverySummary,
    DescriptionNote,
    Requester,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from api.models import ApiToken
from goals.models import Goal, GoalClosureRequest, GoalNote, StrategicArea
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

# How often a token's "last used" time is written: at most once a minute per token, so a
# busy script does not turn every read into a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)

REFERENCE_LISTS: dict[str, type[Model]] = {
    "goal-categories": GoalCategory,
    "strategic-area-items": StrategicAreaItem,
    "focus-areas": FocusArea,
    "centers": Center,
    "collaborator-types": CollaboratorType,
    "delivery-methods": DeliveryMethod,
    "ta-types": TAType,
}
NOTE_MODELS: dict[str, type[Model]] = {
    "plan": DescriptionNote,
    "summary": DeliverySummary,
    "feedback": RequesterFeedback,
    "response": ResponseNote,
}


def user_for_token(secret: str, hashed: str) -> tuple[User, ApiToken] | None:
    """The active owner of a usable token whose secret hashes to `hashed`, or None
    (revoked, expired, unknown, or the owner deactivated). Records the last use."""
    del secret  # only its digest is ever compared
    token = (
        ApiToken.objects.usable()
        .select_related("user", "user__center")
        .filter(key_hash=hashed)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        # Not a tracked change (history excludes the field): a plain UPDATE on purpose.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token.user, token


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def token_of(user: User, pk: int) -> ApiToken:
    token = ApiToken.objects.select_related("user").filter(user=user, pk=pk).first()
    if token is None:
        raise Http404("No such token.")
    return token


def user_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def regions() -> QuerySet[Region]:
    return Region.objects.order_by("number")


def jurisdictions() -> QuerySet[Jurisdiction]:
    return Jurisdiction.objects.select_related("region").order_by("name")


def reference_items(kind: str, *, include_inactive: bool = False) -> QuerySet:
    model = REFERENCE_LISTS[kind]
    qs = model._default_manager.all()
    if not include_inactive:
        qs = qs.filter(active=True)
    if kind in ("strategic-area-items", "focus-areas"):
        qs = qs.select_related("category")
    return qs


def jurisdiction_or_404(code: str) -> Jurisdiction:
    found = Jurisdiction.objects.select_related("region").filter(code=code.upper()).first()
    if found is None:
        raise Http404(f"No State or Territory has the code {code!r}.")
    return found


def jurisdiction_or_none(code: str | None) -> Jurisdiction | None:
    """None when no code was sent; else the State or Territory, or a 404 naming the code."""
    return jurisdiction_or_404(code) if code else None


def goals_list(*, jurisdiction: Jurisdiction | None, status: str | None) -> QuerySet[Goal]:
    """Goals with their strategic areas and notes, by State then category: 3 queries."""
    qs = Goal.objects.select_related("jurisdiction", "category", "related_category")
    if jurisdiction is not None:
        qs = qs.filter(jurisdiction=jurisdiction)
    if status:
        qs = qs.filter(status=status)
    return qs.prefetch_related(
        Prefetch("strategic_areas", queryset=StrategicArea.objects.select_related("item")),
        Prefetch("notes", queryset=GoalNote.objects.select_related("author")),
    ).order_by("jurisdiction__name", "category__number", "pk")


def requesters(*, jurisdiction: Jurisdiction | None) -> QuerySet[Requester]:
    qs = Requester.objects.select_related("jurisdiction", "region")
    if jurisdiction is not None:
        from activities.selectors import requesters_for_jurisdiction

        return requesters_for_jurisdiction(jurisdiction)
    return qs.filter(active=True).order_by("name", "pk")


def get_or_404(model: type[Model], pk: Any, **related: Any) -> Any:
    """The row of `model` with primary key `pk`, or a 404 naming what was asked for."""
    qs = model._default_manager.all()
    if related.get("select"):
        qs = qs.select_related(*related["select"])
    found = qs.filter(pk=pk).first()
    if found is None:
        raise Http404(f"No {model._meta.verbose_name} has the id {pk}.")
    return found


def items_by_id(model: type[Model], ids: list[int], field: str) -> list[Any]:
    """The rows of `model` with these ids, in the order given; an unknown id is a
    ValidationError naming `field` (the person sent it, so it is their input)."""
    from django.core.exceptions import ValidationError

    unique = list(dict.fromkeys(ids))
    found = {obj.pk: obj for obj in model._default_manager.filter(pk__in=unique)}
    missing = [str(pk) for pk in unique if pk not in found]
    if missing:
        raise ValidationError(
            {field: f"No {model._meta.verbose_name} has the id {', '.join(missing)}."}
        )
    return [found[pk] for pk in unique]


def one_by_id(model: type[Model], pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    return items_by_id(model, [pk], field)[0]


def activity_or_404(pk: int) -> TAActivity:
    from activities.selectors import activity_with_details

    activity = activity_with_details(pk)
    if activity is None:
        raise Http404(f"No TA activity has the id {pk}.")
    return activity


def goal_or_404(pk: int) -> Goal:
    from goals.selectors import goal_with_details

    try:
        return goal_with_details(pk)
    except Goal.DoesNotExist:
        raise Http404(f"No goal has the id {pk}.") from None


def closure_request_or_404(pk: int) -> GoalClosureRequest:
    return get_or_404(GoalClosureRequest, pk, select=("goal",))


def staff_users(*, center: Center | None) -> QuerySet[User]:
    from activities.selectors import staff_for_center, staff_queryset

    return staff_for_center(center) if center is not None else staff_queryset()


def region_by_number(number: int, field: str = "region") -> Region:
    from django.core.exceptions import ValidationError

    found = Region.objects.filter(number=number).first()
    if found is None:
        raise ValidationError({field: f"No Region has the number {number}."})
    return found
