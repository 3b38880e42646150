"""Early warning on indicators (跟踪预警), through the one light engine.

An indicator is judged on its latest figure for the district: against a growth target
whose period holds that month, against the comparators of the relative targets that
cover it (above the province and the city), against its own previous month, and for
data still missing after its due date. The light is the worst rule's; every rule that
fires is kept as a warning naming the indicator, the gap and the rule.
"""

import datetime
from decimal import Decimal

import pytest

from tests.indicators import conftest as indicators_conftest
from vanguard.indicators.choices import ObservationSource
from vanguard.indicators.lights import SubjectKind, indicator_warnings
from vanguard.indicators.models import Observation
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import history, policy_for, recompute
from vanguard.supervision.models import LightState

# The indicators tests' campaign (the statistics bureau linked as responsible unit).
tjj = indicators_conftest.tjj
plan = indicators_conftest.plan
indicator = indicators_conftest.indicator
area = indicators_conftest.area

TODAY = datetime.date(2026, 11, 26)


def month(n):
    return datetime.date(2026, n, 1)


@pytest.fixture
def observe(indicator, area):
    """Record current figures: observe("retail_sales", 10, district=5.0, city=4.0, ...)."""

    def _observe(code, n, **growth_by_area):
        for level, growth in growth_by_area.items():
            Observation.objects.filter(
                indicator=indicator(code), area=area(level), month=month(n)
            ).update(is_current=False)
            version = (
                Observation.objects.filter(
                    indicator=indicator(code), area=area(level), month=month(n)
                ).count()
                + 1
            )
            Observation.objects.create(
                indicator=indicator(code),
                area=area(level),
                month=month(n),
                growth_pct=Decimal(str(growth)),
                version=version,
                source=ObservationSource.DEMO,
            )

    return _observe


def state(indicator_obj):
    return LightState.objects.get(kind=SubjectKind.INDICATOR, object_id=indicator_obj.pk)


def rules_of(indicator_obj):
    return [w["rule"] for w in state(indicator_obj).params["warnings"]]


def test_above_both_comparators_is_green(plan, observe, indicator):
    observe("retail_sales", 10, district=5.0, city=4.0, province=4.5)
    recompute(plan, today=TODAY)
    light = state(indicator("retail_sales"))
    assert (light.light, light.reason) == (Light.GREEN, "on_track")
    assert light.params["warnings"] == []
    assert "5.0" in light.reason_text


def test_a_little_below_a_comparator_is_yellow_and_names_it(plan, observe, indicator):
    observe("retail_sales", 10, district=4.2, city=4.0, province=4.5)
    recompute(plan, today=TODAY)
    light = state(indicator("retail_sales"))
    assert (light.light, light.reason) == (Light.YELLOW, "below_comparator")
    [warning] = light.params["warnings"]
    assert warning["comparator"] == "province"
    assert warning["gap"] == pytest.approx(-0.3)
    assert "山东省" in light.reason_text and "0.3" in light.reason_text


def test_far_below_a_comparator_is_red(plan, observe, indicator):
    observe("retail_sales", 10, district=2.0, city=4.0, province=3.5)
    recompute(plan, today=TODAY)
    light = state(indicator("retail_sales"))
    assert (light.light, light.reason) == (Light.RED, "below_comparator_far")
    assert sorted(rules_of(indicator("retail_sales"))) == [
        "below_comparator_far",
        "below_comparator_far",
    ]
    assert light.params["gap"] == pytest.approx(-2.0)


def test_below_the_quarter_target_is_yellow_then_red(plan, observe, indicator):
    april = datetime.date(2026, 4, 26)
    observe("gdp", 3, district=6.2, city=5.5, province=5.8)
    recompute(plan, today=april)
    light = state(indicator("gdp"))
    assert (light.light, light.reason) == (Light.YELLOW, "below_target")
    assert light.params["target"] == pytest.approx(6.5)
    assert light.params["gap"] == pytest.approx(-0.3)
    assert light.params["target_code"] == "gdp-growth-2026-q1"

    observe("gdp", 3, district=5.2)  # revised down: only the figure in force counts
    recompute(plan, today=april)
    light = state(indicator("gdp"))
    assert (light.light, light.reason) == (Light.RED, "below_target_far")
    # Below the city (5.5) and the province (5.8) too, by less than a point.
    assert rules_of(indicator("gdp")) == [
        "below_target_far",
        "below_comparator",
        "below_comparator",
    ]
    assert [e.to_light for e in history(SubjectKind.INDICATOR, indicator("gdp").pk)] == [
        Light.YELLOW,
        Light.RED,
    ]


