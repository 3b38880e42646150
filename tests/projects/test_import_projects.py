"""Importing the office's project sheet, and exporting projects in the same shape."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.exchange.workbooks import as_file, make_workbook, read_rows
from vanguard.audit.log import history_of
from vanguard.audit.models import ChangeEntry
from vanguard.core.money import WAN, YI
from vanguard.exchange.xlsx import write_workbook
from vanguard.org.models import Person
from vanguard.projects.actions import RowsRefused, do_create_project, do_update_project
from vanguard.projects.choices import MilestoneState, ProjectKind
from vanguard.projects.models import Milestone, Project
from vanguard.projects.sheets import project_import as importer_module
from vanguard.projects.sheets.project_export import node_matrix_rows, project_rows
from vanguard.projects.sheets.project_import import ProjectImporter

HEADERS = ["项目编号", "项目名称", "主责单位", "总投资（万元）"]


def run(user, plan, file, apply=False):
    importer = ProjectImporter(actor=user, campaign=plan)
    return importer.apply(file) if apply else importer.dry_run(file)


def exported(queryset=None):
    headers, rows = project_rows(queryset if queryset is not None else Project.objects.all())
    return read_rows(write_workbook([("项目", headers, rows)]))


def column_of(rows, header):
    return rows[0].index(header)


@pytest.fixture
def detailed_project(fgj_project, hdjd, office_clerk, fgj):
    """XHA-0001 with every field of the sheet filled in."""
    from tests.conftest import make_person

    make_person("fgj_staff", "刘项目", fgj)
    person = Person.objects.get(name="刘项目")
    fgj_project.supporting_units.set([hdjd])
    return do_update_project(
        fgj_project,
        actor=office_clerk,
        responsible_person=person,
        sector="海洋装备",
        kind=ProjectKind.INDUSTRIAL,
        address="青岛西海岸新区海西路",
        latitude=Decimal("35.960123"),
        longitude=Decimal("120.180456"),
        investment_yuan=123_456_789,
        introduced_planned=datetime.date(2026, 1, 20),
        completed_planned=datetime.date(2027, 6, 30),
    )


def test_an_exported_list_imports_again_with_nothing_changed(
    detailed_project, hdjd_project, office_clerk, plan
):
    rows = exported()
    assert rows[0][:6] == [
        "项目编号",
        "项目名称",
        "主责单位",
        "服务保障单位",
        "责任人",
        "总投资（万元）",
    ]
    assert rows[0][-7:-5] == ["立项", "用地手续办理"]
    entries = ChangeEntry.objects.count()
    result = run(office_clerk, plan, as_file(rows), apply=True)
    assert result.ok, [str(p) for p in result.problems]
    assert result.counts["unchanged"] == 2
    assert result.counts["create"] == result.counts["update"] == 0
    assert ChangeEntry.objects.count() == entries
    assert Project.objects.get(code="XHA-0001").version == detailed_project.version


def test_the_export_writes_amounts_in_wan_and_real_dates(detailed_project, office_clerk):
    rows = exported()
    row = rows[1]
    assert row[column_of(rows, "总投资（万元）")] == pytest.approx(12345.6789)
    assert row[column_of(rows, "服务保障单位")] == "黄岛街道"
    assert row[column_of(rows, "责任人")] == "刘项目"
    assert row[column_of(rows, "立项")] == datetime.datetime(2026, 2, 10)


def test_dates_in_every_written_form_and_real_excel_dates_are_read(plan, fgj, office_clerk):
    file = make_workbook(
        [
            [*HEADERS, "计划开工日期", "立项", "用地手续办理", "规划许可", "环评"],
            [
                "XHA-0101",
                "甲",
                "区发展和改革局",
                5000,
                "2026-03-01",
                "2026/3/2",
                "2026.3.3",
                "2026年3月4日",
                datetime.datetime(2026, 3, 5),
            ],
        ]
    )
    result = run(office_clerk, plan, file, apply=True)
    assert result.applied, [str(p) for p in result.problems]
    project = Project.objects.get(code="XHA-0101")
    assert project.started_planned == datetime.date(2026, 3, 1)
    planned = dict(
        Milestone.objects.filter(project=project).values_list("node__code", "planned_date")
    )
    assert planned["project_approval"] == datetime.date(2026, 3, 2)
    assert planned["land_use"] == datetime.date(2026, 3, 3)
    assert planned["planning_permit"] == datetime.date(2026, 3, 4)
    assert planned["environmental_assessment"] == datetime.date(2026, 3, 5)
    assert planned["drawing_review"] is None


@pytest.mark.parametrize(
    "header, cell, yuan",
    [
        ("总投资（万元）", 3500, 3500 * WAN),
        ("总投资(亿元)", 12, 12 * YI),
        ("总投资（亿元）", "1.5", 150_000_000),
        ("总投资（万元）", "12亿", 12 * YI),
        ("总投资(亿元)", "3500万", 3500 * WAN),
        ("总投资", "3,500万元", 3500 * WAN),
        ("总投资万元", 12345.6789, 123_456_789),
    ],
)
def test_amounts_in_wan_or_yi_become_yuan(plan, fgj, office_clerk, header, cell, yuan):
    file = make_workbook([[*HEADERS[:3], header], ["XHA-0102", "乙", "区发展和改革局", cell]])
    result = run(office_clerk, plan, file, apply=True)
    assert result.applied, [str(p) for p in result.problems]
    assert Project.objects.get(code="XHA-0102").investment_yuan == yuan


def test_an_amount_without_any_unit_is_an_error_not_a_guess(plan, fgj, office_clerk):
    file = make_workbook([[*HEADERS[:3], "总投资"], ["XHA-0103", "丙", "区发展和改革局", 3500]])
    result = run(office_clerk, plan, file)
    assert [(p.row, p.column) for p in result.problems] == [(2, "D")]


def test_title_rows_merged_cells_blank_rows_and_footnotes_are_read(plan, fgj, hdjd, office_clerk):
    file = make_workbook(
        [
            ["2026年重大项目计划表"],
            ["填报单位：总指挥部办公室", None, None, "单位：万元"],
            ["序号", "项目编号", "项目名称", "主责单位", "总投资（万元）", "项目类型"],
            [1, "XHA-0201", "一号项目", "区发展和改革局", 20000, "工业项目"],
            [2, "XHA-0202", "二号项目", None, 30000, "基础设施"],
            [],
            [3, "XHA-0203", "三号项目", "黄岛街道", "2亿", "城市更新"],
            ["注：1. 总投资单位为万元；2. 项目类型按工业、基础设施、服务业、城市更新、其他填写。"],
            ["填表人：王办公", None, None, "审核人：李专班"],
        ],
        title="项目清单",
        # The title across the sheet, the lead unit merged down over two projects,
        # a footnote across the sheet.
        merges=["A1:F1", "D4:D5", "A8:F8"],
    )
    result = run(office_clerk, plan, file, apply=True)
    assert result.applied, [str(p) for p in result.problems]
    assert [(p.sheet, p.row, p.key) for p in result.rows] == [
        ("项目清单", 4, "XHA-0201"),
        ("项目清单", 5, "XHA-0202"),
        ("项目清单", 7, "XHA-0203"),
    ]
    projects = {p.code: p for p in Project.objects.select_related("lead_unit")}
    assert projects["XHA-0202"].lead_unit == fgj
    assert projects["XHA-0203"].lead_unit == hdjd
    assert projects["XHA-0203"].investment_yuan == 2 * YI
    assert projects["XHA-0201"].kind == ProjectKind.INDUSTRIAL
    assert projects["XHA-0202"].kind == ProjectKind.INFRASTRUCTURE


def test_a_two_level_header_is_read_from_its_lower_row(plan, fgj, office_clerk):
    file = make_workbook(
        [
            ["项目编号", "项目名称", "主责单位", "总投资（亿元）", "关键节点计划时间", None],
            [None, None, None, None, "立项", "环评"],
            ["XHA-0301", "节点项目", "区发展和改革局", 1, "2026-04-01", "2026-05-01"],
        ],
        merges=["A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:F1"],
    )
    result = run(office_clerk, plan, file, apply=True)
    assert result.applied, [str(p) for p in result.problems]
    milestone = Milestone.objects.get(
        project__code="XHA-0301", node__code="environmental_assessment"
    )
    assert milestone.planned_date == datetime.date(2026, 5, 1)


def test_an_unknown_unit_is_an_error_at_its_sheet_row_and_column_and_nothing_is_written(
    plan, fgj, office_clerk
):
    file = make_workbook(
        [
            ["重大项目表"],
            [*HEADERS, "服务保障单位"],
            ["XHA-0401", "好项目", "区发展和改革局", 100, None],
            ["XHA-0402", "坏项目", "区不存在局", 100, "区发展和改革局、区也不存在局"],
        ],
        title="项目",
    )
    before = ChangeEntry.objects.count()
    result = run(office_clerk, plan, file, apply=True)
    assert not result.applied
    located = [(p.sheet, p.row, p.column, p.header) for p in result.problems]
    assert located == [("项目", 4, "C", "主责单位"), ("项目", 4, "E", "服务保障单位")]
    assert "区不存在局" in result.problems[0].message
    assert " / " not in result.problems[0].message
    assert not Project.objects.exists()
    assert ChangeEntry.objects.count() == before


def test_every_problem_of_every_row_is_collected(plan, fgj, office_clerk):
    file = make_workbook(
        [
            [*HEADERS, "项目类型", "计划开工日期", "纬度"],
            ["XHA-0501", None, "区发展和改革局", -5, "火箭", "2026-13-01", 95],
            ["XHA-0502", "好", "区发展和改革局", 5, "工业", "下个月", 36],
            ["XHA-0501", "重", "区发展和改革局", 5, None, None, None],
        ]
    )
    result = run(office_clerk, plan, file)
    assert sorted((p.row, p.column) for p in result.problems) == [
        (2, "B"),
        (2, "D"),
        (2, "E"),
        (2, "F"),
        (2, "G"),
        (3, "F"),
        (4, "A"),
    ]
    assert result.counts["error"] == 3


def test_a_missing_required_column_is_reported_once_for_the_sheet(plan, office_clerk):
    file = make_workbook([["项目编号", "项目名称", "总投资（万元）"], ["XHA-0601", "甲", 1]])
    result = run(office_clerk, plan, file)
    assert len(result.problems) == 1
    assert result.problems[0].row == 1
    assert "主责单位" in result.problems[0].message


def test_a_file_that_is_not_a_workbook_is_one_clear_problem(plan, office_clerk):
    import io

    # Plain text is read as a .csv file: it has no header.
    result = run(office_clerk, plan, io.BytesIO(b"not a workbook"))
    assert len(result.problems) == 1 and "找不到表头行" in result.problems[0].message
    result = run(office_clerk, plan, io.BytesIO(b"\x00\x01\x02 binary"))
    assert len(result.problems) == 1 and ".xlsx" in result.problems[0].message


def test_a_second_import_of_the_same_sheet_changes_nothing(plan, fgj, hdjd, office_clerk):
    rows = [
        [*HEADERS, "服务保障单位", "立项"],
        ["XHA-0701", "甲", "区发展和改革局", 100, "黄岛街道", "2026-03-01"],
        ["XHA-0702", "乙", "黄岛街道", "1.2亿", None, None],
    ]
    first = run(office_clerk, plan, make_workbook(rows), apply=True)
    assert first.applied and first.counts["create"] == 2
    entries = ChangeEntry.objects.count()
    second = run(office_clerk, plan, make_workbook(rows), apply=True)
    assert second.applied
    assert second.counts["unchanged"] == 2
    assert ChangeEntry.objects.count() == entries
    assert list(Project.objects.get(code="XHA-0701").supporting_units.all()) == [hdjd]


def test_an_update_by_code_changes_only_the_changed_fields_and_logs_them(
    detailed_project, hdjd_project, office_clerk, plan
):
    rows = exported()
    first = rows[1]
    first[column_of(rows, "总投资（万元）")] = "15亿"
    first[column_of(rows, "用地手续办理")] = "2026年4月15日"
    hdjd_version = hdjd_project.version
    result = run(office_clerk, plan, as_file(rows), apply=True)
    assert result.applied, [str(p) for p in result.problems]
    assert result.counts == {"create": 0, "update": 1, "unchanged": 1, "skip": 0, "error": 0}
    [plan_row] = [p for p in result.rows if p.action == "update"]
    assert {c.field for c in plan_row.changes} == {"investment_yuan", "node:land_use"}
    project = Project.objects.get(code="XHA-0001")
    assert project.investment_yuan == 15 * YI
    assert project.sector == "海洋装备" and project.latitude == Decimal("35.960123")
    entry = history_of(project)[0]
    changed = {f for f, _old, _new in entry.changed_fields()}
    assert changed == {"investment_yuan", "version"}
    assert entry.before["investment_yuan"] == 123_456_789
    assert entry.after["investment_yuan"] == 15 * YI
    milestone = Milestone.objects.get(project=project, node__code="land_use")
    assert milestone.planned_date == datetime.date(2026, 4, 15)
    assert history_of(milestone)[0].before["planned_date"] == "2026-03-20"
    assert Project.objects.get(code="XHA-0002").version == hdjd_version


def test_the_lead_unit_named_among_the_supporting_units_is_left_out_with_a_note(
    detailed_project, office_clerk, plan
):
    rows = exported()
    rows[1][column_of(rows, "服务保障单位")] = "区发展和改革局、黄岛街道"
    result = run(office_clerk, plan, as_file(rows))
    assert result.ok
    assert result.rows[0].action == "unchanged"
    assert "区发展和改革局" in result.rows[0].notes[0]


def test_a_refused_row_rolls_back_every_row_and_is_reported_at_its_row(
    fgj_project, plan, fgj, office_clerk, monkeypatch
):
    real = importer_module.do_update_projects

    def refuse(rows, **kwargs):
        raise RowsRefused({0: ValidationError({"investment_yuan": "refused for the test"})})

    monkeypatch.setattr(importer_module, "do_update_projects", refuse)
    file = make_workbook(
        [
            HEADERS,
            ["XHA-0801", "新项目", "区发展和改革局", 100],
            ["XHA-0001", "海洋装备产业园", "区发展和改革局", 200],
        ]
    )
    result = run(office_clerk, plan, file, apply=True)
    assert not result.applied
    assert [(p.row, p.column) for p in result.problems] == [(3, "D")]
    assert not Project.objects.filter(code="XHA-0801").exists()
    monkeypatch.setattr(importer_module, "do_update_projects", real)
    assert run(
        office_clerk,
        plan,
        make_workbook([HEADERS, ["XHA-0801", "新", "区发展和改革局", 1]]),
        apply=True,
    ).applied


def test_the_projects_task_force_may_import_and_a_reporter_may_not(
    plan, fgj, projects_member, fgj_reporter
):
    rows = [HEADERS, ["XHA-0901", "甲", "区发展和改革局", 100]]
    refused = run(fgj_reporter, plan, make_workbook(rows), apply=True)
    assert not refused.applied and len(refused.problems) == 1
    assert run(projects_member, plan, make_workbook(rows), apply=True).applied


def test_a_responsible_person_is_found_by_name_within_the_lead_unit(plan, fgj, hdjd, office_clerk):
    from tests.conftest import make_person

    make_person("fgj_a", "陈一", fgj)
    make_person("hdjd_a", "陈二", hdjd)
    file = make_workbook(
        [
            [*HEADERS, "责任人"],
            ["XHA-1001", "甲", "区发展和改革局", 1, "陈一"],
            ["XHA-1002", "乙", "区发展和改革局", 1, "陈二"],
        ]
    )
    result = run(office_clerk, plan, file)
    assert [(p.row, p.column) for p in result.problems] == [(3, "E")]


def test_the_export_runs_the_same_queries_for_few_or_many_projects(plan, fgj, hdjd, office_clerk):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            headers, rows = project_rows(Project.objects.all())
            produced = list(rows)
        return len(queries), len(produced)

    def add(n, start):
        for i in range(start, start + n):
            project = do_create_project(
                campaign=plan,
                code="XHA-Q{:03d}".format(i),
                name="项目{}".format(i),
                lead_unit=fgj,
                investment_yuan=YI,
                actor=office_clerk,
            )
            project.supporting_units.set([hdjd])

    add(3, 0)
    few, three = count_queries()
    add(40, 3)
    many, forty_three = count_queries()
    assert (three, forty_three) == (3, 43)
    assert few == many <= 4


def test_the_node_matrix_rows_show_planned_actual_and_state(fgj_project, plan, office_clerk):
    Milestone.objects.filter(project=fgj_project, node__code="project_approval").update(
        actual_date=datetime.date(2026, 2, 8), state=MilestoneState.DONE
    )
    nodes = list(plan.key_nodes.order_by("order"))
    with CaptureQueriesContext(connection) as queries:
        headers, rows = node_matrix_rows(Project.objects.all(), nodes)
        [row] = list(rows)
    assert len(queries) <= 3
    assert headers[:2] == ["项目编号", "项目名称"]
    approval = row[headers.index("立项")]
    assert approval.startswith("2026-02-10 / 2026-02-08 / ")
    assert row[headers.index("用地手续办理")].startswith("2026-03-20 / — / ")
