from datetime import date

import pytest

from vanguard.calendar.periods import (
    Period,
    PeriodKind,
    month_periods_between,
    parse_label,
    period_containing,
    periods_between,
    periods_of_year,
)


@pytest.mark.parametrize(
    ("kind", "day", "label", "display_label", "start", "end"),
    [
        ("week", date(2025, 1, 1), "2025-W01", "2025年第1周", date(2024, 12, 30), date(2025, 1, 5)),
        (
            "week",
            date(2021, 1, 3),
            "2020-W53",
            "2020年第53周",
            date(2020, 12, 28),
            date(2021, 1, 3),
        ),
        (
            "dekad",
            date(2025, 1, 10),
            "2025-01-D1",
            "2025年1月上旬",
            date(2025, 1, 1),
            date(2025, 1, 10),
        ),
        (
            "dekad",
            date(2025, 1, 11),
            "2025-01-D2",
            "2025年1月中旬",
            date(2025, 1, 11),
            date(2025, 1, 20),
        ),
        (
            "dekad",
            date(2025, 1, 31),
            "2025-01-D3",
            "2025年1月下旬",
            date(2025, 1, 21),
            date(2025, 1, 31),
        ),
        (
            "dekad",
            date(2024, 2, 29),
            "2024-02-D3",
            "2024年2月下旬",
            date(2024, 2, 21),
            date(2024, 2, 29),
        ),
        (
            "month",
            date(2025, 11, 15),
            "2025-11",
            "2025年11月",
            date(2025, 11, 1),
            date(2025, 11, 30),
        ),
        (
            "quarter",
            date(2025, 2, 14),
            "2025-Q1",
            "2025年第一季度",
            date(2025, 1, 1),
            date(2025, 3, 31),
        ),
        (
            "quarter",
            date(2025, 12, 31),
            "2025-Q4",
            "2025年第四季度",
            date(2025, 10, 1),
            date(2025, 12, 31),
        ),
        ("year", date(2025, 6, 1), "2025", "2025年", date(2025, 1, 1), date(2025, 12, 31)),
    ],
)
def test_a_period_has_a_machine_label_and_a_chinese_label(
    kind, day, label, display_label, start, end
):
    period = period_containing(kind, day)

    assert (period.label, period.display_label) == (label, display_label)
    assert (period.start, period.end) == (start, end)
    assert period.kind is PeriodKind(kind)


def test_the_last_dekad_of_february_is_shorter_than_the_others():
    assert parse_label("2025-02-D3").days == 8
    assert parse_label("2024-02-D3").days == 9
    assert parse_label("2025-01-D3").days == 11
    assert parse_label("2025-01-D1").days == 10


def test_next_and_previous_cross_month_and_year_boundaries():
    assert parse_label("2025-01-D3").next().label == "2025-02-D1"
    assert parse_label("2025-01-D1").previous().label == "2024-12-D3"
    assert parse_label("2025-W52").next().label == "2026-W01"
    assert parse_label("2025-Q1").previous().label == "2024-Q4"
    assert parse_label("2025-12").next().label == "2026-01"
    assert parse_label("2025").next().label == "2026"


def test_a_period_contains_its_first_and_last_day_only():
    period = parse_label("2025-10-D1")

    assert period.contains(date(2025, 10, 1))
    assert period.contains(date(2025, 10, 10))
    assert not period.contains(date(2025, 9, 30))
    assert not period.contains(date(2025, 10, 11))


@pytest.mark.parametrize(
    ("kind", "year", "count"),
    [
        ("week", 2025, 52),
        ("week", 2020, 53),
        ("week", 2026, 53),
        ("dekad", 2025, 36),
        ("month", 2025, 12),
        ("quarter", 2025, 4),
        ("year", 2025, 1),
    ],
)
def test_a_year_has_the_expected_number_of_periods(kind, year, count):
    assert len(periods_of_year(kind, year)) == count


def test_the_weeks_of_a_year_are_its_iso_weeks():
    weeks = periods_of_year(PeriodKind.WEEK, 2025)

    assert weeks[0].start == date(2024, 12, 30)
    assert weeks[-1].label == "2025-W52"
    assert weeks[-1].end == date(2025, 12, 28)


def test_months_between_two_dates_include_the_partial_months_at_both_ends():
    months = month_periods_between(date(2025, 1, 15), date(2025, 3, 2))

    assert [m.label for m in months] == ["2025-01", "2025-02", "2025-03"]
    assert month_periods_between(date(2025, 3, 2), date(2025, 1, 15)) == []


def test_dekads_between_two_dates_in_one_month():
    dekads = periods_between("dekad", date(2025, 5, 5), date(2025, 5, 12))

    assert [d.label for d in dekads] == ["2025-05-D1", "2025-05-D2"]


@pytest.mark.parametrize(
    "label", ["2025-W01", "2020-W53", "2025-01-D1", "2025-12-D3", "2025-01", "2025-Q4", "2025"]
)
def test_parse_label_reads_back_every_kind_of_label(label):
    assert parse_label(label).label == label


@pytest.mark.parametrize(
    "label",
    [
        "",
        "garbage",
        "25-01",
        "2025-1",
        "2025-13",
        "2025-00",
        "2025-W1",
        "2025-W53",
        "2025-W00",
        "2025-01-D4",
        "2025-Q5",
        "2025-Q0",
        " 2025",
        "２０２５",
    ],
)
def test_parse_label_rejects_a_bad_label_and_names_it(label):
    with pytest.raises(ValueError) as excinfo:
        parse_label(label)

    assert repr(label) in str(excinfo.value)


def test_a_period_built_by_hand_must_match_its_kind():
    with pytest.raises(ValueError, match="not a month period"):
        Period(PeriodKind.MONTH, date(2025, 1, 2), date(2025, 1, 31))

    assert Period("month", date(2025, 1, 1), date(2025, 1, 31)) == parse_label("2025-01")
