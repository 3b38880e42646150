"""A figure entered by form, API or workbook reaches the warnings and the pack at once,
and the pack's table and warnings always tell the same figures.

Retail sales for October: the district at 4.8 %, the city at 4.6 %, the province at
5.2 %, so the district is below the province (a warning naming its growth). Then the
district's figure is revised to 4.9 % through one of the doors.
"""

import io
import re
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.indicators.conftest import OCTOBER, TODAY
from tests.indicators.workbooks import OCTOBER_ROWS, statistics_table
from vanguard.accounts.tokens import do_create_token
from vanguard.indicators.actions import do_submit_observation
from vanguard.supervision.lights import recompute

pytestmark = pytest.mark.django_db

RETAIL = "社会消费品零售总额"


@pytest.fixture(autouse=True)
def _today(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def october(plan, tjj_reporter, indicator, area):
    """October's retail sales in force, and the lights recomputed on them."""
    for level, value, growth in (
        ("district", 800, "4.8"),
        ("city", None, "4.6"),
        ("province", None, "5.2"),
    ):
        do_submit_observation(
            indicator("retail_sales"), area(level), OCTOBER, actor=tjj_reporter,
            level=value, growth_pct=Decimal(growth), today=TODAY,
        )  # fmt: skip
    recompute(plan, today=TODAY)
    return plan


def forecast_warnings(client):
    """The texts of the warnings on retail sales on the forecast page."""
    page = client.get("/indicators/forecast/").content.decode()
    items = re.findall(r'<li [^>]*data-rule="[^"]*"[^>]*>(.*?)</li>', page, re.S)
    return [re.sub(r"<[^>]+>", "", item) for item in items if RETAIL in item]


def pack_rows(client):
    """Retail's line of the Word pack's indicator table and its lines of the warnings table."""
    word = client.get("/indicators/pack.docx?month=2026-10")
    assert word.status_code == 200
    document = Document(io.BytesIO(word.content))
    lines = [[c.text for c in r.cells] for t in document.tables for r in t.rows]
    retail = [line for line in lines if line[0] == RETAIL]
    table = [line for line in retail if len(line) > 3 and line[1] == "1-10月"]
    warnings = [line[2] for line in retail if len(line) == 3]
    return table, warnings, document


def assert_everywhere(client, growth, old):
    """Forecast page and pack both show ``growth``, and nowhere ``old``."""
    on_page = forecast_warnings(client)
    assert on_page and all("{}%".format(growth) in w for w in on_page), on_page
    assert not any("{}%".format(old) in w for w in on_page)
    [table], warnings, _document = pack_rows(client)
    assert table[4] == growth  # the growth column of the pack's table
    assert warnings and all("{}%".format(growth) in w for w in warnings), warnings


def test_a_figure_entered_by_the_form_shows_in_the_warnings_and_the_pack(
    login, october, tjj_reporter, django_capture_on_commit_callbacks
):
    client = login(tjj_reporter)
    assert all("4.8%" in w for w in forecast_warnings(client))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/indicators/retail_sales/enter/",
            {
                "area": "district",
                "month": "2026-10",
                "level": "805",
                "growth_pct": "4.9",
                "revises": "1",
                "reason": "统计局修订",
            },
        )
    assert response.status_code == 302

    assert_everywhere(client, "4.9", "4.8")


def test_a_figure_entered_through_the_api_shows_in_the_warnings_and_the_pack(
    client, october, tjj_reporter, django_capture_on_commit_callbacks
):
    token = {"HTTP_AUTHORIZATION": "Bearer " + do_create_token(tjj_reporter.username)}
    body = {
        "indicator": "retail_sales",
        "area": "district",
        "month": "2026-10",
        "level": 805,
        "growth_pct": 4.9,
        "revises": 1,
        "reason": "统计局修订",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/observations", body, content_type="application/json", **token
        )
    assert response.status_code == 201, response.content

    lights = client.get("/api/v1/lights?kind=indicator", **token).json()["items"]
    [retail] = [light for light in lights if light["subject"] == "retail_sales"]
    assert retail["params"]["growth"] == 4.9
    client.force_login(tjj_reporter)
    assert_everywhere(client, "4.9", "4.8")


def test_a_figure_imported_from_the_statistics_workbook_shows_in_the_warnings_and_the_pack(
    login, october, tjj_reporter, django_capture_on_commit_callbacks
):
    rows = [list(r) for r in OCTOBER_ROWS]
    retail = next(r for r in rows if r[0] == RETAIL)
    retail[2:6] = [805, 4.9, 4.6, 5.2]
    client = login(tjj_reporter)
    upload = statistics_table(rows)
    upload.name = "2026年1-10月主要经济指标.xlsx"
    preview = client.post("/indicators/import/", {"file": upload})
    fields = {
        name: re.search(r'name="{}" value="([^"]*)"'.format(name), preview.content.decode())[1]
        for name in ("token", "campaign", "versions")
    }
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert client.post("/indicators/import/apply/", fields).status_code == 302
    # Every figure of the table is written in one transaction: one recompute for it all.
    assert len(callbacks) == 1

    assert_everywhere(client, "4.9", "4.8")


