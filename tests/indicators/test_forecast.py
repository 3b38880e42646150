"""The forecast of cumulative growth (存量、增量支撑): pace, base effect, comparator, odds."""

import pytest

from vanguard.indicators.forecast import (
    QUARTER,
    Method,
    Series,
    naive,
    probability_above,
    project,
    window_start,
)

# Settings spelled out, so these tests do not move when the tuning does.
HALF = Method(weight=0.5, window=3, base_effect=0.0, relation=0.0)


def cumulative(this_year_months, last_year_months):
    """A Series from single-month levels of both years (lists from January)."""
    series = Series()
    level = base = 0.0
    for m, (now, then) in enumerate(zip(this_year_months, last_year_months, strict=False), 1):
        level += now
        base += then
        series.level[m] = level
        series.growth[m] = (level / base - 1) * 100
    return series


def growth_only(single_months):
    """Year-to-date growth of equal months with the given single-month growth (%)."""
    growth, total = {}, 0.0
    for m, rate in enumerate(single_months, 1):
        total += 1 + rate / 100
        growth[m] = (total / m - 1) * 100
    return growth


def test_a_steady_pace_is_carried_to_the_year_end():
    series = cumulative([105] * 10, [100] * 12)
    year_end = project(series, 12, HALF)
    assert year_end.growth == pytest.approx(5.0)
    assert year_end.level == pytest.approx(1260)
    assert year_end.base == pytest.approx(1200)
    assert year_end.stock == pytest.approx(210)


def test_a_recent_speed_up_lifts_the_forecast_above_the_year_to_date_growth():
    series = cumulative([102] * 7 + [110] * 3, [100] * 12)
    ytd = series.growth[10]
    year_end = project(series, 12, HALF)
    assert ytd < year_end.growth < 10
    # The single months of August to October, read from consecutive cumulative figures.
    assert year_end.recent == pytest.approx(10)
    assert year_end.window_start == 7
    assert year_end.pace == pytest.approx((10 + ytd) / 2)


def test_last_years_stored_levels_give_the_seasonal_shape():
    last_year = [100] * 11 + [300]  # a big December last year
    series = cumulative([105] * 10, last_year)
    series.last_year_level = {m: sum(last_year[:m]) for m in range(1, 13)}
    year_end = project(series, 12, HALF)
    assert year_end.base == pytest.approx(1400)
    assert year_end.growth == pytest.approx(5.0)


def test_an_increment_adds_to_the_level():
    series = cumulative([105] * 10, [100] * 12)
    with_projects = project(series, 12, HALF, increment=12)
    assert with_projects.level == pytest.approx(1272)
    assert with_projects.growth == pytest.approx(6.0)


def test_a_growth_only_indicator_reads_its_single_months_from_consecutive_figures():
    # 规上工业增加值: no levels, so every month weighs the same.
    series = Series(growth={9: 5.0, 10: 5.5})
    year_end = project(series, 12, Method(weight=1.0, window=1, base_effect=0, relation=0))
    assert year_end.method == "growth"
    assert year_end.recent == pytest.approx(10 * 5.5 - 9 * 5.0)  # October alone: 10 %
    assert year_end.growth == pytest.approx((10 * 5.5 + 2 * 10) / 12)


def test_a_month_already_published_is_not_forecast():
    series = cumulative([105] * 10, [100] * 12)
    assert project(series, 9).method == "published"


def test_the_recent_months_start_after_a_month_count_or_the_quarters_start():
    months = [2, 3, 4, 5, 6]
    assert window_start(months, 6, 1) == 5
    assert window_start(months, 6, 3) == 3
    assert window_start(months, 5, QUARTER) == 3
    assert window_start(months, 3, QUARTER) == 0  # January and February: from the year's start
    assert window_start([3, 6, 9], 9, 1) == 6  # GDP by quarter: the quarter before


def test_a_month_that_was_weak_last_year_grows_faster_this_year():
    # Last year July fell 10 % (a lockdown); every other month grew 5 %, as this year so far.
    last_year = growth_only([5, 5, 5, 5, 5, 5, -10, 5, 5, 5, 5, 5])
    series = Series(growth=growth_only([5] * 6), last_year_growth=last_year)
    no_base = project(series, 7, Method(weight=0.5, window=3, base_effect=0.0, relation=0))
    full = project(series, 7, Method(weight=0.5, window=3, base_effect=1.0, relation=0))
    half = project(series, 7, Method(weight=0.5, window=3, base_effect=0.5, relation=0))
    assert no_base.growth == pytest.approx(5.0)
    # The two-year mean holds: July grows 1.05 × 1.05 / 0.9 − 1 = 22.5 %.
    assert full.growth == pytest.approx((6 * 1.05 + 1.05 * 1.05 / 0.9) / 7 * 100 - 100)
    assert no_base.growth < half.growth < full.growth
    assert full.last_year_months == [7]
    assert full.base_effect == pytest.approx(full.growth - 5.0)


