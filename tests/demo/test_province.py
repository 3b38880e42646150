"""`vanguard demo --scale province`: a province through COPY on PostgreSQL, refused elsewhere."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from vanguard.audit.log import verify_chain
from vanguard.demo import org as org_demo
from vanguard.demo import province
from vanguard.org.choices import Role
from vanguard.org.models import Campaign, Person, RoleAssignment, Unit
from vanguard.projects.choices import ReportStatus
from vanguard.projects.models import DekadReport, Milestone, Project, ReportedNode, StageChange

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 10, 15)


def run_province(*args):
    out = io.StringIO()
    call_command("demo", "--scale", "province", "--today", TODAY.isoformat(), *args, stdout=out)
    return out.getvalue()


def keys_and_indexes():
    """The names of every constraint and index on the tables the province fills."""
    tables = [m._meta.db_table for m in province.PROJECT_TABLES]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s)"
            " UNION SELECT indexrelid::regclass::text FROM pg_index"
            " WHERE indrelid::regclass::text = ANY(%s)",
            [tables, tables],
        )
        return {name for (name,) in cursor.fetchall()}


def orphans():
    """(table, column) of every foreign key of the demo's tables that names a missing row."""
    found = []
    models = (Unit, get_user_model(), Person, RoleAssignment, *province.PROJECT_TABLES)
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in models:
            for field in model._meta.concrete_fields:
                if not field.is_relation:
                    continue
                target = field.related_model._meta
                cursor.execute(
                    "SELECT COUNT(*) FROM {t} WHERE {c} IS NOT NULL AND NOT EXISTS"
                    " (SELECT 1 FROM {rt} WHERE {rt}.{rc} = {t}.{c})".format(
                        t=qn(model._meta.db_table),
                        c=qn(field.column),
                        rt=qn(target.db_table),
                        rc=qn(field.target_field.column),
                    )
                )
                if cursor.fetchone()[0]:
                    found.append((model._meta.db_table, field.column))
    return found


@pytest.fixture
def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("province scale writes with COPY, which needs PostgreSQL")


def test_a_tiny_province_has_its_counts_its_keys_and_its_demo_accounts(on_postgresql):
    before = keys_and_indexes()
    out = run_province("--province-factor", "0.001", "--seed", "4")

    assert "projects_dekadreport" in out and "reporter_fgj" in out
    units, projects = province.sizes(0.001)
    assert Unit.objects.count() == units == len(org_demo.unit_specs("district"))
    assert Project.objects.count() == projects == 1000
    assert Milestone.objects.count() == 7 * projects
    reports = DekadReport.objects.count()
    assert 8 * projects <= reports <= province.RECENT_DEKADS * projects
    statuses = set(DekadReport.objects.values_list("status", flat=True).distinct())
    assert {ReportStatus.CERTIFIED, ReportStatus.SUBMITTED} <= statuses
    assert ReportedNode.objects.exists()
    # Each certified report carrying a stage recorded its stage change.
    carrying = DekadReport.objects.filter(status=ReportStatus.CERTIFIED).exclude(stage_reached="")
    assert StageChange.objects.filter(report__in=carrying).count() == carrying.count() > 0
    # Every unit has its head and a reporter; only the demo accounts can sign in.
    assert RoleAssignment.objects.filter(role=Role.UNIT_REPORTER).count() >= units
    usable = [u for u in get_user_model().objects.all() if u.has_usable_password()]
    assert sorted(u.username for u in usable) == sorted(a[0] for a in org_demo.ACCOUNTS)
    # Keys and indexes were made again, and every key holds.
    assert keys_and_indexes() == before
    assert orphans() == []
    # The sequences moved past the ids the load numbered itself.
    project = Project.objects.order_by("pk").last()
    assert (
        Project.objects.create(
            campaign=project.campaign,
            code="XHA-NEW-1",
            name="新项目",
            lead_unit=project.lead_unit,
            investment_yuan=1,
            size_class=project.size_class,
        ).pk
        > project.pk
    )
    assert verify_chain().ok


def test_a_tiny_province_opens_for_a_reporter_and_the_office_and_takes_its_lights(
    on_postgresql, client
):
    from vanguard.supervision.lights import recompute
    from vanguard.supervision.models import LightState

    run_province("--province-factor", "0.001")
    User = get_user_model()

    client.force_login(User.objects.get(username="reporter_fgj"))
    own = Project.objects.filter(lead_unit__code="fgj").order_by("code").first()
    assert own is not None
    assert client.get(reverse("projects:list")).status_code == 200
    assert client.get(reverse("projects:detail", args=[own.code])).status_code == 200

    client.force_login(User.objects.get(username="office"))
    waiting = DekadReport.objects.filter(status=ReportStatus.SUBMITTED).first()
    for url in (reverse("projects:list"), reverse("projects:detail", args=[waiting.project.code])):
        assert client.get(url).status_code == 200, url
    assert "XHA-2026-000001" in client.get(reverse("projects:list")).content.decode()

    # The certification queue is the projects task force's, who certify for the office.
    client.force_login(User.objects.get(username="tf_projects"))
    response = client.get(reverse("projects:certification"))
    assert response.status_code == 200
    assert "XHA-2026-" in response.content.decode()

    recompute(Campaign.objects.get(), TODAY)
    assert LightState.objects.filter(kind="project").count() == Project.objects.count()


def test_the_province_is_refused_on_sqlite_and_nothing_is_written():
    if connection.vendor != "sqlite":
        pytest.skip("the refusal is SQLite's")
    with pytest.raises(CommandError) as refused:
        run_province("--province-factor", "0.001")
    message = str(refused.value)
    assert "需要 PostgreSQL" in message and "needs PostgreSQL" in message
    assert not Campaign.objects.exists() and not Unit.objects.exists()


def test_the_province_factor_must_be_a_share():
    with pytest.raises(CommandError, match="at most 1"):
        run_province("--province-factor", "2")
