"""Money, the one module: amounts typed in 元/万元/亿元, stored in yuan, shown in 万元/亿元."""

from decimal import Decimal

import pytest

from vanguard.core import money


@pytest.mark.parametrize(
    "typed, unit, yuan",
    [
        ("3500", money.WAN, 35_000_000),
        ("3,500", money.WAN, 35_000_000),
        ("3，500.5", money.WAN, 35_005_000),
        ("１２亿", None, 1_200_000_000),
        ("12亿元", money.WAN, 1_200_000_000),
        ("3500万", money.YI, 35_000_000),
        ("800元", money.WAN, 800),
        ("－20万", None, -200_000),
        ("−0.5", money.WAN, -5_000),
        ("\u200b1 200", money.WAN, 12_000_000),
        (3500.5, money.WAN, 35_005_000),
        (Decimal("0.00005"), money.WAN, 1),
    ],
)
def test_an_amount_is_read_as_offices_type_it(typed, unit, yuan):
    assert money.parse(typed, unit=unit) == yuan


def test_an_amount_without_a_unit_anywhere_is_refused_rather_than_guessed():
    with pytest.raises(money.MoneyError) as error:
        money.parse("3500")
    assert error.value.no_unit


@pytest.mark.parametrize("typed", ["三千万", "12亿多", "1.2.3", ""])
def test_text_that_is_no_amount_is_refused_as_read(typed):
    with pytest.raises(money.MoneyError) as error:
        money.parse(typed, unit=money.WAN)
    assert not error.value.no_unit


def test_a_headers_note_names_its_unit():
    assert money.unit_named("单位：亿元") == money.YI
    assert money.unit_named("万元") == money.WAN
    assert money.unit_named("个") is None


def test_forms_convert_between_wan_and_whole_yuan():
    assert money.to_yuan(Decimal("1234.56")) == 12_345_600
    assert money.to_yuan(Decimal("1.5"), money.YI) == 150_000_000
    assert money.to_yuan(None) is None
    assert money.to_wan(12_000_000) == Decimal("1200")
    assert str(money.to_wan(12_000_000)) == "1200"
    assert str(money.to_wan(12_345_000)) == "1234.5"
    assert money.to_wan(None) is None


def test_a_cell_holds_every_digit_and_a_chart_two_decimals():
    assert money.wan_number(12_000_000) == 1200 and isinstance(money.wan_number(12_000_000), int)
    assert money.wan_number(12_345_678) == 1234.5678
    assert money.wan_number(12_345_678, 2) == 1234.57
    assert money.wan_number(None) is None


def test_amounts_are_shown_in_yi_from_a_hundred_million_up_else_in_wan():
    assert money.format_yuan(1_200_000_000) == "12亿元"
    assert money.format_yuan(350_000_000) == "3.5亿元"
    assert money.format_yuan(39_080_000) == "3908万元"
    assert money.format_yuan(0) == "0万元"
    assert money.format_yuan(None) == ""
    assert money.format_wan(1_200_000_000) == "120000.00万元"
    assert money.format_wan(418_431_000) == "41843.10万元"


def test_a_preview_shows_every_digit_so_a_change_of_one_yuan_is_seen():
    assert money.format_yuan(12_345_678) == "1234.57万元"
    assert money.format_yuan(12_345_678, exact=True) == "1234.5678万元"
    assert money.format_yuan(12_345_679, exact=True) == "1234.5679万元"
    assert money.format_yuan(120_000_000_000, exact=True) == "1200亿元"
