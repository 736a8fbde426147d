"""PostgreSQL: keep the document table's rows narrow (S1 text search at scale).

Counting or joining the activities that hold some words reads the document table's rows
found through the GIN index; with the text and the tsvector stored out of line (TOAST)
those rows are a few dozen bytes and the reads are several times fewer (measured on
200,000 documents: 269 MB of rows → 60 MB). Rows written before this migration keep their
layout until `manage.py rebuild_search_index` rewrites them. Other databases: nothing.
"""

from django.db import migrations

TABLE = "search_activitysearchdocument"


def narrow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} SET (toast_tuple_target = 128)")
        schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN document SET STORAGE EXTERNAL")


def widen(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} RESET (toast_tuple_target)")
        schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN document SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_sort_indexes")]

    operations = [migrations.RunPython(narrow, widen)]
