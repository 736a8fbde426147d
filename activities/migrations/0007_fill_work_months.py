"""Fill `ActivityWorkMonth` (ADR 0015) from the TA response notes already there: one row per
activity and month with a note dated in it, with the activity's A9 flag. Reversing empties it."""

from django.db import migrations
from django.db.models.functions import TruncMonth

BATCH = 5000


def fill(apps, schema_editor):
    note = apps.get_model("activities", "ResponseNote")
    activity = apps.get_model("activities", "TAActivity")
    work_month = apps.get_model("activities", "ActivityWorkMonth")
    tracking = set(activity.objects.filter(is_tracking_available=True).values_list("pk", flat=True))
    pairs = (
        note.objects.annotate(month=TruncMonth("note_date"))
        .order_by()
        .values_list("activity_id", "month")
        .distinct()
    )
    batch = []
    for activity_id, month in pairs.iterator(chunk_size=BATCH):
        if hasattr(month, "date"):  # a datetime on some backends
            month = month.date()
        batch.append(
            work_month(
                activity_id=activity_id, month=month, is_tracking_available=activity_id in tracking
            )
        )
        if len(batch) >= BATCH:
            work_month.objects.bulk_create(batch)
            batch = []
    work_month.objects.bulk_create(batch)


def empty(apps, schema_editor):
    apps.get_model("activities", "ActivityWorkMonth").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0006_work_months")]

    operations = [migrations.RunPython(fill, empty)]
