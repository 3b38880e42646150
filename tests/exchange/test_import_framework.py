"""The import framework with a small importer of units: reading, problems, dry run, apply."""

import io

import pytest
from django.core.exceptions import ValidationError

from tests.exchange.workbooks import make_workbook, read_rows
from vanguard.audit.models import ChangeEntry
from vanguard.exchange.importing import Column, Importer, RowAction, RowPlan
from vanguard.exchange.parsers import choice, integer, parse_date
from vanguard.exchange.xlsx import Sheet, write_workbook
from vanguard.org.actions import do_create_unit
from vanguard.org.choices import UnitKind
from vanguard.org.models import Unit

KIND_WORDS = {UnitKind.DEPARTMENT: "部门", UnitKind.STREET: "街道"}


class UnitImporter(Importer):
    """Creates units through do_create_unit; a code that exists is left as it is."""

    columns = (
        Column("code", "单位代码", ("代码",), required=True, is_key=True),
        Column("name", "单位名称", ("名称",), required=True),
        Column("kind", "单位类型", parser=choice(UnitKind, labels=KIND_WORDS)),
        Column("staff", "人数", parser=integer(minimum=0)),
        Column("since", "成立日期", parser=parse_date),
        Column("remark", "备注说明", informational=True),
    )

    def prepare(self, rows):
        codes = [row.values.get("code") for row in rows]
        self.existing = set(Unit.objects.filter(code__in=codes).values_list("code", flat=True))

    def plan_row(self, row):
        code = row.get("code") or ""
        action = RowAction.UNCHANGED if code in self.existing else RowAction.CREATE
        return RowPlan(row.sheet, row.number, code, action)

    def apply_row(self, plan):
        values = plan.source.values
        do_create_unit(
            code=values["code"],
            name=values["name"],
            kind=values.get("kind") or UnitKind.DEPARTMENT,
            actor=self.actor,
        )

    def field_column(self, field_name):
        return {"code": "code", "name": "name"}.get(field_name, "code")


@pytest.fixture
def units(office_clerk):
    return UnitImporter(actor=office_clerk)


def test_the_header_is_found_below_title_rows_and_rows_keep_their_excel_numbers(units):
    file = make_workbook(
        [
            ["2026年责任单位名单"],
            ["（截至3月1日）"],
            [],
            ["序号", "单位代码", "单位名称", "单位类型", "备注说明"],
            [1, "kjj", "区科技局", "部门", "新设"],
            [],
            [2, "xajd", "辛安街道", "街道", None],
        ],
        merges=["A1:E1"],
    )
    result = units.dry_run(file)
    assert result.ok, [str(p) for p in result.problems]
    assert [(plan.row, plan.key) for plan in result.rows] == [(5, "kjj"), (7, "xajd")]
    assert result.sheets[0].header_row == 4
    assert result.rows[1].source.values["kind"] == UnitKind.STREET
    # 序号 is not a column of this sheet: it is named as ignored; 备注说明 is known.
    assert len(result.notes) == 1 and "序号" in result.notes[0]


def test_merged_cells_give_their_value_to_every_cell_they_cover(units):
    file = make_workbook(
        [
            ["单位代码", "单位类型", "单位名称"],
            ["a1", "街道", "甲街道"],
            ["a2", None, "乙街道"],
            ["a3", None, "丙街道"],
        ],
        merges=["B2:B4"],
    )
    result = units.dry_run(file)
    assert [p.source.values["kind"] for p in result.rows] == [UnitKind.STREET] * 3


def test_footnotes_signatures_and_totals_are_not_data(units):
    file = make_workbook(
        [
            ["单位代码", "单位名称", "人数"],
            ["a1", "甲", 10],
            ["合计", None, 10],
            ["注：人数为在编人数。"],
            ["填表人：王办公", None, "联系电话：0532-1234567"],
            ["说明：以上数据由组织部提供", None, None],
        ],
        merges=["A6:C6"],
    )
    result = units.dry_run(file)
    assert result.ok, [str(p) for p in result.problems]
    assert [p.row for p in result.rows] == [2]


