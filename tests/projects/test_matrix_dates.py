"""Node matrix dates: month-day within the campaign's year, the full date outside it."""

import datetime
import re

from vanguard.projects.actions import do_set_milestone_plan
from vanguard.projects.models import Project
from vanguard.projects.sheets.project_export import node_matrix_rows


def cell_texts(html):
    """The visible text of each node cell of the matrix, in order."""
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(
            r'<td class="text-center small vg-node-[^"]*"[^>]*>(.*?)</td>', html, re.S
        )
    ]


def test_dates_in_another_year_show_their_year_and_every_date_has_a_full_tooltip(
    login, leader, fgj_project, office_clerk
):
    do_set_milestone_plan(
        fgj_project,
        {"land_use": datetime.date(2027, 1, 15), "planning_permit": datetime.date(2025, 12, 30)},
        actor=office_clerk,
    )
    html = login(leader).get("/projects/matrix/").content.decode()
    approval, land_use, permit = cell_texts(html)[:3]
    assert approval == "02-10"  # the campaign's year, 2026
    assert land_use == "2027-01-15"
    assert permit == "2025-12-30"
    assert "立项: 计划 2026-02-10 · 实际 —" in html


def test_the_matrix_sheet_writes_full_dates(fgj_project, plan, office_clerk):
    do_set_milestone_plan(fgj_project, {"land_use": datetime.date(2027, 1, 15)}, actor=office_clerk)
    headers, rows = node_matrix_rows(Project.objects.all(), plan.key_nodes.order_by("order"))
    [row] = list(rows)
    assert row[headers.index("立项")].startswith("2026-02-10 / — / ")
    assert row[headers.index("用地手续办理")].startswith("2027-01-15 / — / ")
