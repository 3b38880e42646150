"""Sectors, key enterprises, their monthly figures and visits leave this app's state.

They now belong to the enterprises app (``enterprises.0001``), which keeps their tables
(``indicators_*``); nothing is dropped from the database.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0003_project_increment_rate"),
        ("enterprises", "0001_initial"),
        # Blockers no longer point to these models (their links became source references).
        ("blockers", "0007_remove_blocker_links"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="EnterpriseMonth"),
                migrations.DeleteModel(name="Visit"),
                migrations.DeleteModel(name="KeyEnterprise"),
                migrations.DeleteModel(name="Sector"),
            ],
            database_operations=[],
        ),
    ]
