"""Requesters (rule A4): adding a requester contact of one State/Territory or one Region,
recording who approved it, and refusing an e-mail address already on file.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.permissions import require
from activities.models import Requester
from activities.services._common import clean_text
from activities.services.messages import (
    REQUESTER_APPROVAL_REQUIRED,
    REQUESTER_EMAIL_REQUIRED,
    REQUESTER_NAME_REQUIRED,
    REQUESTER_PLACE_BOTH,
    REQUESTER_PLACE_REQUIRED,
    DuplicateRequester,
)
from core.services import FieldErrors, save_tracked, validate_record
from reference.models import Jurisdiction, Region


@transaction.atomic
def requester_create(
    *,
    actor: User,
    name: str,
    title: str,
    email: str,
    jurisdiction: Jurisdiction | None = None,
    region: Region | None = None,
    approved_by: str,
    approved_by_name: str = "",
) -> Requester:
    """A4: add a requester contact of one State/Territory or one Region.

    `approved_by` records who approved adding the requester (a `Requester.ApprovedBy`
    value: CCDF Administrator or RPM). The e-mail address is compared case-insensitively
    with every requester on file; a duplicate raises `DuplicateRequester` (field `email`)
    whose `existing` attribute is the requester already on file.
    """
    require(actor, "activities.add_requester")
    errors = FieldErrors()
    name, title, email = clean_text(name), clean_text(title), clean_text(email).lower()
    if not name:
        errors.add("name", REQUESTER_NAME_REQUIRED)
    if not email:
        errors.add("email", REQUESTER_EMAIL_REQUIRED)
    if jurisdiction is None and region is None:
        errors.add("jurisdiction", REQUESTER_PLACE_REQUIRED)
    elif jurisdiction is not None and region is not None:
        errors.add("jurisdiction", REQUESTER_PLACE_BOTH)
    if approved_by not in Requester.ApprovedBy.values:
        errors.add("approved_by", REQUESTER_APPROVAL_REQUIRED)
    errors.raise_if_any()

    existing = Requester.objects.filter(email__iexact=email).first()
    if existing is not None:
        raise DuplicateRequester(existing)
    requester = Requester(
        name=name,
        title=title,
        email=email,
        jurisdiction=jurisdiction,
        region=region,
        approved_by=approved_by,
        approved_by_name=clean_text(approved_by_name),
        created_by=actor,
    )
    validate_record(requester)
    try:
        with transaction.atomic():
            save_tracked(requester, actor=actor, full_clean=False)
    except IntegrityError:
        # Someone added the same address between our check and our insert.
        existing = Requester.objects.filter(email__iexact=email).first()
        if existing is None:
            raise
        raise DuplicateRequester(existing) from None
    return requester
