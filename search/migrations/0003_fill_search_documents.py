"""Fill the search documents of activities that existed before the search app."""

from django.db import migrations


def fill(apps, schema_editor):
    from search import fulltext

    fulltext.rebuild(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext_index")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
