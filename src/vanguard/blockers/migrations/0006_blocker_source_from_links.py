# Move each problem's links into its source reference: a project and the dekad report
# that raised it become ("project", project id, report id); a key enterprise and the
# visit become ("enterprise", enterprise id, visit id). Back again on reverse, for the
# references whose rows still exist (a source registered later has no link to go back to).

from django.db import migrations
from django.db.models import F

# The keys the projects and indicators apps register their sources under.
PROJECT = "project"
ENTERPRISE = "enterprise"


def links_to_reference(apps, schema_editor):
    Blocker = apps.get_model("blockers", "Blocker")
    Blocker.objects.filter(project__isnull=False).update(
        source_kind=PROJECT, source_id=F("project_id"), occasion_id=F("report_id")
    )
    Blocker.objects.filter(project__isnull=True, enterprise__isnull=False).update(
        source_kind=ENTERPRISE, source_id=F("enterprise_id"), occasion_id=F("visit_id")
    )


def reference_to_links(apps, schema_editor):
    Blocker = apps.get_model("blockers", "Blocker")
    kinds = [
        (PROJECT, "project", apps.get_model("projects", "Project"),
         "report", apps.get_model("projects", "DekadReport")),
        (ENTERPRISE, "enterprise", apps.get_model("indicators", "KeyEnterprise"),
         "visit", apps.get_model("indicators", "Visit")),
    ]
    for key, thing, things, occasion, occasions in kinds:
        mine = Blocker.objects.filter(source_kind=key)
        mine.filter(source_id__in=things.objects.values("pk")).update(
            **{thing + "_id": F("source_id")}
        )
        mine.filter(occasion_id__in=occasions.objects.values("pk")).update(
            **{occasion + "_id": F("occasion_id")}
        )


class Migration(migrations.Migration):

    dependencies = [
        ('blockers', '0005_blocker_source_reference'),
        # The last migrations that read the links (projects 0009) or point them at a model.
        ('projects', '0009_report_names_its_problems'),
        ('indicators', '0002_sectors_enterprises_visits'),
    ]

    operations = [
        migrations.RunPython(links_to_reference, reference_to_links),
    ]
