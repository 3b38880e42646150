"""The district demo's sectors, key enterprises, figures, visits and problems."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.indicators.conftest import TODAY
from vanguard.audit.log import verify_chain
from vanguard.blockers.choices import BlockerState
from vanguard.blockers.models import Blocker
from vanguard.enterprises.credit_code import problem
from vanguard.enterprises.models import EnterpriseMonth, KeyEnterprise, Sector, Visit
from vanguard.enterprises.queries import sector_rows
from vanguard.org.models import Campaign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def run_demo(seed):
    call_command("demo", "--scale", "district", "--seed", str(seed), stdout=io.StringIO())


def test_the_demo_has_eight_sectors_and_about_120_enterprises_with_valid_codes():
    run_demo(3)

    sectors = {s.name: s for s in Sector.objects.select_related("responsible_unit", "indicator")}
    assert set(sectors) == {
        "工业",
        "金融业",
        "批发零售",
        "住宿餐饮",
        "房地产",
        "交通运输",
        "信息技术",
        "外贸",
    }
    assert sectors["工业"].responsible_unit.name == "区工业和信息化局"
    assert sectors["工业"].indicator.code == "industrial_value_added"
    codes = list(KeyEnterprise.objects.values_list("credit_code", flat=True))
    assert len(codes) == 120
    assert [c for c in codes if problem(c)] == []
    # A year to October, with last year's months, for every enterprise.
    assert EnterpriseMonth.objects.count() == 120 * 10
    assert not EnterpriseMonth.objects.filter(last_year_yuan__isnull=True).exists()
    assert KeyEnterprise.objects.filter(expectation_yuan__isnull=False).count() > 80
    assert verify_chain().ok


def test_the_demo_visits_raise_problems_some_of_them_still_open():
    run_demo(3)

    assert 45 <= Visit.objects.count() <= 75
    problems = Blocker.objects.filter(source_kind="enterprise", occasion_id__isnull=False)
    # Up to two problems a visit, most visits one or none (0.86 a visit on average).
    assert 30 <= problems.count() <= 70
    still_open = problems.filter(state=BlockerState.OPEN)
    assert 5 <= still_open.count() < problems.count()
    assert not problems.filter(raised_on__gt=TODAY).exists()
    assert not problems.filter(state=BlockerState.RESOLVED, resolution="").exists()


def test_some_demo_sectors_grow_slower_than_their_guidance_target():
    run_demo(3)

    office = get_user_model().objects.get(username="office")
    rows = {r.sector.name: r for r in sector_rows(office, Campaign.objects.get())}
    assert rows["外贸"].gap_to_guidance < 0
    assert rows["信息技术"].gap_to_guidance > 0


def test_the_demo_enterprises_pages_open_for_the_task_force(client):
    run_demo(3)
    client.force_login(get_user_model().objects.get(username="tf_indicators"))
    visited = Visit.objects.select_related("enterprise").order_by("pk").first().enterprise

    for url in (
        "/indicators/sectors/",
        "/indicators/enterprises/",
        "/indicators/enterprises/problems/",
        "/indicators/enterprises/{}/".format(visited.credit_code),
    ):
        assert client.get(url).status_code == 200, url
