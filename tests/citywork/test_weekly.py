"""The weekly summary (周落实) and the third battle's targets, from reports filed through the
pages and the API; the summary as a page, as Excel and as JSON, for what each person sees."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from tests.citywork.conftest import signed_in, token_client
from vanguard.citywork.models import CampaignReport, RenewalReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def week_10(renewal, city_campaign):
    """Week 10: Huangdao street started GX-HD-01 (verified); the housing bureau reported its
    start (waiting); the campaign reported 800 m² (verified)."""
    hdjd = signed_in(renewal["reporter_hdjd"])
    zjj = signed_in(renewal["reporter_zjj"])
    zfj = signed_in(renewal["reporter_zfj"])
    tf = token_client(renewal["tf_citywork"])
    hdjd.post(
        "/city/renewal/p/GX-HD-01/report/",
        {
            "campaign": "xihaian-2026",
            "period": "2026-W10",
            "progress_percent": "5",
            "started_on": "2026-03-03",
        },
    )
    zjj.post(
        "/city/renewal/p/GX-ZJ-01/report/",
        {
            "campaign": "xihaian-2026",
            "period": "2026-W10",
            "progress_percent": "8",
            "started_on": "2026-03-02",
        },
    )
    zfj.post(
        "/city/campaigns/c/cwzz/report/",
        {"campaign": "xihaian-2026", "period": "2026-W10", "quantity": "800"},
    )
    for report in (RenewalReport.objects.get(project__code="GX-HD-01"),):
        tf.post(
            "/api/v1/renewal-reports/{}/verify".format(report.pk),
            {},
            content_type="application/json",
        )
    report = CampaignReport.objects.get()
    tf.post(
        "/api/v1/city-campaign-reports/{}/verify".format(report.pk),
        {},
        content_type="application/json",
    )
    return renewal


def _cells(page, marker):
    row = page.split(marker)[1].split("</tr>")[0]
    cells = {}
    for part in row.split('data-cell="')[1:]:
        name, rest = part.split('"', 1)
        cells[name] = rest.split(">", 1)[1].split("<", 1)[0].strip()
    return cells


def test_the_summary_shows_each_campaign_and_kind_of_the_week(week_10):
    page = signed_in(week_10["tf_citywork"]).get("/city/weekly/?week=2026-W10")
    assert page.status_code == 200
    text = page.content.decode()
    campaign = _cells(text, 'data-campaign="cwzz"')
    assert campaign["planned"] == "1000" and campaign["verified"] == "800"
    assert 'data-campaign="cwzz" data-light="yellow"' in text  # 20 points behind
    old = _cells(text, 'data-kind="old-residential"')
    # GX-HD-01 planned to start 2 March: due, filed and verified; its start counts.
    assert (old["due"], old["filed"], old["checked"]) == ("1", "1", "1")
    assert (old["planned"], old["reported"], old["verified"]) == ("1", "1", "1")
    pipes = _cells(text, 'data-kind="pipe-network"')
    # GX-ZJ-01's start is reported, not yet verified: it does not count.
    assert (pipes["planned"], pipes["reported"], pipes["verified"]) == ("1", "1", "0")
    assert 'data-kind="pipe-network" data-light="red"' in text
    # Week 10's report is due on Monday 9 March.
    assert "2026-03-09" in text


def test_the_summary_downloads_as_excel_with_the_same_figures(week_10):
    response = signed_in(week_10["office"]).get("/city/weekly.xlsx?week=2026-W10")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    campaigns = list(book.worksheets[0].iter_rows(values_only=True))
    row = next(r for r in campaigns if r and r[0] == "拆违治乱攻坚行动")
    assert row[3] == 1000 and row[6] == 800 and row[9] == "黄灯"
    kinds = list(book.worksheets[1].iter_rows(values_only=True))
    row = next(r for r in kinds if r and r[0] == "管网更新")
    assert row[4:7] == (1, 1, 0)


def test_the_summary_as_json_and_a_unit_sees_only_its_own(week_10):
    response = token_client(week_10["reporter_zjj"]).get("/api/v1/city/weekly?week=2026-W10")
    assert response.status_code == 200
    data = response.json()
    assert data["campaigns"] == []  # the campaign is another unit's
    kinds = {k["code"]: k for k in data["kinds"]}
    assert kinds["pipe-network"]["due"] == 1
    assert kinds["old-residential"]["due"] == 0  # Huangdao street's project is not theirs
    assert token_client(week_10["inspector"]).get("/api/v1/city/weekly").status_code == 403


def test_the_battle_page_shows_verified_figures_and_lights(week_10):
    page = signed_in(week_10["leader"]).get("/city/").content.decode()
    started = _cells(page, 'data-target="renewal-started-2026-q1"')
    assert started["verified"] == "1"
    assert 'data-target="renewal-started-2026-q1" data-light="red"' in page  # 1 of 151
    # The API says the same.
    rows = token_client(week_10["leader"]).get("/api/v1/city/targets").json()
    by_code = {r["code"]: r for r in rows}
    assert by_code["renewal-started-2026-q1"]["verified"] == 1
    assert by_code["renewal-implemented-2026"]["verified"] == 1
    assert by_code["city-management-campaigns-2026"]["verified"] == 1
    # A unit's reporter sees their own counts, without the district's lights.
    page = signed_in(week_10["reporter_zjj"]).get("/city/").content.decode()
    assert 'id="partial-view"' in page
    assert _cells(page, 'data-target="renewal-started-2026-q1"')["verified"] == "0"


def test_the_unit_page_lists_what_it_owes(week_10):
    page = signed_in(week_10["reporter_hdjd"]).get("/org/units/hdjd/").content.decode()
    assert "GX-HD-01" in page and "GX-HD-02" in page
    page = signed_in(week_10["reporter_zfj"]).get("/org/units/zfj/").content.decode()
    assert "拆违治乱攻坚行动" in page
    response = token_client(week_10["office"]).get("/api/v1/units/hdjd/owed")
    assert response.status_code == 200, response.content
    kinds = {row["kind"] for row in response.json()["items"]}
    assert "renewal" in kinds


def test_a_week_with_nothing_reported_says_so(week_10):
    page = signed_in(week_10["office"]).get("/city/weekly/?week=2026-W11").content.decode()
    campaign = _cells(page, 'data-campaign="cwzz"')
    assert "未报送" in campaign["reported"] or "未报送" in page
    assert datetime.date(2026, 3, 16).isoformat() in page


@pytest.mark.parametrize(
    ("week", "status", "words"),
    [
        ("2026-W99", 422, "2026-W10"),  # no such week: the refusal shows how to write one
        ("\u0000", 422, "2026年第10周"),
        ("2025-W10", 422, "不在攻坚行动"),  # a real week, outside the campaign
        ("9999-W01", 400, "9999"),  # a year no calendar covers, refused at the door
    ],
)
def test_a_bad_week_is_refused_in_chinese_saying_why(week_10, week, status, words):
    response = token_client(week_10["office"]).get("/api/v1/city/weekly", {"week": week})
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert words in body["message"], body
    if status == 422:
        assert "week" in body["fields"]


def _cockpit_actual(client, code):
    page = client.get("/").content.decode()
    row = page.split('<tr data-target="{}">'.format(code))[1].split("</tr>")[0]
    cell = row.split('data-cell="actual">')[1].split("</td>")[0]
    return " ".join(part.split("<")[0].strip() for part in cell.split(">")).split()[0]


def test_the_cockpit_counts_a_verification_at_once_though_it_keeps_its_standings(week_10):
    """The cockpit keeps the weekly work's standings until something they count changes:
    the next visit reads none of the work again, and a verification shows at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    leader = signed_in(week_10["leader"])
    assert _cockpit_actual(leader, "renewal-started-2026-q1") == "1个"
    with CaptureQueriesContext(connection) as again:
        assert _cockpit_actual(leader, "renewal-started-2026-q1") == "1个"
    assert not [q for q in again.captured_queries if "citywork_renewalproject" in q["sql"]]

    report = RenewalReport.objects.get(project__code="GX-ZJ-01")
    response = token_client(week_10["tf_citywork"]).post(
        "/api/v1/renewal-reports/{}/verify".format(report.pk), {}, content_type="application/json"
    )
    assert response.status_code == 200, response.content.decode()
    assert _cockpit_actual(leader, "renewal-started-2026-q1") == "2个"
