"""A blocker's enterprise and visit now point to the models of the enterprises app.

The tables and the foreign-key constraints are the same (``indicators_keyenterprise``,
``indicators_visit``), so only Django's state changes.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("blockers", "0004_blocker_steps"),
        ("enterprises", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="blocker",
                    name="enterprise",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="blockers",
                        to="enterprises.keyenterprise",
                        verbose_name="key enterprise",
                    ),
                ),
                migrations.AlterField(
                    model_name="blocker",
                    name="visit",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="blockers",
                        to="enterprises.visit",
                        verbose_name="raised on visit",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
