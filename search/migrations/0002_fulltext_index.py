"""The full-text index over ActivitySearchDocument: FTS5 on SQLite, tsvector + GIN on
PostgreSQL (see search/fulltext.py). Other databases get no index (icontains fallback)."""

from django.db import migrations


def create_index(apps, schema_editor):
    from search import fulltext

    fulltext.install(schema_editor.connection)


def drop_index(apps, schema_editor):
    from search import fulltext

    fulltext.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
