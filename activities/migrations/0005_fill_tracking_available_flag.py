"""Fill `TAActivity.is_tracking_available` (A9, stored; ADR 0015) for the activities already
there: status approved and a current final plan. One set-based UPDATE; reversing clears it."""

from django.db import migrations
from django.db.models import Exists, OuterRef


def fill(apps, schema_editor):
    activity = apps.get_model("activities", "TAActivity")
    plan = apps.get_model("activities", "DescriptionNote")
    final_plan = plan.objects.filter(activity=OuterRef("pk"), stage="final")
    activity.objects.filter(status="approved").filter(Exists(final_plan)).update(
        is_tracking_available=True
    )


def clear(apps, schema_editor):
    apps.get_model("activities", "TAActivity").objects.update(is_tracking_available=False)


class Migration(migrations.Migration):
    dependencies = [("activities", "0004_tracking_available_flag")]

    operations = [migrations.RunPython(fill, clear)]
