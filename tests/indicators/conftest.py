"""A loaded West Coast plan with its indicators, the statistics bureau and its reporter.

Today is fixed at 26 November 2026 in these tests, so "the latest month" is October.
"""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.conftest import make_person
from tests.enterprises.fixtures import (  # noqa: F401  (the pack shows key enterprises)
    enterprise,
    gxj,
    industry,
    other_enterprise,
)
from vanguard.indicators.choices import ObservationSource
from vanguard.indicators.models import Area, Indicator, Observation
from vanguard.org.choices import Battle, Role, UnitKind
from vanguard.org.models import Campaign, Unit

WEST_COAST_PLAN = Path(__file__).resolve().parents[2] / "plans" / "xihaian.yaml"
TODAY = datetime.date(2026, 11, 26)
OCTOBER = datetime.date(2026, 10, 1)
SEPTEMBER = datetime.date(2026, 9, 1)


@pytest.fixture
def tjj(db):
    return Unit.objects.create(code="tjj", name="区统计局", kind=UnitKind.DEPARTMENT)


@pytest.fixture
def plan(tjj):
    """The West Coast plan, loaded after the statistics bureau exists (so it is linked)."""
    call_command("loadplan", str(WEST_COAST_PLAN), verbosity=0)
    return Campaign.objects.get(code="xihaian-2026")


@pytest.fixture
def tjj_reporter(tjj):
    return make_person("reporter_tjj", "钱统计", tjj, Role.UNIT_REPORTER, reporter_unit=tjj)


@pytest.fixture
def indicators_member(plan, tjj):
    return make_person(
        "tf_indicators",
        "孙专班",
        tjj,
        Role.TASK_FORCE_MEMBER,
        task_force=plan.task_forces.get(battle=Battle.INDICATORS),
    )


@pytest.fixture
def indicator(plan):
    """Indicators of the plan by code."""

    def get(code):
        return Indicator.objects.get(campaign=plan, code=code)

    return get


@pytest.fixture
def area(plan):
    """Areas of the plan by level."""

    def get(level):
        return Area.objects.get(campaign=plan, level=level)

    return get


@pytest.fixture
def english(client):
    """Messages in English, for actions, and for pages and the API (the language switch's cookie)."""
    from django.conf import settings
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def steady(indicator, area):
    """Ten months of an indicator growing at a steady rate per area (last year: 100 a month)."""

    def _steady(code, **rate_by_area):
        for level, rate in rate_by_area.items():
            for m in range(1, 11):
                if not indicator(code).published_in(datetime.date(2026, m, 1)):
                    continue
                Observation.objects.create(
                    indicator=indicator(code),
                    area=area(level),
                    month=datetime.date(2026, m, 1),
                    level=Decimal(str(round(100 * m * (1 + rate / 100), 2))),
                    growth_pct=Decimal(str(rate)),
                    source=ObservationSource.DEMO,
                )

    return _steady
