from django.db import migrations, models
from django.db.models.functions import Coalesce


def stamp_recorded_talks(apps, schema_editor):
    """Talks recorded before the field existed: recorded when they were notified (the
    step before), so the bulletins count them."""
    Talk = apps.get_model("supervision", "Talk")
    Talk.objects.filter(held_on__isnull=False, recorded_at__isnull=True).update(
        recorded_at=Coalesce("notified_at", "approved_at", "proposed_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0008_bulletins"),
    ]

    operations = [
        migrations.AddField(
            model_name="talk",
            name="recorded_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="recorded at"),
        ),
        migrations.RunPython(stamp_recorded_talks, migrations.RunPython.noop),
    ]
