"""The statistics table's pages: upload, preview, apply, and the download."""

import re
from decimal import Decimal

import pytest

from tests.exchange.workbooks import read_rows
from tests.indicators.conftest import OCTOBER, TODAY
from tests.indicators.workbooks import OCTOBER_ROWS, statistics_table
from vanguard.exchange.xlsx import XLSX_TYPE
from vanguard.indicators.actions import do_submit_observation
from vanguard.indicators.models import Observation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_and_today(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def upload(client, file, name="2026年1-10月主要经济指标.xlsx"):
    file.name = name
    return client.post("/indicators/import/", {"file": file})


def hidden(response, name):
    return re.search(r'name="{}" value="([^"]*)"'.format(name), response.content.decode()).group(1)


def apply(client, preview):
    data = {name: hidden(preview, name) for name in ("token", "campaign", "versions", "filename")}
    return client.post("/indicators/import/apply/", data)


def test_the_statistics_bureau_previews_then_applies_its_table(login, plan, tjj_reporter):
    client = login(tjj_reporter)
    assert client.get("/indicators/import/").status_code == 200

    preview = upload(client, statistics_table())

    assert preview.status_code == 200
    content = preview.content.decode()
    assert 'data-sheet="10月" data-row="8" data-action="create"' in content
    assert "2026年1-10月" in content
    assert not Observation.objects.exists()
    response = apply(client, preview)
    assert response.status_code == 302
    # Applied as a background job; its page shows the counts and leads to the month.
    job = client.get(response["Location"]).content.decode()
    assert 'data-state="applied"' in job and 'data-count="create">新增 5<' in job
    assert "2026年1-10月主要经济指标.xlsx" in job
    assert 'href="/indicators/?month=2026-10" id="job-next"' in job
    assert Observation.objects.current().count() == 15


def test_the_preview_names_each_problem_and_offers_no_apply(login, plan, tjj_reporter):
    rows = [list(r) for r in OCTOBER_ROWS]
    rows[4][2] = "5.1%"
    preview = upload(login(tjj_reporter), statistics_table(rows))
    content = preview.content.decode()
    assert 'data-cell="C8"' in content and "百分数" in content
    assert 'id="apply-button"' not in content


def test_a_figure_revised_after_the_preview_stops_the_apply(
    login, plan, tjj_reporter, indicators_member, indicator, area
):
    do_submit_observation(
        indicator("retail_sales"), area("district"), OCTOBER, actor=tjj_reporter,
        level=800, growth_pct="4.9", today=TODAY,
    )  # fmt: skip
    client = login(tjj_reporter)
    preview = upload(client, statistics_table())
    assert "retail_sales|district|2026-10=1" in hidden(preview, "versions")
    do_submit_observation(
        indicator("retail_sales"), area("district"), OCTOBER, actor=indicators_member,
        level=805, growth_pct="5.0", revises=1, today=TODAY,
    )  # fmt: skip

    response = apply(client, preview)

    job = client.get(response["Location"]).content.decode()
    assert 'data-state="failed"' in job and "未保存任何内容" in job
    assert "第 2 版" in job
    current = Observation.objects.current().get(
        indicator__code="retail_sales", area__level="district"
    )
    assert current.level == Decimal("805.00")
    assert Observation.objects.count() == 2


def test_a_reporter_of_another_unit_cannot_import(login, plan, fgj_reporter):
    client = login(fgj_reporter)
    assert client.get("/indicators/import/").status_code == 403
    assert upload(client, statistics_table()).status_code == 403
    assert not Observation.objects.exists()


def test_anyone_in_the_campaign_downloads_the_months_table(login, plan, tjj_reporter, leader):
    login(tjj_reporter).post("/logout/")
    from vanguard.indicators.sheets.statistics_import import StatisticsTableImporter

    StatisticsTableImporter(actor=tjj_reporter, campaign=plan, today=TODAY).apply(
        statistics_table()
    )
    response = login(leader).get("/indicators/export.xlsx?month=2026-10")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    rows = read_rows(response.content)
    assert rows[0][0] == "2026年1-10月西海岸新区主要经济指标"
    assert rows[1][2] == "1-10月累计"
    assert ["社会消费品零售总额", "亿元", 812.4, 5.1, 4.6, 5.2] in rows


def test_every_month_downloads_as_one_sheet_each(login, plan, leader):
    import io

    from openpyxl import load_workbook

    response = login(leader).get("/indicators/export.xlsx?month=all")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["{}月".format(m) for m in range(1, 11)]
