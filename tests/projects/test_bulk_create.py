"""Creating many projects at once: the same checks as one at a time, a fixed number of queries."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.exchange.workbooks import make_workbook
from vanguard.audit.log import history_of, verify_chain
from vanguard.audit.models import ChangeEntry
from vanguard.core.money import YI
from vanguard.org.models import Unit
from vanguard.projects.actions import RowsRefused, do_create_project, do_create_projects
from vanguard.projects.actions.common import project_snapshot
from vanguard.projects.choices import MilestoneState, SizeClass
from vanguard.projects.models import Milestone, Project
from vanguard.projects.sheets import project_import as importer_module
from vanguard.projects.sheets.project_import import ProjectImporter

HEADERS = ["项目编号", "项目名称", "主责单位", "总投资（万元）"]


def rows_for(plan, unit, n, prefix="BULK", **extra):
    return [
        {
            "campaign": plan,
            "code": "{}-{:04d}".format(prefix, i),
            "name": "批量项目{}".format(i),
            "lead_unit": unit,
            "investment_yuan": (i + 1) * YI,
            **extra,
        }
        for i in range(n)
    ]


def test_each_project_gets_its_milestones_supporting_units_and_one_log_entry(
    plan, fgj, hdjd, office_clerk
):
    entries = ChangeEntry.objects.count()
    rows = rows_for(plan, fgj, 3, supporting_units=[hdjd], sector="海洋装备")
    rows[0]["node_plans"] = {"project_approval": datetime.date(2026, 2, 10)}
    rows[1]["investment_yuan"] = 60 * YI
    created = do_create_projects(rows, actor=office_clerk)

    assert [p.code for p in created] == ["BULK-0000", "BULK-0001", "BULK-0002"]
    first = Project.objects.get(code="BULK-0000")
    assert first.pk == created[0].pk and first.version == 1 and first.sector == "海洋装备"
    assert Project.objects.get(code="BULK-0001").size_class == SizeClass.SIZE_5E9
    assert list(first.supporting_units.all()) == [hdjd]
    milestones = Milestone.objects.filter(project=first).order_by("node__order")
    assert milestones.count() == plan.key_nodes.count() == 7
    assert milestones[0].planned_date == datetime.date(2026, 2, 10)
    assert {m.state for m in milestones} == {MilestoneState.PENDING}
    assert ChangeEntry.objects.count() == entries + 3
    [entry] = history_of(first)
    assert entry.action == "create" and entry.actor == office_clerk
    assert entry.after["node_plans"] == {"project_approval": "2026-02-10"}
    assert entry.after["supporting_units"] == [hdjd.pk]
    assert entry.after["investment_yuan"] == YI
    # The entry holds what a single create logs for the project itself.
    fields = {k: v for k, v in entry.after.items() if k not in ("supporting_units", "node_plans")}
    assert fields == project_snapshot(first)
    assert verify_chain().ok


def test_the_projects_task_force_may_create_and_a_reporter_may_not(
    plan, fgj, projects_member, fgj_reporter
):
    with pytest.raises(PermissionDenied):
        do_create_projects(rows_for(plan, fgj, 2), actor=fgj_reporter)
    assert not Project.objects.exists()
    assert len(do_create_projects(rows_for(plan, fgj, 2), actor=projects_member)) == 2


def test_every_refused_row_is_named_and_nothing_is_saved(plan, fgj, office_clerk):
    do_create_project(
        campaign=plan,
        code="TAKEN",
        name="已有",
        lead_unit=fgj,
        investment_yuan=1,
        actor=office_clerk,
    )
    entries = ChangeEntry.objects.count()
    rows = rows_for(plan, fgj, 6)
    rows[1]["investment_yuan"] = -5
    rows[2]["code"] = "TAKEN"
    rows[3]["code"] = rows[0]["code"]
    rows[4]["lead_unit"] = Unit(pk=999_999, code="gone", name="已撤销单位")
    rows[5]["node_plans"] = {"moon_landing": datetime.date(2026, 5, 1)}
    with pytest.raises(RowsRefused) as refused:
        do_create_projects(rows, actor=office_clerk)

    by_row = refused.value.by_row
    assert sorted(by_row) == [1, 2, 3, 4, 5]
    assert "investment_yuan" in by_row[1].message_dict
    assert "code" in by_row[2].message_dict and "code" in by_row[3].message_dict
    assert "lead_unit" in by_row[4].message_dict
    assert "moon_landing" in by_row[5].messages[0]
    assert any(m.startswith("BULK-0005: ") for m in refused.value.messages)
    assert isinstance(refused.value, ValidationError)
    assert list(Project.objects.values_list("code", flat=True)) == ["TAKEN"]
    assert ChangeEntry.objects.count() == entries


def test_fifty_projects_take_as_many_queries_as_five(plan, fgj, hdjd, office_clerk):
    do_create_projects(rows_for(plan, fgj, 1, prefix="WARM"), actor=office_clerk)
    counts = []
    for prefix, n in (("FEW", 5), ("MANY", 50)):
        rows = rows_for(plan, fgj, n, prefix=prefix, supporting_units=[hdjd])
        with CaptureQueriesContext(connection) as queries:
            do_create_projects(rows, actor=office_clerk)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert Milestone.objects.filter(project__code__startswith="MANY-").count() == 50 * 7


def test_one_project_created_after_a_bulk_gets_a_fresh_id(plan, fgj, office_clerk):
    created = do_create_projects(rows_for(plan, fgj, 4), actor=office_clerk)
    single = do_create_project(
        campaign=plan, code="ONE", name="单建", lead_unit=fgj, investment_yuan=1, actor=office_clerk
    )
    assert single.pk > max(p.pk for p in created)
    assert Milestone.objects.filter(project=single).count() == 7


# --- the project sheet's new rows go through the bulk action ----------------------------


def sheet(n, start=0):
    return make_workbook(
        [
            [*HEADERS, "立项"],
            *(
                ["NEW-{:04d}".format(i), "新项目{}".format(i), "区发展和改革局", 5000, "2026-03-01"]
                for i in range(start, start + n)
            ),
        ]
    )


def test_an_import_of_forty_new_rows_runs_as_many_queries_as_one_of_four(plan, fgj, office_clerk):
    counts = []
    for start, n in ((0, 1), (10, 4), (100, 40)):
        with CaptureQueriesContext(connection) as queries:
            result = ProjectImporter(actor=office_clerk, campaign=plan).apply(sheet(n, start))
        assert result.applied and result.counts["create"] == n
        # The framework's savepoint around each row aside (two statements, no I/O).
        counts.append(len([q for q in queries if "SAVEPOINT" not in q["sql"]]))
    assert counts[1] == counts[2]
    project = Project.objects.get(code="NEW-0139")
    assert project.investment_yuan == 5000 * 10_000
    milestone = Milestone.objects.get(project=project, node__code="project_approval")
    assert milestone.planned_date == datetime.date(2026, 3, 1)


def test_a_new_row_the_action_refuses_is_reported_at_its_own_row(
    plan, fgj, office_clerk, monkeypatch
):
    def refuse_the_second(rows, *, actor):
        raise RowsRefused({1: ValidationError({"investment_yuan": "refused for the test"})})

    monkeypatch.setattr(importer_module, "do_create_projects", refuse_the_second)
    result = ProjectImporter(actor=office_clerk, campaign=plan).apply(sheet(3))
    assert not result.applied
    assert [(p.row, p.column) for p in result.problems] == [(3, "D")]
    assert [p.action for p in result.rows] == ["create", "error", "create"]
    assert not Project.objects.exists()


def test_a_bulk_action_that_fails_outright_is_reported_once_and_nothing_is_saved(
    plan, fgj, office_clerk, monkeypatch
):
    calls = []

    def fail(rows, *, actor):
        calls.append(len(rows))
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer_module, "do_create_projects", fail)
    result = ProjectImporter(actor=office_clerk, campaign=plan).apply(sheet(3))
    assert not result.applied
    assert calls == [3]
    assert [(p.row, p.column) for p in result.problems] == [(2, "A")]
    assert "disk full" in result.problems[0].message
    assert not Project.objects.exists()