def test_without_last_years_figures_there_is_no_base_effect():
    series = Series(growth=growth_only([5] * 6))
    projection = project(series, 12, Method(weight=0.5, window=3, base_effect=1.0, relation=0))
    assert projection.growth == pytest.approx(5.0)
    assert projection.base_effect == 0 and projection.last_year_months == []


def test_a_fading_recent_lead_moves_a_far_month_less_than_a_near_one():
    # January to May at 2 %, June at 14 %: the latest month runs 10 points above the year.
    series = Series(growth=growth_only([2, 2, 2, 2, 2, 14]))
    holding = Method(weight=1.0, window=1, base_effect=0, relation=0)
    fading = Method(weight=1.0, window=1, base_effect=0, relation=0, fade=0.5)
    # One month ahead the lead is whole either way.
    assert project(series, 7, fading).growth == pytest.approx(project(series, 7, holding).growth)
    # Then it halves every month: the lead of 10 points over the year to date's 4 % gives
    # July 14 % and August 9 %.
    assert project(series, 8, fading).growth == pytest.approx((6 * 4 + 14 + 9) / 8)
    assert project(series, 8, holding).growth == pytest.approx((6 * 4 + 14 + 14) / 8)


def test_a_fading_base_effect_expects_less_of_a_far_rebound():
    # Last year August fell 10 %; every other month grew 5 %, as this year so far.
    last_year = growth_only([5, 5, 5, 5, 5, 5, 5, -10, 5, 5, 5, 5])
    series = Series(growth=growth_only([5] * 6), last_year_growth=last_year)
    full = Method(weight=0.5, window=3, base_effect=1.0, relation=0)
    fading = Method(weight=0.5, window=3, base_effect=1.0, relation=0, base_fade=0.5)
    # August is two months ahead: half the base effect, i.e. √(1.05 / 0.9) of a 5 % month.
    rebound = 1.05 * (1.05 / 0.9) ** 0.5
    assert project(series, 8, fading).growth == pytest.approx((7 * 1.05 + rebound) / 8 * 100 - 100)
    assert project(series, 8, fading).growth < project(series, 8, full).growth
    # Fading changes nothing when no swing of last year lies ahead.
    assert project(series, 7, fading).growth == pytest.approx(5.0)


def test_the_district_follows_a_share_of_its_comparators_move():
    district = Series(growth=growth_only([5] * 6))
    city = Series(growth=growth_only([4, 4, 4, 4, 4, 10]))  # the city sped up in June
    alone = project(district, 12, Method(weight=0.5, window=1, base_effect=0, relation=0))
    theirs = project(city, 12, Method(weight=0.5, window=1, base_effect=0, relation=0))
    moved = theirs.growth - city.growth[6]
    assert moved > 0
    following = project(
        district, 12, Method(weight=0.5, window=1, base_effect=0, relation=0.5), companion=city
    )
    assert alone.growth == pytest.approx(5.0)
    assert following.relation == pytest.approx(0.5 * moved)
    assert following.growth == pytest.approx(5.0 + 0.5 * moved)


def test_a_comparator_that_has_not_published_the_month_is_not_followed():
    district = Series(growth=growth_only([5] * 6))
    city = Series(growth=growth_only([4] * 5))
    following = project(
        district, 12, Method(weight=0.5, window=1, base_effect=0, relation=1.0), companion=city
    )
    assert following.relation == 0 and following.growth == pytest.approx(5.0)


def test_the_naive_forecast_carries_the_latest_growth_forward():
    rising = cumulative([100 + m for m in range(1, 11)], [100] * 12)
    assert naive(rising.up_to(5), 8) == pytest.approx(rising.growth[5])


def test_probability_of_reaching_a_threshold():
    assert probability_above(7.0, 6.5, 0.5) == pytest.approx(0.841, abs=0.001)
    assert probability_above(6.5, 6.5, 1.0) == pytest.approx(0.5)
    assert probability_above(5.0, 6.5, 0.5) < 0.01
