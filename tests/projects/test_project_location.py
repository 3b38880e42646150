"""A project's coordinates must lie in the district: the sheet and the actions refuse
others in words, naming the row and column."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.exchange.workbooks import make_workbook
from vanguard.core.money import YI
from vanguard.projects.actions import do_create_project, do_update_project
from vanguard.projects.models import Project
from vanguard.projects.sheets.project_import import ProjectImporter

HEADERS = ["项目编号", "项目名称", "主责单位", "总投资（万元）", "经度", "纬度"]


def test_the_sheet_refuses_a_point_outside_the_district_at_its_row_and_column(
    plan, fgj, office_clerk
):
    file = make_workbook(
        [
            HEADERS,
            ["XHA-0201", "甲", "区发展和改革局", 5000, 120.035, 35.875],
            ["XHA-0202", "乙", "区发展和改革局", 5000, 120.32, 36.065],
            ["XHA-0203", "丙", "区发展和改革局", 5000, 35.875, 120.035],
        ]
    )
    with translation.override("zh-hans"):
        result = ProjectImporter(actor=office_clerk, campaign=plan).dry_run(file)
    problems = [str(p) for p in result.problems]
    assert len(problems) == 2
    assert problems[0].startswith("Sheet1!E3 (经度): 位置（经度 120.32")
    assert "不在青岛西海岸新区范围内" in problems[0]
    # Swapped, the latitude is out of any range: the column says so first.
    assert problems[1].startswith("Sheet1!F4 (纬度)")
    assert not Project.objects.exists()


def test_the_actions_refuse_a_point_outside_and_keep_one_inside(plan, fgj, office_clerk):
    with pytest.raises(ValidationError) as refused:
        do_create_project(
            campaign=plan, code="XHA-0301", name="甲", lead_unit=fgj, investment_yuan=2 * YI,
            actor=office_clerk, longitude="120.32", latitude="36.065",
        )  # fmt: skip
    assert "longitude" in refused.value.message_dict
    project = do_create_project(
        campaign=plan, code="XHA-0302", name="乙", lead_unit=fgj, investment_yuan=2 * YI,
        actor=office_clerk, longitude="120.035", latitude="35.875",
    )  # fmt: skip
    with pytest.raises(ValidationError):
        do_update_project(project, actor=office_clerk, latitude="36.5")
    project.refresh_from_db()
    assert str(project.latitude) == "35.875000"
