import datetime

from django.db import migrations, models
from django.utils import timezone


def expire_existing_tokens(apps, schema_editor):
    """Tokens made before expiry existed get the default 90 days from now, and a name."""
    ApiToken = apps.get_model("core", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(
        expires_at=timezone.now() + datetime.timedelta(days=90)
    )
    ApiToken.objects.filter(name="").update(name="API")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        # Failed logins are counted by django-axes from now on.
        migrations.DeleteModel(name="LoginFailure"),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires"),
        ),
        migrations.RunPython(expire_existing_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="name",
            field=models.CharField(max_length=100, verbose_name="name"),
        ),
    ]
