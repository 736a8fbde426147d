"""Requesters (A4): the contacts an activity names, and adding one with its approval."""

from __future__ import annotations

from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from activities import services
from api import selectors
from api.common import paged
from api.schemas import (
    LIST_ERRORS,
    WRITE_ERRORS,
    Input,
    PageMeta,
    PageParams,
    ShortText,
    responses,
)

router = Router(tags=["requesters"])


class RequesterOut(Schema):
    id: int
    version: int
    name: str
    title: str
    email: str
    jurisdiction: str | None
    region: int | None
    approved_by: str
    approved_by_name: str
    active: bool


class RequesterPage(PageMeta):
    results: list[RequesterOut]


class RequesterParams(PageParams):
    jurisdiction: ShortText | None = None


class RequesterIn(Input):
    name: ShortText
    title: ShortText = ""
    email: ShortText
    jurisdiction: ShortText | None = None
    region: Annotated[int, Field(ge=1, le=99)] | None = None  # the Region's number
    approved_by: Literal["ccdf_administrator", "rpm"]
    approved_by_name: ShortText = ""


def requester_out(r) -> dict:  # noqa: ANN001 - a Requester
    return {
        "id": r.pk,
        "version": r.version,
        "name": r.name,
        "title": r.title,
        "email": r.email,
        "jurisdiction": r.jurisdiction.code if r.jurisdiction_id else None,
        "region": r.region.number if r.region_id else None,
        "approved_by": r.approved_by,
        "approved_by_name": r.approved_by_name,
        "active": r.active,
    }


@router.get("", response=responses(200, RequesterPage, LIST_ERRORS))
def requester_list(request: HttpRequest, params: Query[RequesterParams]) -> dict:
    """A4: active requesters; with `jurisdiction` (a code), those an activity there may
    name — the State's own contacts and its Region's."""
    jurisdiction = selectors.jurisdiction_or_none(params.jurisdiction)
    return paged(selectors.requesters(jurisdiction=jurisdiction), params, requester_out)


@router.post("", response=responses(201, RequesterOut, WRITE_ERRORS))
def requester_create(request: HttpRequest, payload: RequesterIn) -> Status:
    """A4: add a requester of one State/Territory (`jurisdiction` code) or one Region (its
    number), recording who approved adding them. A known e-mail address is refused."""
    jurisdiction = selectors.jurisdiction_or_none(payload.jurisdiction)
    region = selectors.region_by_number(payload.region) if payload.region else None
    requester = services.requester_create(
        actor=request.auth,
        name=payload.name,
        title=payload.title,
        email=payload.email,
        jurisdiction=jurisdiction,
        region=region,
        approved_by=payload.approved_by,
        approved_by_name=payload.approved_by_name,
    )
    return Status(201, requester_out(requester))
