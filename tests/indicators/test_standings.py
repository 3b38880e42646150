"""On the cockpit and in the API, the growth targets stand on the district's published figures."""

import re

import pytest

from tests.indicators.conftest import TODAY
from tests.indicators.test_pages import figures  # noqa: F401  (the figures entered)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def row(page, code):
    match = re.search(r'<tr data-target="{}">(.*?)</tr>'.format(code), page, re.S)
    assert match, code
    return match.group(1)


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_gdp_target_stands_on_the_districts_latest_growth(login, figures, leader):  # noqa: F811
    page = login(leader).get("/").content.decode()
    gdp = row(page, "gdp-growth-above-province-city-2026")
    actual = text(re.search(r'data-cell="actual">(.*?)</td>', gdp, re.S)[1])
    # 1-9月 6.6 % against the province's 5.6 and the city's 5.8: above both.
    assert "6.6%" in actual and "截至" in actual
    assert 'href="/indicators/gdp/"' in gdp
    assert "达到序时" in text(re.search(r'data-cell="gap">(.*?)</td>', gdp, re.S)[1])


def test_the_main_indicators_target_counts_how_many_are_on_target(login, figures, leader):  # noqa: F811
    page = login(leader).get("/").content.decode()
    main = row(page, "main-indicators-growth-above-province-city-2026")
    assert "项达标" in text(main)


def test_the_api_gives_the_growth_and_its_as_of(login, figures, leader):  # noqa: F811
    one = login(leader).get("/api/v1/targets/xihaian-2026/gdp-growth-above-province-city-2026")
    standing = one.json()["standing"]
    assert float(standing["actual"]) == 6.6
    assert standing["as_of"]
    assert "累计增速" in standing["source"]
