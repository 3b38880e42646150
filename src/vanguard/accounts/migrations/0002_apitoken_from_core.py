import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _relabel(apps, old_label, new_label):
    """Point the token's content type at its new app, so change-log entries of tokens
    (which name the content type by id) still lead to the model. The id and hence the
    entries' signatures stay the same."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if ContentType.objects.filter(app_label=new_label, model="apitoken").exists():
        return
    ContentType.objects.filter(app_label=old_label, model="apitoken").update(app_label=new_label)


def to_accounts(apps, schema_editor):
    _relabel(apps, "core", "accounts")


def to_core(apps, schema_editor):
    _relabel(apps, "accounts", "core")


class Migration(migrations.Migration):
    """ApiToken moves here from the core app: the model only, its table keeps its name and
    its rows (no data is copied)."""

    dependencies = [
        ("accounts", "0001_password_state"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_apitoken_moves_to_accounts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ApiToken",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=100, verbose_name="name")),
                        ("prefix", models.CharField(max_length=8, verbose_name="prefix")),
                        ("key_hash", models.CharField(max_length=64, unique=True)),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created"),
                        ),
                        (
                            "last_used_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="last used"),
                        ),
                        ("expires_at", models.DateTimeField(verbose_name="expires")),
                        ("revoked", models.BooleanField(default=False, verbose_name="revoked")),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="api_tokens",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="account",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "API token",
                        "verbose_name_plural": "API tokens",
                        "ordering": ["-created_at"],
                        "db_table": "core_apitoken",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(to_accounts, to_core),
    ]
