"""Reference lists and the caller (issue #11): regions, States and Territories, the lists
an activity or goal picks from, the staff who can be named, and `me`."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from api import selectors
from api.common import paged
from api.schemas import LIST_ERRORS, READ_ERRORS, Id, PageMeta, PageParams, responses

router = Router(tags=["reference"])

ReferenceKind = Literal[
    "goal-categories",
    "strategic-area-items",
    "focus-areas",
    "centers",
    "collaborator-types",
    "delivery-methods",
    "ta-types",
]


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    center: int | None
    is_admin: bool
    is_sss: bool
    is_ta_staff: bool
    is_center_lead: bool
    is_federal_viewer: bool
    jurisdictions: list[str]


class RegionOut(Schema):
    id: int
    number: int
    numeral: str
    city: str


class JurisdictionOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    region: int


class ReferenceItemOut(Schema):
    id: int
    name: str
    definition: str
    active: bool
    category: int | None = None
    code: str | None = None
    is_other: bool | None = None


class StaffOut(Schema):
    id: int
    full_name: str
    email: str
    center: int | None


class StaffPage(PageMeta):
    results: list[StaffOut]


class StaffParams(PageParams):
    center: Id | None = None


@router.get("/me", response=responses(200, MeOut, READ_ERRORS))
def me(request: HttpRequest) -> dict:
    """The person the token or session belongs to, with their roles."""
    user = request.auth
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "center": user.center_id,
        "is_admin": bool(user.is_admin),
        "is_sss": bool(user.is_sss),
        "is_ta_staff": bool(user.is_ta_staff),
        "is_center_lead": bool(user.is_center_lead),
        "is_federal_viewer": bool(user.is_federal_viewer),
        "jurisdictions": [j.code for j in user.sss_jurisdictions.all()],
    }


@router.get("/regions", response=responses(200, list[RegionOut], READ_ERRORS))
def region_list(request: HttpRequest) -> list:
    """The ten ACF Regions."""
    return list(selectors.regions())


@router.get("/jurisdictions", response=responses(200, list[JurisdictionOut], READ_ERRORS))
def jurisdiction_list(request: HttpRequest) -> list:
    """The 56 States and Territories, by name."""
    return [
        {"id": j.pk, "code": j.code, "name": j.name, "kind": j.kind, "region": j.region.number}
        for j in selectors.jurisdictions()
    ]


@router.get("/reference/{kind}", response=responses(200, list[ReferenceItemOut], READ_ERRORS))
def reference_list(
    request: HttpRequest, kind: ReferenceKind, include_inactive: bool = False
) -> list:
    """One reference list (active items unless `include_inactive`)."""
    return [
        {
            "id": item.pk,
            "name": item.name,
            "definition": item.definition,
            "active": item.active,
            "category": getattr(item, "category_id", None),
            "code": getattr(item, "code", None),
            "is_other": getattr(item, "is_other", None),
        }
        for item in selectors.reference_items(kind, include_inactive=include_inactive)
    ]


@router.get("/staff", response=responses(200, StaffPage, LIST_ERRORS))
def staff_list(request: HttpRequest, params: Query[StaffParams]) -> dict:
    """People who can be primary or collaborating staff (A5), of one center if given."""
    center = selectors.one_by_id(selectors.REFERENCE_LISTS["centers"], params.center, "center")
    return paged(
        selectors.staff_users(center=center),
        params,
        lambda u: {"id": u.pk, "full_name": u.full_name, "email": u.email, "center": u.center_id},
    )
