import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from vanguard.calendar.models import DayOverride, HolidayYear
from vanguard.calendar.workdays import WorkCalendar

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("periods", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_json(*args):
    out, _ = run(*args, "--json")
    return json.loads(out)


def test_the_json_for_2025_dekads_lists_36_periods_each_due_on_a_later_working_day():
    rows = run_json("--year", "2025", "--kind", "dekad")
    calendar = WorkCalendar()

    assert len(rows) == 36
    assert all(
        set(row) == {"kind", "label", "start", "end", "due", "due_provisional"} for row in rows
    )
    assert not any(row["due_provisional"] for row in rows)
    assert all(row["kind"] == "dekad" for row in rows)
    assert (rows[0]["label"], rows[0]["start"], rows[0]["end"]) == (
        "2025-01-D1",
        "2025-01-01",
        "2025-01-10",
    )
    for row in rows:
        due = date.fromisoformat(row["due"])
        assert due > date.fromisoformat(row["end"])
        assert calendar.is_working_day(due)
    by_label = {row["label"]: row for row in rows}
    assert by_label["2025-09-D3"]["due"] == "2025-10-09"


def test_the_kind_defaults_to_month():
    rows = run_json("--year", "2025")

    assert [row["label"] for row in rows] == [f"2025-{m:02d}" for m in range(1, 13)]


def test_a_later_due_date_can_be_asked_for():
    rows = run_json("--year", "2025", "--kind", "quarter", "--working-days-after", "3")

    assert rows[2]["due"] == "2025-10-11"


def test_database_overrides_move_due_dates():
    DayOverride.objects.create(date=date(2025, 10, 9), is_working_day=False)

    rows = run_json("--year", "2025", "--kind", "month")

    assert rows[8]["due"] == "2025-10-10"


def test_the_text_table_shows_the_chinese_label_in_aligned_columns():
    out, _ = run("--year", "2025", "--kind", "dekad")
    lines = out.splitlines()

    assert len(lines) == 37
    assert "2025年1月上旬" in lines[1]
    assert "2025-09-D3  2025年9月下旬   2025-09-21  2025-09-30  2025-10-09" in out
    # Every date column starts at the same offset even though the Chinese labels
    # differ in length (2025年9月上旬 vs 2025年10月上旬).
    assert len({line.index("2025-", 11) for line in lines[1:]}) == 1


def test_an_uncovered_year_is_a_command_error_in_chinese_and_english():
    with pytest.raises(
        CommandError, match="2031年的法定节假日安排尚未录入.*2031 is not known.*--provisional"
    ):
        run("--year", "2031")


def test_an_uncovered_year_is_listed_with_provisional_dates_when_asked():
    rows = run_json("--year", "2031", "--kind", "month", "--provisional")

    assert all(row["due_provisional"] for row in rows)
    # April 2031 ends on a Wednesday; May 1st and 2nd (Thursday, Friday) are fixed
    # holidays, so the provisional date is Monday May 5th.
    assert rows[3]["due"] == "2031-05-05"
    # September ends on a Tuesday; October 1st-3rd are fixed holidays: Saturday passes too.
    assert rows[8]["due"] == "2031-10-06"


def test_a_year_before_any_campaign_is_refused():
    with pytest.raises(CommandError, match="1900"):
        run("--year", "1")


def test_a_holiday_year_row_lets_the_command_list_that_year():
    HolidayYear.objects.create(year=2031)
    HolidayYear.objects.create(year=2032)

    rows = run_json("--year", "2031", "--kind", "quarter")

    assert [row["label"] for row in rows] == ["2031-Q1", "2031-Q2", "2031-Q3", "2031-Q4"]


def test_periods_due_in_an_unknown_next_year_get_a_provisional_due_date():
    out, err = run("--year", "2026", "--kind", "month", "--json")
    rows = json.loads(out)

    assert (rows[10]["due"], rows[10]["due_provisional"]) == ("2026-12-01", False)
    # December 31st 2026 is a Thursday, January 1st a fixed holiday: Monday January 4th.
    assert (rows[11]["due"], rows[11]["due_provisional"]) == ("2027-01-04", True)
    assert "2027年的法定节假日安排尚未录入" in err
    assert "暂定" in err


def test_the_table_marks_a_provisional_due_date():
    out, _ = run("--year", "2026", "--kind", "dekad")

    assert "2026-12-D3  2026年12月下旬  2026-12-21  2026-12-31  2027-01-04 暂定" in out
    assert "2026-12-D1  2026年12月上旬  2026-12-01  2026-12-10  2026-12-11\n" in out


def test_entering_the_next_years_holidays_makes_the_date_final():
    # Say the State Council gives New Year's Day a bridge day on Monday January 4th.
    DayOverride.objects.create(date=date(2027, 1, 1), is_working_day=False, name="元旦")
    DayOverride.objects.create(date=date(2027, 1, 4), is_working_day=False, name="元旦")
    HolidayYear.objects.create(year=2027)

    rows = run_json("--year", "2026", "--kind", "month")

    assert (rows[11]["due"], rows[11]["due_provisional"]) == ("2027-01-05", False)


def test_an_unknown_kind_is_rejected():
    with pytest.raises(CommandError, match="invalid choice"):
        run("--year", "2025", "--kind", "fortnight")


@pytest.mark.django_db
def test_periods_use_the_campaigns_report_deadline_for_the_cadence(campaign):
    from vanguard.org.models import ReportDeadline

    ReportDeadline.objects.create(campaign=campaign, cadence="dekad", working_days_after=3)
    out = StringIO()
    call_command(
        "periods",
        "--year",
        "2025",
        "--kind",
        "dekad",
        "--campaign",
        campaign.code,
        "--json",
        stdout=out,
    )
    first = json.loads(out.getvalue())[0]
    # 2025-01-10 is a Friday: Monday 13th, Tuesday 14th, Wednesday 15th.
    assert first["due"] == "2025-01-15"


@pytest.mark.django_db
def test_periods_name_an_unknown_campaign():
    with pytest.raises(CommandError, match="nowhere"):
        call_command("periods", "--year", "2025", "--campaign", "nowhere")
