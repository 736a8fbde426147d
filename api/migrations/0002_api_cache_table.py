"""The `api` cache's table (issue #11): the rate limit's counters, shared by every web
process. Created here so `migrate` is the one set-up step (createcachetable is idempotent)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command(
        "createcachetable", "tat_api_cache", database=schema_editor.connection.alias, verbosity=0
    )


def drop_cache_table(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS tat_api_cache")


class Migration(migrations.Migration):
    dependencies = [("api", "0001_api_tokens")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
