"""On the cockpit and in the API, the growth targets stand on the district's published figures."""

import html
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


def test_the_cockpit_judges_the_targets_it_read_as_a_fresh_read_of_them_would(
    plan,
    figures,  # noqa: F811
    leader,
):
    """The cockpit hands the targets it read to the indicators and the city work; what
    they choose from them is what each would read for itself, month by month."""
    import datetime

    from vanguard.citywork.queries.targets import target_progress
    from vanguard.indicators.queries import applicable_targets
    from vanguard.org.access import restrict
    from vanguard.targets.models import Target

    read = list(
        restrict(Target.objects.filter(campaign=plan), leader).prefetch_related("checkpoints")
    )
    for month in range(1, 13):
        first = datetime.date(plan.year, month, 1)
        chosen = applicable_targets(plan, leader, first, read)
        fresh = applicable_targets(plan, leader, first)
        assert chosen.keys() == fresh.keys()
        for measure, targets in fresh.items():
            assert [t.pk for t in chosen[measure]] == [t.pk for t in targets]
    given = target_progress(plan, leader, TODAY, targets=read)
    alone = target_progress(plan, leader, TODAY)
    assert given and [(r.target.pk, r.actual, r.expected, r.light) for r in given] == [
        (r.target.pk, r.actual, r.expected, r.light) for r in alone
    ]


def test_the_api_and_the_cockpit_give_every_indicator_target_the_same_standing(
    login,
    figures,  # noqa: F811
    leader,
):
    client = login(leader)
    page = client.get("/").content.decode()
    listed = client.get("/api/v1/targets?campaign=xihaian-2026&battle=indicators&page_size=100")
    assert listed.status_code == 200, listed.content.decode()
    items = listed.json()["items"]
    assert items
    for item in items:
        standing = item["standing"]
        shown = row(page, item["code"])
        # The row's first cell opens with its light's dot.
        assert re.findall(r"vg-light-(\w+)", shown)[0] == standing["light"], item["code"]
        # The actual figure links to what it counts, named in its title.
        assert html.unescape(standing["source"]) in html.unescape(shown), item["code"]


def test_a_revised_figure_shows_on_the_cockpit_at_once_though_it_keeps_its_standings(
    login,
    figures,  # noqa: F811
    leader,
    indicators_member,
):
    """The growth targets' standings are kept until a figure changes: the next visit reads
    no figure again, and a revision entered through the API shows at once."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from vanguard.accounts.tokens import do_create_token

    client = login(leader)
    code = "gdp-growth-above-province-city-2026"

    def actual():
        gdp = row(client.get("/").content.decode(), code)
        return text(re.search(r'data-cell="actual">(.*?)</td>', gdp, re.S)[1])

    assert "6.6%" in actual()
    with CaptureQueriesContext(connection) as again:
        assert "6.6%" in actual()
    assert not [q for q in again.captured_queries if "indicators_observation" in q["sql"]]

    body = {"indicator": "gdp", "area": "district", "month": "2026-09", "level": "3660"}
    body.update(growth_pct="7.1", revises=1, reason="统计局修订")
    response = Client().post(
        "/api/v1/observations", body, content_type="application/json",
        HTTP_AUTHORIZATION="Bearer " + do_create_token(indicators_member.username),
    )  # fmt: skip
    assert response.status_code in (200, 201), response.content.decode()
    assert "7.1%" in actual()