def test_the_pack_judges_its_warnings_on_the_figures_it_tabulates(
    login, october, tjj_reporter, indicator, area
):
    # Revised without the recompute that follows a commit (as when the job queue is
    # stopped): the stored lights still say 4.8 %.
    do_submit_observation(
        indicator("retail_sales"), area("district"), OCTOBER, actor=tjj_reporter,
        level=805, growth_pct=Decimal("4.9"), revises=1, reason="修订", today=TODAY,
    )  # fmt: skip
    client = login(tjj_reporter)
    assert all("4.8%" in w for w in forecast_warnings(client))

    [table], warnings, document = pack_rows(client)
    assert table[4] == "4.9"
    assert warnings and all("4.9%" in w for w in warnings)
    assert not any("4.8%" in w for w in warnings)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "数据截至" in text

    page = client.get("/indicators/pack/?month=2026-10").content.decode()
    on_page = re.search(r'id="pack-warnings">(.*?)</ul>', page, re.S)[1]
    assert "4.9%" in on_page and "4.8%" not in on_page


def test_a_pack_of_an_earlier_month_warns_on_that_months_figures(
    login, october, tjj_reporter, indicator, area
):
    from tests.indicators.conftest import SEPTEMBER

    for level, growth in (("district", "6.0"), ("city", "4.0"), ("province", "4.5")):
        do_submit_observation(
            indicator("retail_sales"), area(level), SEPTEMBER, actor=tjj_reporter,
            growth_pct=Decimal(growth), today=TODAY,
        )  # fmt: skip
    word = login(tjj_reporter).get("/indicators/pack.docx?month=2026-09")
    lines = [[c.text for c in r.cells] for t in Document(io.BytesIO(word.content)).tables
             for r in t.rows]  # fmt: skip
    # September is above both comparators: no warning on retail sales, and none of
    # October's figures (4.8 % below the province) in a pack of September.
    assert not [line for line in lines if line[0] == RETAIL and len(line) == 3]
    assert [line[4] for line in lines if line[0] == RETAIL and line[1] == "1-9月"] == ["6.0"]


@pytest.mark.parametrize(
    "url",
    [
        "/indicators/",
        "/indicators/retail_sales/",
        "/indicators/forecast/",
        "/indicators/pack/",
    ],
)
def test_every_indicator_page_states_the_moment_of_its_data(login, october, leader, url):
    page = login(leader).get(url).content.decode()
    line = re.search(r'id="as-of">(.*?)</p>', page, re.S)[1]
    assert "数据截至" in line and "尚无数据" not in line


def test_the_forecast_page_states_when_its_warnings_were_judged(login, october, leader):
    page = login(leader).get("/indicators/forecast/").content.decode()
    assert "亮灯截至" in re.search(r'id="as-of">(.*?)</p>', page, re.S)[1]


def test_the_excel_pack_states_the_moment_of_its_data(login, october, leader):
    excel = login(leader).get("/indicators/pack.xlsx?month=2026-10")
    workbook = load_workbook(io.BytesIO(excel.content))
    for sheet in workbook.worksheets:
        top = [c for row in sheet.iter_rows(max_row=3, values_only=True) for c in row if c]
        assert any(str(c).startswith("数据截至") for c in top), sheet.title


def test_an_account_without_a_role_is_told_it_has_no_data_access(login, plan):
    from tests.conftest import make_person

    client = login(make_person("newcomer", "新同事"))
    for url in ("/indicators/", "/indicators/retail_sales/", "/indicators/forecast/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "您的账号尚未分配数据权限，请联系办公室" in response.content.decode()


def test_a_pack_whose_figures_keep_changing_is_refused_not_mixed(
    login, october, leader, monkeypatch
):
    from itertools import count

    from vanguard.indicators import pack

    ticks = count()
    monkeypatch.setattr(pack, "_stamp", lambda campaign: next(ticks))
    response = login(leader).get("/indicators/pack.docx?month=2026-10")
    assert response.status_code == 503
    assert "稍后再试" in response.content.decode()


def test_a_pack_read_while_one_figure_lands_is_read_again(login, october, leader, monkeypatch):
    from vanguard.indicators import pack

    stamps = iter([1, 2, 2, 2])
    monkeypatch.setattr(pack, "_stamp", lambda campaign: next(stamps))
    assert login(leader).get("/indicators/pack.docx?month=2026-10").status_code == 200


@pytest.mark.parametrize("url", ["/indicators/sectors/", "/indicators/enterprises/"])
def test_the_enterprise_pages_state_the_moment_of_their_figures(login, plan, leader, url):
    page = login(leader).get(url).content.decode()
    assert "数据截至" in re.search(r'id="as-of">(.*?)</p>', page, re.S)[1]
