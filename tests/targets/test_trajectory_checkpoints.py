"""The trajectory of a target (以月保季、以季保年): month and quarter checkpoints."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vanguard.targets.trajectory import plan_checkpoints

YEAR = {"start": date(2026, 1, 1), "end": date(2026, 12, 31)}
Q1 = {"start": date(2026, 1, 1), "end": date(2026, 3, 31)}


def by_label(checkpoints):
    """Checkpoints as {period label: value}."""
    return {c.label: c.value for c in checkpoints}


def test_a_year_count_target_has_twelve_months_and_four_quarters():
    checkpoints = plan_checkpoints(kind="count", value=Decimal(230), **YEAR)

    assert [c.period_kind for c in checkpoints].count("month") == 12
    assert [c.period_kind for c in checkpoints].count("quarter") == 4
    assert checkpoints[-1].end_date == date(2026, 12, 31)


def test_a_count_target_without_pins_grows_in_a_straight_line_by_days():
    values = by_label(plan_checkpoints(kind="count", value=Decimal(365), **YEAR))

    assert values["2026-01"] == Decimal("31.00")
    assert values["2026-Q1"] == Decimal("90.00")
    assert values["2026-06"] == Decimal("181.00")
    assert values["2026-12"] == Decimal("365.00")


def test_a_pin_bends_the_line_at_its_period_end():
    values = by_label(
        plan_checkpoints(kind="count", value=Decimal(230), pins={"2026-Q1": Decimal(100)}, **YEAR)
    )

    assert values["2026-01"] == Decimal("34.44")  # 100 × 31/90
    assert values["2026-Q1"] == values["2026-03"] == Decimal("100.00")
    assert values["2026-06"] == Decimal("143.02")  # 100 + 130 × 91/275
    assert values["2026-12"] == Decimal("230.00")


def test_a_quarter_target_has_its_three_months_and_the_quarter():
    values = by_label(plan_checkpoints(kind="count", value=Decimal(100), **Q1))

    assert values == {
        "2026-01": Decimal("34.44"),
        "2026-02": Decimal("65.56"),
        "2026-03": Decimal("100.00"),
        "2026-Q1": Decimal("100.00"),
    }


def test_a_growth_target_holds_its_rate_at_every_checkpoint():
    checkpoints = plan_checkpoints(kind="growth", value=Decimal("6.5"), **Q1)

    assert {c.value for c in checkpoints} == {Decimal("6.50")}
    assert len(checkpoints) == 4


def test_a_relative_target_has_no_checkpoints():
    assert plan_checkpoints(kind="relative", value=None, **YEAR) == []


def test_a_pin_outside_the_period_is_refused():
    with pytest.raises(ValueError, match="不在"):
        plan_checkpoints(kind="count", value=Decimal(100), pins={"2026-Q2": Decimal(50)}, **Q1)


def test_a_pin_that_makes_the_line_fall_is_refused():
    with pytest.raises(ValueError, match="下降"):
        plan_checkpoints(kind="count", value=Decimal(100), pins={"2026-Q1": Decimal(150)}, **YEAR)


@st.composite
def count_targets(draw):
    """A count value and pins at month ends that never fall and never pass the value."""
    value = draw(st.integers(min_value=0, max_value=10**9))
    months = sorted(draw(st.sets(st.integers(min_value=1, max_value=11), max_size=6)))
    amounts = sorted(
        draw(st.lists(st.integers(0, value), min_size=len(months), max_size=len(months)))
    )
    pins = {f"2026-{m:02d}": Decimal(a) for m, a in zip(months, amounts, strict=True)}
    return Decimal(value), pins


@given(count_targets())
def test_checkpoints_never_fall_hit_the_pins_and_end_at_the_value(target):
    value, pins = target

    checkpoints = plan_checkpoints(kind="count", value=value, pins=pins, **YEAR)

    for kind in ("month", "quarter"):
        values = [c.value for c in checkpoints if c.period_kind == kind]
        assert values == sorted(values)
        assert values[-1] == value
        assert all(0 <= v <= value for v in values)
    months = by_label(checkpoints)
    for label, pinned in pins.items():
        assert months[label] == pinned
