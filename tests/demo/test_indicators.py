"""The district demo's year of statistics: plausible, lagging in places, deterministic."""

import io

import pytest
from django.core.management import call_command

from tests.indicators.conftest import TODAY
from vanguard.audit.log import verify_chain
from vanguard.indicators.models import Observation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def run_demo(seed):
    call_command("demo", "--scale", "district", "--seed", str(seed), stdout=io.StringIO())


def figures():
    return {
        (o.indicator.code, o.area.level, o.month.month): (o.level, o.growth_pct)
        for o in Observation.objects.current().select_related("indicator", "area")
    }


def test_the_demo_has_every_month_to_october_for_the_district_city_and_province():
    run_demo(4)
    data = figures()

    retail = [m for (code, area, m) in data if code == "retail_sales" and area == "district"]
    assert sorted(retail) == list(range(1, 11))
    assert {area for (_code, area, _m) in data} == {"district", "city", "province"}
    assert sorted(m for (code, area, m) in data if (code, area) == ("gdp", "district")) == [3, 6, 9]
    # Cumulative levels grow month by month; GDP to September is most of a year's.
    levels = [data[("retail_sales", "district", m)][0] for m in range(1, 11)]
    assert levels == sorted(levels)
    assert 3000 < data[("gdp", "district", 9)][0] < 4500
    assert data[("industrial_value_added", "district", 10)][0] is None
    assert verify_chain().ok


def test_the_demo_lags_in_places_so_warnings_have_something_to_show():
    run_demo(4)
    data = figures()

    # Financial value added misses the first quarter's +10 % target.
    assert data[("finance_value_added", "district", 3)][1] < 10
    # Fixed-asset investment grows slower than the province.
    assert (
        data[("fixed_asset_investment", "district", 10)][1]
        < (data[("fixed_asset_investment", "province", 10)][1])
    )
    # Two figures were revised by the statistics bureau, the old versions kept.
    assert Observation.objects.filter(is_current=False).count() == 2


def test_the_demo_links_the_statistics_bureau_and_its_reporter_enters_figures(client):
    from vanguard.indicators.models import Indicator

    run_demo(4)
    assert set(Indicator.objects.values_list("responsible_unit__code", flat=True)) == {"tjj"}
    response = client.post("/login/", {"username": "reporter_tjj", "password": "Vanguard-2026"})
    assert response.status_code == 302
    assert client.get("/indicators/retail_sales/enter/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_same_seed_gives_the_same_statistics():
    run_demo(9)
    first = figures()
    call_command("flush", "--noinput", verbosity=0)
    run_demo(9)
    assert figures() == first
