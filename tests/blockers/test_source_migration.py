"""The migration of problems' links into their source reference, on existing rows.

Problems raised by a dekad report and by a visit (one of each dispatched, one without a
report) are taken back to the old links (blockers 0004) and forward again: each keeps
its project or enterprise, and the report or visit that raised it, both ways.
"""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.conftest import make_person
from tests.enterprises.fixtures import credit_code
from vanguard.blockers.actions import do_dispatch_blocker, do_raise_blockers
from vanguard.blockers.models import Blocker
from vanguard.enterprises.actions import (
    do_create_enterprise,
    do_create_sector,
    do_record_visit,
)
from vanguard.org.access import SYSTEM
from vanguard.org.choices import Role
from vanguard.org.models import Campaign
from vanguard.projects.actions import do_create_project, do_submit_report

BEFORE = ("blockers", "0004_blocker_steps")
BEFORE_MOVE = ("indicators", "0003_project_increment_rate")
MARCH_5 = datetime.date(2026, 3, 5)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _state(targets):
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_problems_keep_their_project_or_enterprise_and_occasion_both_ways(
    settings, fgj, hdjd
):
    call_command("loadplan", str(settings.PROJECT_DIR / "plans" / "xihaian.yaml"), verbosity=0)
    plan = Campaign.objects.get(code="xihaian-2026")
    office = make_person("office", "王办公", role=Role.OFFICE)
    reporter = make_person("reporter_fgj", "张填报", fgj, Role.UNIT_REPORTER, reporter_unit=fgj)
    project = do_create_project(
        campaign=plan, code="XHA-0001", name="海洋装备产业园", lead_unit=fgj,
        investment_yuan=1_200_000_000, actor=office,
    )  # fmt: skip
    report = do_submit_report(
        project, actor=reporter, progress="施工", blockers=["征迁未完成", "用电"], today=MARCH_5
    )
    (unreported,) = do_raise_blockers(project, ["规划调整"], unit=fgj, actor=SYSTEM)
    sector = do_create_sector(plan, name="工业", responsible_unit=hdjd, actor=office)
    enterprise = do_create_enterprise(
        plan, name="青岛海工装备有限公司", credit_code=credit_code(1), sector=sector,
        serving_unit=hdjd, actor=office,
    )  # fmt: skip
    visit = do_record_visit(
        enterprise, visited_on=MARCH_5, visitors="走访组", actor=office, blockers=["用工缺口"]
    )
    do_dispatch_blocker(Blocker.objects.get(title="用电"), unit=hdjd, actor=office)
    expected = {
        "征迁未完成": ("project", project.pk, report.pk, fgj.pk),
        "用电": ("project", project.pk, report.pk, hdjd.pk),
        "规划调整": ("project", project.pk, None, fgj.pk),
        "用工缺口": ("enterprise", enterprise.pk, visit.pk, hdjd.pk),
    }
    assert unreported.occasion_id is None

    def now():
        return {
            b.title: (b.source_kind, b.source_id, b.occasion_id, b.unit_id)
            for b in Blocker.objects.all()
        }

    assert now() == expected
    latest = _latest()
    # The key enterprises left the indicators app after the links went (indicators 0004):
    # back where the links point at indicators' models, the indicators app goes back too.
    back = [node for node in latest if node[0] not in ("blockers", "indicators")]
    back += [BEFORE, BEFORE_MOVE]
    try:
        _migrate(back)
        old = _state(back).get_model("blockers", "Blocker")
        links = {
            b.title: (b.project_id, b.report_id, b.enterprise_id, b.visit_id, b.unit_id)
            for b in old.objects.all()
        }
        assert links == {
            "征迁未完成": (project.pk, report.pk, None, None, fgj.pk),
            "用电": (project.pk, report.pk, None, None, hdjd.pk),
            "规划调整": (project.pk, None, None, None, fgj.pk),
            "用工缺口": (None, None, enterprise.pk, visit.pk, hdjd.pk),
        }
    finally:
        _migrate(latest)
    assert now() == expected
    assert Blocker.objects.get(title="用电").source_parts[0][0] == "XHA-0001 海洋装备产业园"
