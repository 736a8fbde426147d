"""Mark every State and Territory stale, so the first dashboard read computes its counts
from the records already there (reports.dashboard.rollup)."""

from django.db import migrations


def mark_all_stale(apps, schema_editor):
    Jurisdiction = apps.get_model("reference", "Jurisdiction")
    DashboardStale = apps.get_model("reports", "DashboardStale")
    db = schema_editor.connection.alias
    DashboardStale.objects.using(db).bulk_create(
        [
            DashboardStale(jurisdiction_id=pk)
            for pk in Jurisdiction.objects.using(db).values_list("id", flat=True)
        ],
        ignore_conflicts=True,
    )


def unmark(apps, schema_editor):
    apps.get_model("reports", "DashboardStale").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_dashboard_counts")]

    operations = [migrations.RunPython(mark_all_stale, unmark)]
