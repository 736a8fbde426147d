"""Mark every State and Territory stale, so the next read computes the compliance report's
new monthly counts (missing summaries, entries) from the records already there."""

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


def drop_compliance_counts(apps, schema_editor):
    DashboardCount = apps.get_model("reports", "DashboardCount")
    DashboardCount.objects.filter(kind__in=["missing", "entered"]).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_compliance_counts")]

    operations = [migrations.RunPython(mark_all_stale, drop_compliance_counts)]
