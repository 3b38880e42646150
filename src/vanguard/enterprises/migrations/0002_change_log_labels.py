"""Change-log entries written before the move name the enterprises app's models.

The change log refers to what it records through a content type (app label and model).
The content types of the moved models are relabelled in place, so every entry written
while the models lived in the indicators app (``indicators.keyenterprise`` ...) now
names ``enterprises.keyenterprise`` ...: the entries themselves, and the hashes that
chain them (which sign the content type's id), are untouched.
"""

from django.db import migrations

MOVED = ("sector", "keyenterprise", "enterprisemonth", "visit")


def relabel(apps, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if ContentType.objects.filter(app_label=new, model=model).exists():
            continue
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):
    relabel(apps, "indicators", "enterprises")


def backwards(apps, schema_editor):
    relabel(apps, "enterprises", "indicators")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("enterprises", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
