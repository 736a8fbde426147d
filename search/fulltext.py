"""The full-text index of TA activity notes (S1 text criterion), per database vendor.

One row of `ActivitySearchDocument` per activity holds the concatenated text of its
other-focus notes, description notes, summaries of TA delivered, requester feedback and TA
response notes. The database indexes that text:

- SQLite: an FTS5 external-content table (`search_activity_fts`, rowid = activity id) that
  triggers on the document table keep in step;
- PostgreSQL: a generated `tsvector` column (`search_vector`) with a GIN index;
- any other database: no index; the text criterion falls back to `icontains`.

Documents are rewritten with one SQL statement per activity (`refresh_activity`) when a
note or the activity changes, and all at once by `rebuild` (`manage.py
rebuild_search_index`), which bulk data loads call after `bulk_create`.
"""

# SQL here interpolates only constant table, column and index names; every value a person
# types is passed as a query parameter.
# ruff: noqa: S608

from __future__ import annotations

import re

from django.db import connection as default_connection
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from activities.models import (
    DeliverySummary,
    DescriptionNote,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from search.models import ActivitySearchDocument

FTS_TABLE = "search_activity_fts"
PG_VECTOR_COLUMN = "search_vector"
PG_GIN_INDEX = "search_doc_vector_gin"
PG_TEXT_CONFIG = "english"
MAX_WORDS = 20

_WORD = re.compile(r"\w+", re.UNICODE)
_NOTE_MODELS = (DescriptionNote, DeliverySummary, RequesterFeedback, ResponseNote)


def _doc_table() -> str:
    return ActivitySearchDocument._meta.db_table


def _sqlite_triggers() -> list[str]:
    doc = _doc_table()
    return [
        f"""CREATE TRIGGER search_doc_ai AFTER INSERT ON {doc} BEGIN
              INSERT INTO {FTS_TABLE}(rowid, document) VALUES (new.activity_id, new.document);
            END""",  # nosec B608 # names are constants
        f"""CREATE TRIGGER search_doc_ad AFTER DELETE ON {doc} BEGIN
              INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, document)
                VALUES ('delete', old.activity_id, old.document);
            END""",  # nosec B608 # names are constants
        f"""CREATE TRIGGER search_doc_au AFTER UPDATE ON {doc} BEGIN
              INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, document)
                VALUES ('delete', old.activity_id, old.document);
              INSERT INTO {FTS_TABLE}(rowid, document) VALUES (new.activity_id, new.document);
            END""",  # nosec B608 # names are constants
    ]


_SQLITE_TRIGGER_NAMES = ("search_doc_ai", "search_doc_ad", "search_doc_au")


def install(conn: BaseDatabaseWrapper) -> None:
    """Create the vendor's full-text structures over the document table (migration 0002)."""
    doc = _doc_table()
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            cursor.execute(
                f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(document, content='{doc}', "
                "content_rowid='activity_id', tokenize='porter unicode61 remove_diacritics 2')"
            )
            for statement in _sqlite_triggers():
                cursor.execute(statement)
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")  # nosec B608 # names are constants
        elif conn.vendor == "postgresql":
            cursor.execute(
                f"ALTER TABLE {doc} ADD COLUMN {PG_VECTOR_COLUMN} tsvector GENERATED ALWAYS AS "
                f"(to_tsvector('{PG_TEXT_CONFIG}'::regconfig, document)) STORED"
            )
            cursor.execute(f"CREATE INDEX {PG_GIN_INDEX} ON {doc} USING gin ({PG_VECTOR_COLUMN})")


def uninstall(conn: BaseDatabaseWrapper) -> None:
    doc = _doc_table()
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            for name in _SQLITE_TRIGGER_NAMES:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        elif conn.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {PG_GIN_INDEX}")
            cursor.execute(f"ALTER TABLE {doc} DROP COLUMN IF EXISTS {PG_VECTOR_COLUMN}")


def _document_select(vendor: str) -> str:
    """SQL selecting (activity id, concatenated text) for every activity, by correlated
    subqueries that each use the notes' activity index."""
    if vendor == "postgresql":
        agg, newline = "string_agg(n.text, chr(10))", "chr(10)"
    else:
        agg, newline = "group_concat(n.text, char(10))", "char(10)"
    parts = ["coalesce(a.other_focus_notes, '')"]
    for model in _NOTE_MODELS:
        parts.append(
            f"coalesce((SELECT {agg} FROM {model._meta.db_table} n WHERE n.activity_id = a.id), '')"  # nosec B608 # names are constants
        )
    text = f" || {newline} || ".join(parts)
    return f"SELECT a.id, {text} FROM {TAActivity._meta.db_table} a"  # nosec B608 # names are constants


def refresh_activity(activity_id: int, *, using: str = "default") -> None:
    """Rewrite one activity's document from its notes (no-op when the text is unchanged)."""
    from django.db import connections

    conn = connections[using]
    doc = _doc_table()
    distinct = "IS DISTINCT FROM" if conn.vendor == "postgresql" else "IS NOT"
    sql = (
        f"INSERT INTO {doc} (activity_id, document) {_document_select(conn.vendor)} "  # nosec B608 # names are constants
        "WHERE a.id = %s "
        "ON CONFLICT (activity_id) DO UPDATE SET document = excluded.document "
        f"WHERE {doc}.document {distinct} excluded.document"
    )
    with conn.cursor() as cursor:
        cursor.execute(sql, [activity_id])


def remove_activity(activity_id: int, *, using: str = "default") -> None:
    from django.db import connections

    with connections[using].cursor() as cursor:
        cursor.execute(f"DELETE FROM {_doc_table()} WHERE activity_id = %s", [activity_id])  # nosec B608 # names are constants


def rebuild(conn: BaseDatabaseWrapper | None = None) -> int:
    """Rebuild every document and the index in bulk; returns the number of documents.

    Faster than per-row maintenance: on SQLite the triggers are dropped while the table is
    refilled and FTS5 rebuilds its index in one pass; on PostgreSQL the GIN index is built
    after the rows are in.
    """
    conn = conn or default_connection
    doc = _doc_table()
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            for name in _SQLITE_TRIGGER_NAMES:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DELETE FROM {doc}")  # nosec B608 # names are constants
            cursor.execute(
                f"INSERT INTO {doc} (activity_id, document) {_document_select('sqlite')}"
            )
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")  # nosec B608 # names are constants
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")  # nosec B608 # names are constants
            for statement in _sqlite_triggers():
                cursor.execute(statement)
        elif conn.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {PG_GIN_INDEX}")
            cursor.execute(f"TRUNCATE {doc}")
            cursor.execute(
                f"INSERT INTO {doc} (activity_id, document) {_document_select('postgresql')}"
            )
            cursor.execute(f"CREATE INDEX {PG_GIN_INDEX} ON {doc} USING gin ({PG_VECTOR_COLUMN})")
        else:
            cursor.execute(f"DELETE FROM {doc}")  # nosec B608 # names are constants
            cursor.execute(
                f"INSERT INTO {doc} (activity_id, document) {_document_select(conn.vendor)}"
            )
        cursor.execute(f"SELECT count(*) FROM {doc}")  # nosec B608 # names are constants
        (count,) = cursor.fetchone()
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute(f"ANALYZE {doc}")
    return count


def words(text: str) -> list[str]:
    """The words of a text criterion, as the index tokenises them (letters and digits)."""
    return _WORD.findall(text or "")[:MAX_WORDS]


def matching_ids_sql(text_words: list[str], vendor: str) -> tuple[str, list[str]] | None:
    """SQL returning the ids of activities whose notes contain every word, or None when the
    database has no full-text index (the caller then falls back to `icontains`)."""
    if vendor == "sqlite":
        match = " ".join('"' + word.replace('"', '""') + '"' for word in text_words)
        return f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match]  # nosec B608 # names are constants
    if vendor == "postgresql":
        return (
            f"SELECT activity_id FROM {_doc_table()} WHERE {PG_VECTOR_COLUMN} "  # nosec B608 # names are constants
            f"@@ plainto_tsquery('{PG_TEXT_CONFIG}'::regconfig, %s)",
            [" ".join(text_words)],
        )
    return None


def count_matches(text_words: list[str], vendor: str) -> int | None:
    """How many documents hold every word, read from the index alone (None when the
    database has no full-text index)."""
    from django.db import connections, router

    raw = matching_ids_sql(text_words, vendor)
    if raw is None:
        return None
    sql, params = raw
    alias = router.db_for_read(ActivitySearchDocument)
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql}) matches", params)  # nosec B608 # names are constants
        return cursor.fetchone()[0]
