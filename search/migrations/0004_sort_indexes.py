"""Indexes that let the search results be read in the order of any column (S3) without
sorting every matching row, measured on 200,000 activities (bench/RESULTS.md).

The tables belong to other apps, whose models stay untouched, so the indexes are plain SQL
here, per vendor (and one for the response-note date range). On SQLite every index ends with the rowid (the record number), which is
the tie-breaker of every sort; PostgreSQL needs the id spelled out.
"""

from django.db import migrations

# (index name, table, SQLite columns, PostgreSQL columns)
INDEXES = [
    # Names of the rows a sort joins to: read in name order, then each one's activities.
    ("search_user_full_name", "accounts_user", "full_name", "full_name, id"),
    ("search_focusarea_name", "reference_focusarea", "name", "name, id"),
    ("search_center_name", "reference_center", "name", "name, id"),
    # Activities in each column's order, ending with the record number.
    ("search_act_type_id", "activities_taactivity", "activity_type", "activity_type, id"),
    ("search_act_status_id", "activities_taactivity", "status", "status, id"),
    (
        "search_act_completion_id",
        "activities_taactivity",
        "completion_status",
        "completion_status, id",
    ),
    (
        "search_act_on_demand_id",
        "activities_taactivity",
        "(goal_id IS NULL)",
        "(goal_id IS NULL), id",
    ),
    ("search_act_opened_id", "activities_taactivity", None, "date_opened, id"),
    ("search_act_closed_id", "activities_taactivity", None, "completion_date, id"),
    (
        "search_act_closed_desc_id",
        "activities_taactivity",
        None,
        "completion_date DESC NULLS LAST, id DESC",
    ),
    ("search_act_jurisdiction_id", "activities_taactivity", None, "jurisdiction_id, id"),
    ("search_act_focus_id", "activities_taactivity", None, "focus_id, id"),
    ("search_act_center_id", "activities_taactivity", None, "primary_center_id, id"),
    ("search_act_staff_id", "activities_taactivity", None, "primary_staff_id, id"),
    ("search_act_category_id", "activities_taactivity", None, "goal_category_id, id"),
    # The TA response-note date range checks each activity's notes by date.
    (
        "search_response_activity_date",
        "activities_responsenote",
        "activity_id, note_date",
        "activity_id, note_date",
    ),
]


def _wanted(vendor):
    for name, table, sqlite_columns, pg_columns in INDEXES:
        columns = sqlite_columns if vendor == "sqlite" else pg_columns
        if vendor in ("sqlite", "postgresql") and columns:
            yield name, table, columns


def create_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for name, table, columns in _wanted(vendor):
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")


def drop_indexes(apps, schema_editor):
    for name, _, _ in _wanted(schema_editor.connection.vendor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_fill_search_documents"),
        ("activities", "0001_initial"),
        ("accounts", "0001_initial"),
        ("reference", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
