"""Cell parsers: the ways offices write dates, amounts, numbers, choices and lists."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from vanguard.exchange.parsers import (
    CellError,
    choice,
    decimal,
    integer,
    lines,
    money,
    parse_date,
    text,
    text_list,
)
from vanguard.projects.choices import ProjectKind

MARCH_1 = datetime.date(2025, 3, 1)


@pytest.mark.parametrize(
    "value",
    [
        "2025-03-01",
        "2025-3-1",
        "2025/3/1",
        "2025.3.1",
        "2025年3月1日",
        "2025 年 3 月 1 日",
        "２０２５－０３－０１",
        "2025-03-01 00:00:00",
        datetime.datetime(2025, 3, 1),
        MARCH_1,
        45717,  # Excel's serial number for 2025-03-01, in a cell formatted as a number
    ],
)
def test_a_date_is_read_in_every_form_offices_write_it(value):
    assert parse_date(value) == MARCH_1


@pytest.mark.parametrize("value", ["2025-02-30", "3月1日", "下周一", "2025.13.1", 12, True])
def test_a_date_that_is_not_one_is_an_error_in_the_readers_language_only(value):
    with pytest.raises(CellError) as error:
        parse_date(value)
    assert "日期" in error.value.message and " / " not in error.value.message
    with translation.override("en"), pytest.raises(CellError) as error:
        parse_date(value)
    assert "date" in error.value.message and "日期" not in error.value.message.split("2025年")[0]


@pytest.mark.parametrize(
    "value, note, yuan",
    [
        (3500, "万元", 35_000_000),
        (3500.5, "万元", 35_005_000),
        ("3,500", "万元", 35_000_000),
        (12, "亿元", 1_200_000_000),
        ("1.25", "单位:亿元", 125_000_000),
        ("12亿", "万元", 1_200_000_000),
        ("12亿元", "", 1_200_000_000),
        ("3500万", "亿元", 35_000_000),
        ("3500万元", "", 35_000_000),
        ("800元", "万元", 800),
        (0, "万元", 0),
        (Decimal("0.00005"), "万元", 1),
    ],
)
def test_an_amount_in_wan_or_yi_becomes_whole_yuan(value, note, yuan):
    assert money()(value, note) == yuan


def test_an_amount_with_no_unit_anywhere_is_refused_unless_a_default_is_given():
    with pytest.raises(CellError):
        money()(3500, "")
    assert money(default_unit=10_000)(3500, "") == 35_000_000


@pytest.mark.parametrize("value", [-1, "-3500万", "-0.5"])
def test_a_negative_amount_is_an_error(value):
    with pytest.raises(CellError, match="负数"):
        money()(value, "万元")


@pytest.mark.parametrize("value", ["三千万", "12亿多", "1.2.3"])
def test_an_amount_that_is_not_a_number_is_an_error(value):
    with pytest.raises(CellError):
        money()(value, "万元")


def test_numbers_are_checked_for_range_and_places():
    assert decimal(6, -90, 90)(36.0123456789) == Decimal("36.012346")
    with pytest.raises(CellError):
        decimal(6, -90, 90)(95)
    assert integer()("1,200") == 1200
    assert integer()(12.0) == 12
    with pytest.raises(CellError):
        integer()(12.5)


def test_text_keeps_codes_typed_as_numbers_and_enforces_length():
    assert text()(1001.0) == "1001"
    with pytest.raises(CellError):
        text(3)("四个字符")


def test_a_choice_is_read_by_the_sheets_word_a_synonym_or_the_code():
    parse = choice(
        ProjectKind,
        labels={ProjectKind.INDUSTRIAL: "工业"},
        synonyms={"工业项目": ProjectKind.INDUSTRIAL},
    )
    assert parse("工业") == parse("工业项目") == parse("industrial") == ProjectKind.INDUSTRIAL
    assert parse(" Industrial ") == ProjectKind.INDUSTRIAL
    with pytest.raises(CellError, match="工业"):
        parse("火箭")


def test_lists_split_on_chinese_and_western_separators():
    assert text_list("区发展和改革局、黄岛街道,区财政局；区科技局\n区商务局") == [
        "区发展和改革局",
        "黄岛街道",
        "区财政局",
        "区科技局",
        "区商务局",
    ]


def test_lines_drop_their_numbering():
    assert lines("1. 施工用电\n（2）道路占用\n3、资金不到位\n\n- 手续") == [
        "施工用电",
        "道路占用",
        "资金不到位",
        "手续",
    ]
