"""Writes and reads of the import page's pending uploads (issue 11), so the views stay thin.

The records themselves are written only by `transfer.importer`, through the goals and
activities services."""

from __future__ import annotations

import io

from django.db import transaction

from accounts.models import User
from accounts.permissions import require
from core import security_log
from transfer.importer import ImportResult, import_rows
from transfer.models import PendingImport
from transfer.reading import ImportFileError, read_rows


def _read_logged(actor: User, data: bytes, file_name: str, *, commit: bool) -> list:
    """The file's rows; a file that cannot be read is logged (issue #12) and re-raised. The
    log names no detail: a message may quote a header cell, which may be note text."""
    try:
        return read_rows(io.BytesIO(data), file_name)
    except ImportFileError:
        security_log.import_event(
            actor=actor, file_name=file_name, commit=commit, error="unreadable file"
        )
        raise


def _keep(pending: PendingImport, result: ImportResult) -> None:
    pending.rows = result.rows
    pending.errors = [[e.source, e.row, e.column, e.message] for e in result.errors]
    pending.clean = result.ok


def pending_import_dry_run(
    *, actor: User, file_name: str, source: str, data: bytes
) -> tuple[PendingImport, ImportResult]:
    """Read the file (ImportFileError if it cannot be), dry-run it and keep it for the
    confirmation; replaces the actor's earlier pending upload."""
    require(actor, "transfer.import_records")
    rows = _read_logged(actor, data, file_name, commit=False)
    result = import_rows(rows, actor=actor, commit=False, source=source)
    security_log.import_event(actor=actor, file_name=file_name, commit=False, result=result)
    pending = PendingImport(uploaded_by=actor, file_name=file_name[:200], source=source, data=data)
    _keep(pending, result)
    with transaction.atomic():  # the earlier upload goes only if the new one is kept
        PendingImport.objects.filter(uploaded_by=actor).delete()
        pending.save()
    return pending, result


def pending_import_for(*, actor: User, pk: int) -> PendingImport | None:
    """The actor's own pending upload `pk`, or None (missing, or another person's).

    A missing one is None before the permission check, as everywhere on the site (404 for
    what does not exist, 403 for what exists and is not allowed)."""
    pending = PendingImport.objects.filter(pk=pk).first()
    if pending is None:
        return None
    require(actor, "transfer.import_records")
    return pending if pending.uploaded_by_id == actor.pk else None


def pending_import_commit(*, actor: User, pending: PendingImport) -> ImportResult:
    """The real run (all or nothing); the upload is deleted once imported."""
    require(actor, "transfer.import_records")
    rows = _read_logged(actor, bytes(pending.data), pending.file_name, commit=True)
    result = import_rows(rows, actor=actor, commit=True, source=pending.source)
    security_log.import_event(actor=actor, file_name=pending.file_name, commit=True, result=result)
    if result.committed:
        pending.delete()
    else:
        _keep(pending, result)
        pending.save()
    return result
