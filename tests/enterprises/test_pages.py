"""The sectors page, the key-enterprise list and page, and the open problems."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.enterprises.fixtures import credit_code
from tests.indicators.conftest import OCTOBER, SEPTEMBER, TODAY
from vanguard.blockers.choices import BlockerState
from vanguard.blockers.models import Blocker
from vanguard.core.money import WAN
from vanguard.enterprises.actions import (
    do_create_enterprise,
    do_record_visit,
    do_submit_enterprise_month,
)
from vanguard.enterprises.models import EnterpriseMonth, Visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def figures(enterprise, other_enterprise, indicators_member):
    """Two enterprises of industry with September and October against last year."""
    for e, values in [
        (enterprise, [(SEPTEMBER, 1100, 1000), (OCTOBER, 1200, 1000)]),
        (other_enterprise, [(SEPTEMBER, 500, 500), (OCTOBER, 400, 500)]),
    ]:
        for month, value, last in values:
            do_submit_enterprise_month(
                e, month, value_yuan=value * WAN, last_year_yuan=last * WAN,
                actor=indicators_member,
            )  # fmt: skip


@pytest.fixture
def problems(enterprise, other_enterprise, hdjd_reporter, indicators_member):
    """An open problem since 1 October at Huangdao, one since 6 November at the other."""
    do_record_visit(
        enterprise, visited_on=datetime.date(2026, 10, 1), visitors="赵街道",
        findings="订单饱满", blockers=["用工缺口200人", "蒸汽管网接入"], actor=hdjd_reporter,
    )  # fmt: skip
    do_record_visit(
        other_enterprise, visited_on=datetime.date(2026, 11, 6), visitors="孙专班",
        blockers=["出口退税慢"], actor=indicators_member,
    )  # fmt: skip


def row_of(content, key, value):
    match = re.search(r'<tr data-{}="{}"[^>]*>(.*?)</tr>'.format(key, value), content, re.S)
    assert match, value
    return match.group(1)


def cell(row, name):
    match = re.search(r'data-cell="{}">(.*?)</td>'.format(name), row, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def test_the_sectors_page_shows_each_sectors_output_against_last_year_and_open_problems(
    login, figures, problems, leader
):
    content = login(leader).get("/indicators/sectors/").content.decode()

    industry = row_of(content, "sector", "工业")
    assert "区工业和信息化局" in industry
    assert "稳链补链" in industry
    # 1100+1200+500+400 = 3200万元 against 3000万元.
    assert cell(industry, "this-year").startswith("3200万元")
    assert cell(industry, "last-year") == "3000万元"
    assert cell(industry, "growth") == "+6.7%"
    assert cell(industry, "guidance") == "8%"
    assert cell(industry, "open") == "3"
    # It feeds the indicator of its name.
    assert "/indicators/industrial_value_added/" in industry


def test_a_reporter_sees_sectors_but_totals_of_their_own_enterprises_only(
    login, figures, problems, hdjd_reporter
):
    content = login(hdjd_reporter).get("/indicators/sectors/").content.decode()

    industry = row_of(content, "sector", "工业")
    assert cell(industry, "this-year").startswith("2300万元")
    assert 'id="partial-note"' in content


def test_the_enterprise_list_shows_latest_month_growth_and_the_oldest_open_problem(
    login, figures, problems, indicators_member, enterprise
):
    content = login(indicators_member).get("/indicators/enterprises/").content.decode()

    row = row_of(content, "enterprise", enterprise.credit_code)
    assert cell(row, "latest") == "1200.00万元 10月"
    assert cell(row, "latest-growth") == "+20.0%"
    assert cell(row, "year-growth") == "+15.0%"
    assert cell(row, "open") == "2"
    assert cell(row, "oldest") == "56"


def test_the_enterprise_list_filters_by_serving_unit_and_sector(
    login, figures, indicators_member, enterprise, other_enterprise, industry
):
    client = login(indicators_member)

    by_unit = client.get("/indicators/enterprises/?unit=hdjd").content.decode()
    assert enterprise.credit_code in by_unit
    assert other_enterprise.credit_code not in by_unit
    by_sector = client.get("/indicators/enterprises/?sector={}".format(industry.pk)).content
    assert other_enterprise.credit_code in by_sector.decode()


def test_the_enterprise_list_takes_the_same_queries_for_many_enterprises(
    login, plan, industry, hdjd, figures, problems, indicators_member
):
    client = login(indicators_member)
    client.get("/indicators/enterprises/")
    with CaptureQueriesContext(connection) as few:
        client.get("/indicators/enterprises/")
    for serial in range(100, 130):
        e = do_create_enterprise(
            plan, name="企业{}".format(serial), credit_code=credit_code(serial), sector=industry,
            serving_unit=hdjd, actor=indicators_member,
        )  # fmt: skip
        do_submit_enterprise_month(e, OCTOBER, value_yuan=WAN, actor=indicators_member)
    with CaptureQueriesContext(connection) as many:
        client.get("/indicators/enterprises/")
    assert len(many) == len(few)


def test_a_reporter_of_another_unit_neither_lists_nor_opens_an_enterprise(
    login, figures, enterprise, fgj_reporter
):
    client = login(fgj_reporter)

    assert enterprise.credit_code not in client.get("/indicators/enterprises/").content.decode()
    assert (
        client.get("/indicators/enterprises/{}/".format(enterprise.credit_code)).status_code == 404
    )
    response = client.post(
        "/indicators/enterprises/{}/".format(enterprise.credit_code),
        {"form": "figure", "month": "2026-10", "value_wan": "1", "revises": "1", "reason": "x"},
    )
    assert response.status_code == 404
    assert (
        EnterpriseMonth.objects.get(enterprise=enterprise, month=OCTOBER).value_yuan == 12_000_000
    )


def test_the_serving_units_reporter_enters_a_month_on_the_enterprise_page(
    login, enterprise, hdjd_reporter
):
    url = "/indicators/enterprises/{}/".format(enterprise.credit_code)
    client = login(hdjd_reporter)
    page = client.get(url).content.decode()
    assert 'id="figure-form"' in page
    assert 'id="enterprise-chart-data"' in page

    response = client.post(
        url, {"form": "figure", "month": "2026-09", "value_wan": "880.5", "last_year_wan": "800"}
    )

    assert response.status_code == 302
    figure = EnterpriseMonth.objects.get(enterprise=enterprise)
    assert (figure.month, figure.value_yuan, figure.last_year_yuan) == (
        SEPTEMBER,
        8_805_000,
        8_000_000,
    )


def test_a_revision_over_someone_elses_shows_their_figure_and_saves_nothing(
    login, enterprise, hdjd_reporter, indicators_member
):
    do_submit_enterprise_month(enterprise, OCTOBER, value_yuan=100 * WAN, actor=hdjd_reporter)
    do_submit_enterprise_month(
        enterprise, OCTOBER, value_yuan=120 * WAN, revises=1, actor=indicators_member
    )
    url = "/indicators/enterprises/{}/".format(enterprise.credit_code)

    response = login(hdjd_reporter).post(
        url,
        {"form": "figure", "month": "2026-10", "value_wan": "90", "revises": "1", "reason": "更正"},
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "version 2" in content
    assert 'name="revises" value="2"' in content
    assert EnterpriseMonth.objects.current().get().value_yuan == 1_200_000
    assert EnterpriseMonth.objects.count() == 2


def test_a_month_not_over_is_not_offered_and_refused(login, enterprise, hdjd_reporter):
    url = "/indicators/enterprises/{}/".format(enterprise.credit_code)
    client = login(hdjd_reporter)

    assert 'value="2026-11"' not in client.get(url).content.decode()
    response = client.post(url, {"form": "figure", "month": "2026-11", "value_wan": "5"})
    assert response.status_code == 404
    assert not EnterpriseMonth.objects.exists()


def test_a_visit_with_problems_is_recorded_on_the_enterprise_page(
    login, enterprise, hdjd_reporter, gxj
):
    url = "/indicators/enterprises/{}/".format(enterprise.credit_code)
    response = login(hdjd_reporter).post(
        url,
        {
            "form": "visit",
            "visited_on": "2026-11-20",
            "visitors": "赵街道、钱科长",
            "findings": "新产线调试中",
            "blockers": "厂区道路破损\n\n天然气配额不足",
            "blocker_unit": gxj.pk,
        },
    )

    assert response.status_code == 302
    assert sorted(Blocker.objects.values_list("title", "unit__code", "raised_on")) == [
        ("厂区道路破损", "gxj", datetime.date(2026, 11, 20)),
        ("天然气配额不足", "gxj", datetime.date(2026, 11, 20)),
    ]
    page = login(hdjd_reporter).get(url).content.decode()
    assert "天然气配额不足" in page


def test_a_visit_in_the_future_shows_the_error_on_its_field(login, enterprise, hdjd_reporter):
    response = login(hdjd_reporter).post(
        "/indicators/enterprises/{}/".format(enterprise.credit_code),
        {"form": "visit", "visited_on": "2026-12-01", "visitors": "赵街道"},
    )
    assert response.status_code == 400
    assert 'data-error-for="visited_on"' in response.content.decode()


def test_open_problems_are_listed_oldest_first_with_their_days_open(
    login, problems, indicators_member
):
    content = login(indicators_member).get("/indicators/enterprises/problems/").content.decode()

    titles = re.findall(r'<tr data-blocker="\d+">.*?<td><a [^>]*>([^<]+)', content, re.S)
    assert titles == ["用工缺口200人", "蒸汽管网接入", "出口退税慢"]
    days = re.findall(r'data-cell="days">(\d+)</td>', content)
    assert days == ["56", "56", "20"]


def test_a_problem_is_resolved_from_the_open_problems_page(
    login, problems, hdjd_reporter, enterprise
):
    blocker = Blocker.objects.get(title="用工缺口200人")
    client = login(hdjd_reporter)

    response = client.post(
        "/indicators/enterprises/problems/{}/resolve/".format(blocker.pk),
        {"resolution": "人社局组织专场招聘会", "next": "/indicators/enterprises/problems/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/indicators/enterprises/problems/"
    blocker.refresh_from_db()
    assert (blocker.state, blocker.resolved_on) == (BlockerState.RESOLVED, TODAY)
    content = client.get("/indicators/enterprises/problems/").content.decode()
    assert 'data-blocker="{}"'.format(blocker.pk) not in content


def test_a_reporter_of_another_unit_cannot_resolve_a_problem_they_do_not_see(
    login, problems, fgj_reporter
):
    blocker = Blocker.objects.get(title="用工缺口200人")
    response = login(fgj_reporter).post(
        "/indicators/enterprises/problems/{}/resolve/".format(blocker.pk), {"resolution": "x"}
    )
    assert response.status_code == 404
    blocker.refresh_from_db()
    assert blocker.state == BlockerState.OPEN


def test_the_task_force_registers_an_enterprise_and_a_bad_code_is_named_on_its_field(
    login, industry, hdjd, indicators_member
):
    client = login(indicators_member)
    data = {
        "name": "青岛港航物流有限公司",
        "credit_code": credit_code(42)[:17] + "0",
        "sector": industry.pk,
        "serving_unit": hdjd.pk,
    }
    if data["credit_code"] == credit_code(42):
        data["credit_code"] = credit_code(42)[:17] + "1"

    refused = client.post("/indicators/enterprises/new/", data)
    assert refused.status_code == 400
    assert re.search(
        r'data-error-for="credit_code">[^<]*does not check out', refused.content.decode()
    )

    data["credit_code"] = credit_code(42).lower()
    created = client.post("/indicators/enterprises/new/", data)
    assert created["Location"] == "/indicators/enterprises/{}/".format(credit_code(42))


def test_the_overview_links_the_sector_and_enterprise_pages(login, plan, leader):
    content = login(leader).get("/indicators/").content.decode()
    for url in (
        "/indicators/sectors/",
        "/indicators/enterprises/",
        "/indicators/enterprises/problems/",
    ):
        assert 'href="{}"'.format(url) in content


def test_the_pages_speak_chinese_until_the_user_switches(
    login, client, settings, enterprise, indicators_member
):
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    content = login(indicators_member).get("/indicators/enterprises/").content.decode()
    assert "统一社会信用代码" in content
    assert "服务单位" in content


def test_figures_and_visits_loaded_without_an_account_still_show(
    login, enterprise, problems, hdjd_reporter
):
    do_submit_enterprise_month(enterprise, OCTOBER, value_yuan=WAN, actor=hdjd_reporter)
    # As the city-scale demo loads them: in bulk, with nobody recorded.
    EnterpriseMonth.objects.update(recorded_by=None)
    Visit.objects.update(recorded_by=None)

    response = login(hdjd_reporter).get(
        "/indicators/enterprises/{}/?month=2026-10".format(enterprise.credit_code)
    )
    assert response.status_code == 200
    assert "system" in response.content.decode()


def workbook_rows(response):
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(response.content)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_the_enterprises_download_as_excel_with_a_column_per_month(
    login, figures, problems, indicators_member, enterprise
):
    response = login(indicators_member).get("/indicators/enterprises/export.xlsx?unit=hdjd")

    rows = workbook_rows(response)
    header = next(r for r in rows if r[0] == "Enterprise")
    body = rows[rows.index(header) + 1 :]
    assert header[4:6] == ["1月", "2月"]
    assert len(body) == 1
    line = dict(zip(header, body[0], strict=True))
    assert line["Unified social credit code"] == enterprise.credit_code
    assert (line["9月"], line["10月"], line["Year so far"]) == (1100, 1200, 2300)
    assert line["Growth (%)"] == 15
    assert (line["Open problems"], line["Oldest open (days)"]) == (2, 56)


def test_the_download_holds_only_what_the_reporter_may_see(
    login, figures, fgj_reporter, enterprise, other_enterprise
):
    rows = workbook_rows(login(fgj_reporter).get("/indicators/enterprises/export.xlsx"))
    codes = {r[1] for r in rows}
    assert other_enterprise.credit_code in codes
    assert enterprise.credit_code not in codes


def test_the_projects_task_force_sees_but_may_not_close_an_enterprises_problem(
    login, plan, fgj, problems, indicators_member
):
    from tests.conftest import make_person
    from vanguard.org.choices import Battle, Role

    projects_member = make_person(
        "tf_projects", "李专班", fgj, Role.TASK_FORCE_MEMBER,
        task_force=plan.task_forces.get(battle=Battle.PROJECTS),
    )  # fmt: skip
    blocker = Blocker.objects.get(title="用工缺口200人")
    client = login(projects_member)

    content = client.get("/problems/").content.decode()
    assert "vg-resolve" not in row_of(content, "blocker", blocker.pk)
    refused = client.post(
        "/indicators/enterprises/problems/{}/resolve/".format(blocker.pk), {"resolution": "x"}
    )
    assert refused.status_code == 403
    blocker.refresh_from_db()
    assert blocker.state == BlockerState.OPEN


def test_the_indicators_task_force_dispatches_an_enterprises_problem_from_the_one_page(
    login, problems, indicators_member, gxj
):
    blocker = Blocker.objects.get(title="蒸汽管网接入")
    client = login(indicators_member)
    row = row_of(client.get("/problems/?source=enterprise").content.decode(), "blocker", blocker.pk)
    assert "青岛海工装备有限公司" in row and "2026-10-01" in row

    response = client.post(
        "/problems/{}/dispatch/".format(blocker.pk), {"unit": gxj.code, "note": "请工信局协调热电"}
    )
    assert response.status_code == 302
    blocker.refresh_from_db()
    assert blocker.unit == gxj
    page = client.get("/indicators/enterprises/{}/".format(blocker.source_object.credit_code))
    assert gxj.name in row_of(page.content.decode(), "blocker", blocker.pk)
