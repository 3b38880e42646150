"""Changed rows of the project sheet, written together by do_update_projects."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.exchange.workbooks import as_file, read_rows
from vanguard.audit.log import history_of
from vanguard.core.money import YI
from vanguard.exchange.xlsx import write_workbook
from vanguard.projects.actions import RowsRefused, do_create_projects, do_update_projects
from vanguard.projects.models import Milestone, Project
from vanguard.projects.sheets.project_export import project_rows
from vanguard.projects.sheets.project_import import ProjectImporter


def make_projects(plan, unit, actor, count, start=1):
    return do_create_projects(
        [
            {
                "campaign": plan,
                "code": "XHA-{:04d}".format(start + n),
                "name": "项目{}".format(start + n),
                "lead_unit": unit,
                "investment_yuan": YI,
                "node_plans": {"land_use": datetime.date(2026, 3, 1)},
            }
            for n in range(count)
        ],
        actor=actor,
    )


def changed_sheet(queryset, supporting):
    headers, rows = project_rows(queryset.order_by("code"))
    rows = read_rows(write_workbook([("项目", headers, rows)]))
    for row in rows[1:]:
        row[headers.index("项目名称")] += "（调整）"
        row[headers.index("用地手续办理")] = "2026-05-01"
        row[headers.index("服务保障单位")] = supporting
    return as_file(rows)


def apply_counting(user, plan, file):
    with CaptureQueriesContext(connection) as queries:
        result = ProjectImporter(actor=user, campaign=plan).apply(file)
    assert result.applied, [str(p) for p in result.problems]
    return result, len(queries)


def test_changed_rows_cost_the_same_queries_for_few_or_many(plan, fgj, hdjd, office_clerk):
    make_projects(plan, fgj, office_clerk, 2)
    make_projects(plan, fgj, office_clerk, 12, start=101)
    ContentType.objects.get_for_model(Milestone)  # cached from then on, as in a server
    few = Project.objects.filter(code__lt="XHA-0100")
    many = Project.objects.filter(code__gt="XHA-0100")
    result, few_queries = apply_counting(office_clerk, plan, changed_sheet(few, "黄岛街道"))
    assert result.counts["update"] == 2
    result, many_queries = apply_counting(office_clerk, plan, changed_sheet(many, "黄岛街道"))
    assert result.counts["update"] == 12
    assert many_queries == few_queries
    project = Project.objects.get(code="XHA-0112")
    assert project.name == "项目112（调整）" and project.version == 2
    assert list(project.supporting_units.values_list("name", flat=True)) == ["黄岛街道"]
    entry = history_of(project)[0]
    assert entry.before["supporting_units"] == [] and entry.after["supporting_units"] == [hdjd.pk]
    assert entry.after["name"] == "项目112（调整）" and entry.reason.startswith("Excel")
    milestone = Milestone.objects.get(project=project, node__code="land_use")
    assert milestone.planned_date == datetime.date(2026, 5, 1)
    assert history_of(milestone)[0].after["planned_date"] == "2026-05-01"


def test_every_refused_row_is_named_and_nothing_is_written(plan, fgj, hdjd, office_clerk):
    first, second, third = make_projects(plan, fgj, office_clerk, 3)
    with pytest.raises(RowsRefused) as refused:
        do_update_projects(
            [
                {"project": first, "expected_version": 7, "changes": {"name": "甲"}},
                {"project": second, "changes": {}, "node_plans": {"no_such_node": None}},
                {"project": third, "changes": {"name": "丙"}, "supporting_units": [fgj]},
                {"project": first.pk + 1000, "changes": {"name": "丁"}},
            ],
            actor=office_clerk,
        )
    assert sorted(refused.value.by_row) == [0, 1, 2, 3]
    assert "XHA-0001" in str(refused.value) and "no_such_node" in str(refused.value)
    assert not Project.objects.filter(name__in=["甲", "丙"]).exists()
    assert set(Project.objects.values_list("version", flat=True)) == {1}


def test_a_reporter_cannot_update_projects_in_bulk(plan, fgj, office_clerk, fgj_reporter):
    from django.core.exceptions import PermissionDenied

    [project] = make_projects(plan, fgj, office_clerk, 1)
    with pytest.raises(PermissionDenied):
        do_update_projects([{"project": project, "changes": {"name": "改"}}], actor=fgj_reporter)
    assert Project.objects.get(pk=project.pk).name == "项目1"
