"""Covering indexes for the guide's "TA response note" and "Summary of TA delivered" ranges,
which find activities with a note *entered* in the range (S1): (created_at, activity_id),
so the activities are read from the index alone, as 0006 does for the notes' own dates."""

from django.db import migrations

INDEXES = [
    ("search_response_entered_activity", "activities_responsenote"),
    ("search_summary_entered_activity", "activities_deliverysummary"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor in ("sqlite", "postgresql"):
        for name, table in INDEXES:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} (created_at, activity_id)"
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor in ("sqlite", "postgresql"):
        for name, _ in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("search", "0008_late_summary_index")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