def test_every_problem_names_sheet_row_column_and_header_in_one_language(units):
    file = make_workbook(
        [
            ["单位名称", "单位代码", "人数", "成立日期", "单位类型"],
            [None, "a1", -3, "2026/2/30", "公司"],
            ["乙", "a2", "很多", "2026年1月5日", "部门"],
            ["丙", "a1", 1, None, None],
        ],
        title="单位",
    )
    result = units.dry_run(file)
    found = [(p.sheet, p.row, p.column, p.header) for p in result.problems]
    assert found == [
        ("单位", 2, "A", "单位名称"),
        ("单位", 2, "C", "人数"),
        ("单位", 2, "D", "成立日期"),
        ("单位", 2, "E", "单位类型"),
        ("单位", 3, "C", "人数"),
        ("单位", 4, "B", "单位代码"),
    ]
    assert all(" / " not in p.message for p in result.problems)
    assert "必填项为空" in result.problems[0].message
    assert str(result.problems[0]).startswith("单位!A2 (单位名称): ")
    assert result.counts["error"] == 3


def test_a_sheet_without_the_required_headers_names_what_is_missing(units):
    result = units.dry_run(make_workbook([["单位代码", "人数"], ["a1", 3]]))
    assert len(result.problems) == 1
    assert "单位名称" in result.problems[0].message


def test_the_sheet_with_the_header_is_found_among_others(units):
    file = make_workbook(
        [["说明"], ["本工作簿第二张表为单位名单"]],
        title="封面",
        extra_sheets=[("名单", [["代码", "名称"], ["a1", "甲"]])],
    )
    result = units.dry_run(file)
    assert [(p.sheet, p.row) for p in result.rows] == [("名单", 2)]


def test_an_unreadable_file_is_one_problem(units):
    result = units.dry_run(io.BytesIO(b"PK\x03\x04 not really a zip"))
    assert len(result.problems) == 1


def test_apply_writes_nothing_when_the_dry_run_found_a_problem(units):
    file = make_workbook([["单位代码", "单位名称", "人数"], ["a1", "甲", 1], ["a2", "乙", -1]])
    result = units.apply(file)
    assert not result.applied
    assert not Unit.objects.exists()


def test_apply_writes_every_row_in_one_go(units):
    file = make_workbook([["单位代码", "单位名称"], ["a1", "甲"], ["a2", "乙"]])
    result = units.apply(file)
    assert result.applied
    assert set(Unit.objects.values_list("code", flat=True)) == {"a1", "a2"}


def test_a_row_the_action_refuses_rolls_back_every_row_and_is_reported_at_its_row(units):
    # Two codes, one name: the dry run cannot know; do_create_unit refuses the second.
    file = make_workbook(
        [["单位代码", "单位名称"], ["a1", "甲"], ["a2", "乙"], ["a3", "甲"], ["a4", "丁"]]
    )
    entries = ChangeEntry.objects.count()
    result = units.apply(file)
    assert not result.applied
    assert [(p.row, p.column) for p in result.problems] == [(4, "A")]
    assert result.rows[2].action == RowAction.ERROR
    assert not Unit.objects.exists()
    assert ChangeEntry.objects.count() == entries


def test_an_action_error_on_a_field_is_placed_in_that_fields_column(office_clerk):
    class Refusing(UnitImporter):
        def apply_row(self, plan):
            raise ValidationError({"name": "名称不合规 / name not allowed"})

    file = make_workbook([["单位代码", "单位名称"], ["a1", "甲"]])
    result = Refusing(actor=office_clerk).apply(file)
    assert [(p.row, p.column, p.header) for p in result.problems] == [(2, "B", "单位名称")]


def test_the_writer_puts_a_caption_above_the_header_and_reads_back(units):
    sheet = Sheet(
        title="名单",
        headers=["单位代码", "单位名称", "单位类型"],
        rows=[["a1", "甲", "部门"]],
        caption=["2026年责任单位名单", "黄色列请填写"],
        input_columns=frozenset({2}),
        choices={2: ["部门", "街道"]},
    )
    data = write_workbook([sheet])
    assert read_rows(data)[:3] == [
        ["2026年责任单位名单", None, None],
        ["黄色列请填写", None, None],
        ["单位代码", "单位名称", "单位类型"],
    ]
    result = units.dry_run(io.BytesIO(data))
    assert result.ok and [p.row for p in result.rows] == [4]