def test_a_quarter_target_does_not_judge_later_months(plan, observe, indicator):
    observe("gdp", 9, district=6.0, city=5.5, province=5.8)
    recompute(plan, today=TODAY)
    light = state(indicator("gdp"))
    assert (light.light, light.reason) == (Light.GREEN, "on_track")


def test_a_fall_from_the_previous_month_is_yellow(plan, observe, indicator):
    observe("retail_sales", 9, district=7.0, city=4.0, province=4.0)
    observe("retail_sales", 10, district=4.5, city=4.0, province=4.0)
    recompute(plan, today=TODAY)
    light = state(indicator("retail_sales"))
    assert (light.light, light.reason) == (Light.YELLOW, "falling")
    assert light.params["drop"] == pytest.approx(2.5)
    assert light.params["previous_period"] == "2026-09"


def test_a_small_fall_is_not_a_warning(plan, observe, indicator):
    observe("retail_sales", 9, district=5.0, city=4.0, province=4.0)
    observe("retail_sales", 10, district=4.5, city=4.0, province=4.0)
    recompute(plan, today=TODAY)
    assert state(indicator("retail_sales")).light == Light.GREEN


def test_data_missing_after_its_due_date_is_a_warning(plan, observe, indicator):
    observe("retail_sales", 9, district=5.0, city=4.0, province=4.0)
    recompute(plan, today=TODAY)
    light = state(indicator("retail_sales"))
    assert (light.light, light.reason) == (Light.YELLOW, "data_missing")
    assert light.params["missing_period"] == "2026-10"
    # September's figure is still judged, and October was due in November.
    assert light.params["period"] == "2026-09"
    assert light.params["due"] > "2026-11-01"


def test_data_not_yet_due_is_no_warning(plan, observe, indicator):
    observe("retail_sales", 9, district=5.0, city=4.0, province=4.0)
    recompute(plan, today=datetime.date(2026, 11, 3))
    assert state(indicator("retail_sales")).light == Light.GREEN


def test_a_quarterly_indicator_is_due_only_after_a_quarter(plan, observe, indicator):
    observe("gdp", 9, district=6.0, city=5.5, province=5.8)
    recompute(plan, today=TODAY)
    assert "data_missing" not in rules_of(indicator("gdp"))


def test_an_indicator_without_figures_is_missing_or_grey(plan, indicator):
    recompute(plan, today=TODAY)
    light = state(indicator("retail_sales"))
    assert (light.light, light.reason) == (Light.YELLOW, "data_missing")
    recompute(plan, today=datetime.date(2026, 1, 20))
    light = state(indicator("retail_sales"))
    assert (light.light, light.reason) == (Light.GREY, "no_data")


def test_thresholds_come_from_the_campaign_policy(plan, observe, indicator):
    policy = policy_for(plan)
    policy.indicator_gap_red_points = Decimal("3.0")
    policy.save()
    observe("retail_sales", 10, district=2.0, city=4.0, province=3.5)
    recompute(plan, today=TODAY)
    assert state(indicator("retail_sales")).reason == "below_comparator"


def test_warnings_list_every_rule_that_fires(plan, observe, indicator):
    observe("retail_sales", 9, district=7.0, city=4.0, province=4.0)
    observe("retail_sales", 10, district=3.5, city=4.0, province=3.0)
    recompute(plan, today=TODAY)
    warnings = indicator_warnings(plan)
    mine = [w for w in warnings if w.indicator == indicator("retail_sales")]
    assert [w.rule for w in mine] == ["below_comparator", "falling"]
    assert all(w.text for w in mine)
    assert mine[0].light == Light.YELLOW
    assert mine[0].gap == pytest.approx(-0.5)


def test_growth_level_with_a_comparator_is_not_above_it(plan, observe, indicator):
    observe("retail_sales", 10, district=4.5, city=4.0, province=4.5)
    recompute(plan, today=TODAY)
    light = state(indicator("retail_sales"))
    assert (light.light, light.reason) == (Light.YELLOW, "level_with_comparator")
    assert "山东省" in light.reason_text
