"""Every export of figures states its 数据截至, as the pages do."""

import io

import pytest
from openpyxl import load_workbook

from tests.indicators.conftest import TODAY


def cells(content):
    workbook = load_workbook(io.BytesIO(content))
    return [
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]


@pytest.fixture
def project(plan, fgj, office_clerk):
    from vanguard.core.money import YI
    from vanguard.projects.actions import do_create_project

    return do_create_project(
        campaign=plan, code="XHA-0001", name="海洋装备产业园", lead_unit=fgj,
        investment_yuan=12 * YI, actor=office_clerk,
    )  # fmt: skip


@pytest.mark.parametrize("url", ["/projects/export.xlsx", "/projects/matrix/export.xlsx"])
def test_project_exports_state_when_their_data_is_from(url, login, leader, project):
    text = cells(login(leader).get(url).content)
    assert any(t.startswith("数据截至 ") for t in text)


def test_the_enterprise_export_and_page_state_when_their_figures_are_from(
    login, indicators_member, enterprise, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    client = login(indicators_member)
    url = "/indicators/enterprises/{}/".format(enterprise.credit_code)
    client.post(url, {"form": "figure", "month": "2026-10", "value_wan": "880.5"})
    assert any(
        "数据截至" in t for t in cells(client.get("/indicators/enterprises/export.xlsx").content)
    )
    assert 'id="as-of"' in client.get(url).content.decode()


def test_the_statistics_table_states_when_its_figures_are_from(
    login, tjj_reporter, plan, indicator, area, monkeypatch
):
    from decimal import Decimal

    from tests.indicators.conftest import OCTOBER
    from vanguard.indicators.actions import do_submit_observation

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    do_submit_observation(
        indicator("retail_sales"), area("district"), OCTOBER, actor=tjj_reporter, level=812,
        growth_pct=Decimal("5.1"), today=TODAY,
    )  # fmt: skip
    text = cells(login(tjj_reporter).get("/indicators/export.xlsx?month=2026-10").content)
    assert any(t.startswith("注：数据截至 ") for t in text)
