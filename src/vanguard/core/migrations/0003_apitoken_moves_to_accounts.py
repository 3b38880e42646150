from django.db import migrations


class Migration(migrations.Migration):
    """ApiToken now belongs to the accounts app; its table, core_apitoken, stays as it is."""

    dependencies = [
        ("core", "0002_tokens_expire_and_axes_counts_failed_logins"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ApiToken")],
            database_operations=[],
        ),
    ]
