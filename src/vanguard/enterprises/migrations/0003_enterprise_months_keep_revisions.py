"""Enterprise months keep their revisions as rows, as observations do (0020).

The rows there are stay as they are, each current with the version it had; the figures
they replaced are in the change log only. Their door is not known: they say "form".
One row per enterprise and month gives way to one current row per enterprise and month.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0002_change_log_labels"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="enterprisemonth",
            options={
                "ordering": ["enterprise", "month", "version"],
                "verbose_name": "enterprise monthly figure",
                "verbose_name_plural": "enterprise monthly figures",
            },
        ),
        migrations.AddField(
            model_name="enterprisemonth",
            name="is_current",
            field=models.BooleanField(default=True, verbose_name="current"),
        ),
        migrations.AddField(
            model_name="enterprisemonth",
            name="reason",
            field=models.CharField(blank=True, max_length=500, verbose_name="reason"),
        ),
        migrations.AddField(
            model_name="enterprisemonth",
            name="source",
            field=models.CharField(
                choices=[
                    ("form", "Page form"),
                    ("api", "API"),
                    ("import", "Excel import"),
                    ("demo", "Demo data"),
                ],
                default="form",
                max_length=16,
                verbose_name="source",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="enterprisemonth",
            name="supersedes",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="superseded_by",
                to="enterprises.enterprisemonth",
                verbose_name="supersedes",
            ),
        ),
        migrations.AddIndex(
            model_name="enterprisemonth",
            index=models.Index(fields=["month", "is_current"], name="enterprise_month_current_idx"),
        ),
        migrations.AddConstraint(
            model_name="enterprisemonth",
            constraint=models.UniqueConstraint(
                fields=("enterprise", "month", "version"), name="enterprise_month_version_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="enterprisemonth",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_current", True)),
                fields=("enterprise", "month"),
                name="one_current_enterprise_month",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="enterprisemonth",
            name="enterprise_month_once",
        ),
    ]
