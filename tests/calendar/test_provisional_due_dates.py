"""Reports falling due in a year whose holidays are not entered get a provisional date.

December's reports of 2026 fall due in January 2027, before anyone has entered 2027's
holidays: they are due on a provisional date (暂定), late after it, and the date becomes
final when the system administrator enters the year in the admin.
"""

import datetime

import pytest
from django.utils import timezone

from tests.projects.conftest import fgj_project, plan  # noqa: F401
from vanguard.projects.models import DekadReport

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture
def clock(monkeypatch):
    """Set the platform's clock to a moment in Shanghai."""

    def set_to(*args):
        moment = datetime.datetime(*args, tzinfo=SHANGHAI)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


def file_december_report(client):
    response = client.post(
        "/projects/p/XHA-0001/report/",
        {"period": "2026-12-D3", "progress": "主体结构封顶", "investment_wan": "120"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return DekadReport.objects.get(period="2026-12-D3")


def enter_in_admin(client, path, data):
    response = client.post(path, data)
    assert response.status_code == 302, response.content.decode()[:3000]


@pytest.mark.usefixtures("fgj_project")
def test_a_december_report_is_due_on_a_provisional_date_and_late_after_it(
    client, login, fgj_reporter, clock
):
    # Tuesday January 5th 2027: December 31st is a Thursday, January 1st a fixed
    # holiday, so the first working day after the dekad is Monday January 4th.
    clock(2027, 1, 5, 10, 0)
    report = file_december_report(login(fgj_reporter))

    assert (report.due_date, report.due_provisional, report.late) == (
        datetime.date(2027, 1, 4),
        True,
        True,
    )
    page = client.get("/projects/reports/{}/".format(report.pk)).content.decode()
    assert "2027-01-04" in page
    assert "vg-provisional" in page and "暂定" in page
    assert 'badge text-bg-warning">逾期' in page
    api = client.get("/api/v1/reports/{}".format(report.pk)).json()
    assert (api["due_date"], api["due_provisional"], api["late"]) == ("2027-01-04", True, True)


@pytest.mark.usefixtures("fgj_project")
def test_entering_the_years_holidays_in_the_admin_makes_the_date_final(
    client, login, fgj_reporter, sysadmin, clock
):
    clock(2027, 1, 5, 10, 0)
    report = file_december_report(login(fgj_reporter))
    assert report.late

    client.logout()
    login(sysadmin)
    # Say the State Council makes Monday January 4th a bridge day after New Year's Day.
    for day in ["2027-01-01", "2027-01-04"]:
        enter_in_admin(
            client,
            "/admin/calendar/dayoverride/add/",
            {"date": day, "name": "元旦", "note": ""},
        )
    report.refresh_from_db()
    assert report.due_provisional  # the year is not entered as a whole yet
    enter_in_admin(client, "/admin/calendar/holidayyear/add/", {"year": "2027", "note": ""})

    report.refresh_from_db()
    assert (report.due_date, report.due_provisional, report.late) == (
        datetime.date(2027, 1, 5),
        False,
        False,
    )
    client.logout()
    login(fgj_reporter)
    page = client.get("/projects/reports/{}/".format(report.pk)).content.decode()
    assert "2027-01-05" in page
    assert "vg-provisional" not in page
    assert 'badge text-bg-warning">逾期' not in page
    # The change history says why the date moved.
    assert "2027年节假日安排已变更" in page
    assert "截止日期为暂定</span>: 是 → 否" in page


@pytest.mark.usefixtures("plan")
def test_the_office_is_warned_from_november_while_next_years_holidays_are_missing(
    client, login, office_clerk, fgj_reporter, sysadmin, clock
):
    clock(2026, 10, 31, 23, 0)
    login(office_clerk)
    assert "2027年的法定节假日安排尚未录入" not in client.get("/").content.decode()

    clock(2026, 11, 1, 0, 30)
    assert "2027年的法定节假日安排尚未录入" in client.get("/").content.decode()
    client.logout()
    login(fgj_reporter)
    assert "2027年的法定节假日安排尚未录入" not in client.get("/").content.decode()
    client.logout()
    login(sysadmin)
    admin_page = client.get("/admin/calendar/holidayyear/").content.decode()
    assert "2027年的法定节假日安排尚未录入" in admin_page

    enter_in_admin(client, "/admin/calendar/holidayyear/add/", {"year": "2027", "note": ""})
    assert (
        "2027年的法定节假日安排尚未录入"
        not in client.get("/admin/calendar/holidayyear/").content.decode()
    )
    client.logout()
    login(office_clerk)
    assert "2027年的法定节假日安排尚未录入" not in client.get("/").content.decode()


def test_a_year_without_holidays_is_listed_by_the_api_only_when_provisional_is_asked(
    client, login, office_clerk
):
    login(office_clerk)
    refused = client.get("/api/v1/periods?year=2027&kind=month")
    assert refused.status_code == 422
    assert "2027" in refused.json()["message"]

    rows = client.get("/api/v1/periods?year=2027&kind=month&provisional=true").json()
    assert all(row["due_provisional"] for row in rows)
    # April 2027 ends on a Friday; May 1st-2nd fall on the weekend anyway: Monday May 3rd.
    assert rows[3]["due"] == "2027-05-03"
    december = client.get("/api/v1/periods?year=2026&kind=month").json()[11]
    assert (december["due"], december["due_provisional"]) == ("2027-01-04", True)
