"""The office loads the units' lists from their workbook, and exports them in the same layout."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.lists.conftest import CHECKPOINTS, ITEMS, load, signed_in, workbook
from vanguard.audit.models import ChangeEntry
from vanguard.lists.models import Checkpoint, ListItem

pytestmark = pytest.mark.django_db


def test_a_dry_run_shows_every_row_and_saves_nothing(cast):
    client = signed_in(cast["office"])
    response = client.post("/lists/import/", {"campaign": "xihaian-2026", "file": workbook()})
    assert response.status_code == 200
    assert ListItem.objects.count() == 0
    page = response.content.decode()
    assert "QD-FGJ-01" in page and "QD-HDJD-01" in page


def test_applying_creates_items_and_checkpoints_through_the_change_log(loaded):
    item = ListItem.objects.get(code="QD-FGJ-01")
    assert item.unit == loaded["fgj"]
    assert item.battle == "projects"
    assert item.cadence == "monthly"
    assert item.target_quantity == Decimal(100)
    assert item.responsible_person.name == "钱主任"
    assert Checkpoint.objects.filter(item=item).count() == 4
    milestone = ListItem.objects.get(code="QD-FGJ-02")
    first = Checkpoint.objects.get(item=milestone, period="2026-03-D1")
    assert first.milestone == "完成用地预审"
    # Due on the first working day after the dekad (the campaign's default rule).
    assert first.due_date == datetime.date(2026, 3, 11)
    assert ChangeEntry.objects.filter(object_repr__startswith="QD-FGJ-01").exists()


def test_export_then_import_changes_nothing(loaded):
    client = signed_in(loaded["office"])
    exported = client.get("/lists/export.xlsx?campaign=xihaian-2026")
    assert exported.status_code == 200
    book = load_workbook(io.BytesIO(exported.content))
    assert book.sheetnames == ["清单事项", "节点计划"]
    assert "数据截至" in str(book["清单事项"]["A2"].value)
    before = ChangeEntry.objects.count()
    content = io.BytesIO(exported.content)
    content.name = "导出.xlsx"
    preview, applied = load(client, content)
    counts = preview.context["counts"]
    assert counts["create"] == 0 and counts["update"] == 0 and counts["error"] == 0, counts
    assert counts["unchanged"] == len(ITEMS) + len(CHECKPOINTS)
    assert applied.status_code == 302
    assert ChangeEntry.objects.count() == before


def test_an_edited_export_updates_the_item_it_names(loaded):
    client = signed_in(loaded["office"])
    exported = client.get("/lists/export.xlsx?campaign=xihaian-2026")
    book = load_workbook(io.BytesIO(exported.content))
    sheet = book["清单事项"]
    for row in sheet.iter_rows():
        if row[0].value == "QD-FGJ-01":
            row[8].value = 120
    content = io.BytesIO()
    book.save(content)
    content.seek(0)
    content.name = "改.xlsx"
    preview, applied = load(client, content)
    assert preview.context["counts"]["update"] == 1
    assert applied.status_code == 302
    item = ListItem.objects.get(code="QD-FGJ-01")
    assert item.target_quantity == Decimal(120)
    assert item.version == 2


def test_bad_rows_are_named_by_sheet_row_and_column_in_chinese_and_nothing_is_saved(cast):
    client = signed_in(cast["office"])
    items = [list(row) for row in ITEMS]
    items[2][1] = "黄岛街道办X"  # no such unit
    items[1][7] = "大概"  # no such measure
    points = [list(row) for row in CHECKPOINTS]
    points[0][1] = "2026年3月上旬"  # a dekad for a monthly item
    points[2][3] = 500  # above the target
    response = client.post(
        "/lists/import/", {"campaign": "xihaian-2026", "file": workbook(items, points)}
    )
    page = response.content.decode()
    assert "黄岛街道办X" in page and "清单事项!B5" in page
    assert "清单事项!H4" in page
    assert "节点计划!B2" in page
    assert "节点计划!D4" in page
    # The checkpoints of an item whose row is wrong say so, at their item's code.
    assert "节点计划!A8" in page
    problems = {str(p) for row in response.context["rows"] for p in row["plan"].problems}
    # Said in Chinese: the closest unit's name, the cadence, the target.
    assert any("黄岛街道" in p and "是否" in p for p in problems), problems
    assert any("节点计划!D4" in p and "100" in p for p in problems), problems
    applied = client.post(
        "/lists/import/apply/",
        {"campaign": "xihaian-2026", "token": response.context["token"], "filename": "x.xlsx"},
    )
    assert applied.status_code == 400
    assert ListItem.objects.count() == 0 and Checkpoint.objects.count() == 0


def test_headings_hidden_rows_and_percent_cells_read_as_a_person_sees_them(cast):
    items = [list(row) for row in ITEMS] + [
        [
            "QD-HDJD-02",
            "黄岛街道",
            "城市更新管理重要工作",
            "道路整治完成率",
            "孙书记",
            datetime.date(2026, 12, 31),
            "每月",
            "数量",
            100,
            "%",
        ],
    ]
    points = [list(row) for row in CHECKPOINTS] + [["QD-HDJD-02", "2026年6月", None, 0.5, None]]

    def shape(book):
        sheet = book["清单事项"]
        sheet.insert_rows(3)
        sheet["A3"] = "一、重大项目"
        sheet.append(
            [
                "QD-HIDDEN",
                "黄岛街道",
                "城市更新",
                "不应读入",
                "孙书记",
                datetime.date(2026, 12, 31),
                "每月",
                "数量",
                1,
                "个",
            ]
        )
        sheet.row_dimensions[sheet.max_row].hidden = True
        points = book["节点计划"]
        points.cell(row=points.max_row, column=4).number_format = "0%"

    client = signed_in(cast["office"])
    preview, applied = load(client, workbook(items, points, extra=shape))
    assert applied.status_code == 302, preview.content.decode()[:3000]
    assert not ListItem.objects.filter(code="QD-HIDDEN").exists()
    assert ListItem.objects.count() == 4
    point = Checkpoint.objects.get(item__code="QD-HDJD-02")
    assert point.planned_quantity == Decimal(50)


@pytest.mark.parametrize("who", ["leader", "tf_projects", "reporter_fgj", "inspector"])
def test_only_the_office_loads_and_exports_the_lists(cast, who):
    client = signed_in(cast[who])
    assert client.get("/lists/import/").status_code == 403
    assert client.post("/lists/import/", {"file": workbook()}).status_code == 403
    assert client.get("/lists/export.xlsx").status_code == 403
    assert ListItem.objects.count() == 0
