"""The forecast of cumulative growth (存量、增量支撑), its backtest and its probability."""

import pytest

from vanguard.indicators.forecast import (
    Series,
    backtest,
    calibrate,
    naive,
    probability_above,
    project,
)


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


def test_a_steady_pace_is_carried_to_the_year_end():
    series = cumulative([105] * 10, [100] * 12)
    year_end = project(series, 12)
    assert year_end.growth == pytest.approx(5.0)
    assert year_end.level == pytest.approx(1260)
    assert year_end.base == pytest.approx(1200)
    assert year_end.stock == pytest.approx(210)


def test_a_recent_speed_up_lifts_the_forecast_above_the_year_to_date_growth():
    series = cumulative([102] * 7 + [110] * 3, [100] * 12)
    ytd = series.growth[10]
    year_end = project(series, 12)
    assert ytd < year_end.growth < 10
    # The pace is the mean of the recent single months (10 %) and the year to date.
    assert year_end.pace == pytest.approx((10 + ytd) / 2)


def test_last_years_stored_levels_give_the_seasonal_shape():
    last_year = [100] * 11 + [300]  # a big December last year
    series = cumulative([105] * 10, last_year)
    series.last_year_level = {m: sum(last_year[:m]) for m in range(1, 13)}
    year_end = project(series, 12)
    assert year_end.base == pytest.approx(1400)
    assert year_end.growth == pytest.approx(5.0)


def test_an_increment_adds_to_the_level():
    series = cumulative([105] * 10, [100] * 12)
    with_projects = project(series, 12, increment=12)
    assert with_projects.level == pytest.approx(1272)
    assert with_projects.growth == pytest.approx(6.0)


def test_a_growth_only_indicator_keeps_half_its_recent_slope():
    series = Series(growth={7: 4.0, 8: 4.5, 9: 5.0, 10: 5.5})
    year_end = project(series, 12)
    assert year_end.method == "growth"
    assert year_end.growth == pytest.approx(5.5 + 0.5 * 0.5 * 2)


def test_a_month_already_published_is_not_forecast():
    series = cumulative([105] * 10, [100] * 12)
    assert project(series, 9).method == "published"


def test_the_backtest_measures_errors_by_horizon_and_beats_carrying_forward():
    # Growth that speeds up through the year: carrying the latest growth forward lags.
    rising = cumulative([100 + m for m in range(1, 11)], [100] * 12)
    errors = backtest([rising])
    rows = {row["horizon"]: row for row in errors.summary()}
    assert set(rows) == set(range(1, 9))
    assert rows[1]["n"] == 8
    assert rows[3]["mae"] < rows[3]["naive_mae"]
    assert naive(rising.up_to(5), 8) == pytest.approx(rising.growth[5])


def test_the_spread_falls_back_when_a_horizon_is_not_measured():
    errors = backtest([])
    assert errors.spread(2) == pytest.approx(1.6)


def test_probability_of_reaching_a_threshold():
    assert probability_above(7.0, 6.5, 0.5) == pytest.approx(0.841, abs=0.001)
    assert probability_above(6.5, 6.5, 1.0) == pytest.approx(0.5)
    assert probability_above(5.0, 6.5, 0.5) < 0.01


def test_calibration_keeps_the_recent_pace_where_growth_keeps_rising():
    rising = cumulative([100 + m for m in range(1, 11)], [100] * 12)
    errors = calibrate([rising])
    assert errors.weight > 0


def test_calibration_falls_back_to_carrying_forward_when_recent_months_mislead():
    # Single months that swing up and down around a steady year: the recent pace misleads.
    swinging = cumulative([110, 100] * 5, [100] * 12)
    errors = calibrate([swinging])
    assert errors.weight == 0
    rows = errors.summary()
    assert all(row["mae"] <= row["naive_mae"] + 1e-9 for row in rows)
