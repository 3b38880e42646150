"""The forecast page and the monthly pack say the odds in words, the likely range and the basis.

The figures go in through the API as the statistics bureau enters them, last year's
months included (they give the forecast its base effect); then the page, the pack and
its Word and Excel files are opened by every role that may see them.
"""

import io

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from tests.indicators.conftest import TODAY
from vanguard.accounts.tokens import do_create_token

pytestmark = pytest.mark.django_db

PAGES = ["/indicators/forecast/", "/indicators/pack/?month=2026-10"]


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def growth_of(single_months):
    """Year-to-date growth (%) of equal months with these single-month growth rates."""
    growth, total = [], 0.0
    for m, rate in enumerate(single_months, 1):
        total += 1 + rate / 100
        growth.append(round((total / m - 1) * 100, 2))
    return growth


def enter(reporter, rows):
    token = "Bearer " + do_create_token(reporter.username)
    for area, month, level, growth in rows:
        body = {"indicator": "retail_sales", "area": area, "month": month, "growth_pct": growth}
        if level is not None:
            body["level"] = level
        response = Client().post(
            "/api/v1/observations", body, content_type="application/json",
            HTTP_AUTHORIZATION=token,
        )  # fmt: skip
        assert response.status_code in (200, 201), response.content.decode()


@pytest.fixture
def retail_figures(plan, tjj_reporter):
    """Retail sales of 2025 (a weak July) and of January to October 2026, by the API."""
    last_year = growth_of([5, 5, 5, 5, 5, 5, -10, 5, 5, 5, 5, 5])
    this_year = growth_of([6] * 10)
    rows = [("district", "2025-{:02d}".format(m), 95 * m, g) for m, g in enumerate(last_year, 1)]
    rows += [
        ("district", "2026-{:02d}".format(m), round(100 * m * (1 + g / 100), 2), g)
        for m, g in enumerate(this_year, 1)
    ]
    rows += [("city", "2026-{:02d}".format(m), None, 4.0) for m in range(1, 11)]
    rows += [("province", "2026-{:02d}".format(m), None, 4.5) for m in range(1, 11)]
    enter(tjj_reporter, rows)


def browser(user):
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def projects_member(plan, fgj):
    from tests.conftest import make_person
    from vanguard.org.choices import Battle, Role

    task_force = plan.task_forces.get(battle=Battle.PROJECTS)
    return make_person("tf_projects", "李专班", fgj, Role.TASK_FORCE_MEMBER, task_force=task_force)


@pytest.fixture
def every_role(
    office_clerk,
    leader,
    indicators_member,
    projects_member,
    tjj_reporter,
    fgj_reporter,
    hdjd_reporter,
    inspector,
):
    return [
        office_clerk,
        leader,
        indicators_member,
        projects_member,
        tjj_reporter,
        fgj_reporter,
        hdjd_reporter,
        inspector,
    ]


def test_the_page_and_the_pack_say_the_odds_in_words_for_every_role_that_sees_them(
    retail_figures, every_role
):
    from docx import Document
    from openpyxl import load_workbook

    for user in every_role:
        client = browser(user)
        for url in PAGES:
            response = client.get(url)
            assert response.status_code == 200, (user.username, url)
            page = response.content.decode()
            # Growing 6 % against 4 % and 4.5 %: ahead of both comparators, said in tenths.
            assert "按目前走势，全年增速高于山东省、青岛市的可能" in page, (user.username, url)
            assert "八成" in page  # the likely range holds eight in ten of the backtest's errors
            # What it rests on: this year's months, last year's months, the published backtest.
            assert "本年1-10月" in page and "上年1-12月" in page, (user.username, url)
            assert "published-growth-2022-2023.csv" in page
        method = client.get("/indicators/forecast/").content.decode()
        assert "只用2022年调参、在2023年检验" in method
        assert 'id="odds-in-words"' in method and 'id="backtest"' in method

        word = client.get("/indicators/pack.docx?month=2026-10")
        assert word.status_code == 200, user.username
        text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
        assert "按目前走势，全年增速高于山东省、青岛市的可能" in text
        assert "上年1-12月" in text and "只用2022年调参" in text

        excel = client.get("/indicators/pack.xlsx?month=2026-10")
        workbook = load_workbook(io.BytesIO(excel.content))
        cells = [
            str(c) for ws in workbook.worksheets for r in ws.iter_rows(values_only=True) for c in r
        ]
        assert any("按目前走势" in c for c in cells), user.username
        assert any(c.startswith("约为") or c in ("不到一成", "超过九成") for c in cells)


def test_an_administrator_sees_neither_the_page_nor_the_pack(retail_figures, sysadmin):
    client = browser(sysadmin)
    for url in [*PAGES, "/indicators/pack.docx", "/indicators/pack.xlsx"]:
        assert client.get(url).status_code == 403, url


def test_the_base_effect_of_last_years_weak_july_is_on_the_api(retail_figures, indicators_member):
    token = "Bearer " + do_create_token(indicators_member.username)
    forecasts = Client().get("/api/v1/forecasts", HTTP_AUTHORIZATION=token).json()
    retail = next(f for f in forecasts if f["indicator"] == "retail_sales")
    assert retail["latest_month"] == 10
    assert "上年1-12月" in retail["basis_text"]
    [target] = [t for t in retail["targets"] if t["target"].startswith("main-indicators")]
    assert target["odds_text"].startswith("按目前走势")
    assert target["band_low"] < retail["year_end"]["growth"] < target["band_high"]
    assert target["caution"] == ""  # two months ahead the backtest has plenty of forecasts


def test_without_last_years_figures_the_basis_says_there_is_no_base_effect(
    plan, indicators_member, steady
):
    steady("retail_sales", district=3.0, city=4.0, province=4.5)
    client = Client()
    client.force_login(indicators_member)
    page = client.get("/indicators/forecast/").content.decode()
    assert "没有上年数据，未计基数效应" in page


def test_odds_further_ahead_than_the_held_out_year_supports_are_a_rough_guide(
    plan, tjj_reporter, indicators_member
):
    from docx import Document

    # Only January to March are in: the year end is 9 months ahead, past the 7 months
    # ahead up to which the method beat carrying forward on the year it was not tuned on.
    rows = [("district", "2026-{:02d}".format(m), round(106.0 * m, 2), 6.0) for m in (1, 2, 3)]
    for area in ("city", "province"):
        rows += [(area, "2026-{:02d}".format(m), None, 4.0) for m in (1, 2, 3)]
    enter(tjj_reporter, rows)
    said = (
        "在未参与调参的年份检验，本方法只在提前7个月以内胜过沿用最新累计增速，"
        "提前9个月的可能性仅供参考。"
    )

    client = browser(indicators_member)
    page = client.get("/indicators/forecast/").content.decode()
    assert said in page
    assert "因此只在提前7个月以内作为依据，更远的可能性标注为仅供参考" in page
    word = client.get("/indicators/pack.docx?month=2026-03")
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert said in text

    token = "Bearer " + do_create_token(indicators_member.username)
    forecasts = Client().get("/api/v1/forecasts", HTTP_AUTHORIZATION=token).json()
    retail = next(f for f in forecasts if f["indicator"] == "retail_sales")
    assert retail["latest_month"] == 3
    [year] = [t for t in retail["targets"] if t["target"].startswith("main-indicators")]
    assert year["caution"] == said
