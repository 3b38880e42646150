"""Odds in words: said to the tenth (七成), with the edges of "less than" and "more than"."""

import pytest
from django.utils import translation

from vanguard.indicators.wording import odds_sentence, odds_words, period_words, tenths


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.mark.parametrize(
    ("probability", "words"),
    [
        (0.0, "不到一成"),
        (0.0499, "不到一成"),
        (0.05, "约为一成"),
        (0.149, "约为一成"),
        (0.15, "约为两成"),
        (0.3, "约为三成"),
        (0.349, "约为三成"),
        (0.5, "约为五成"),
        (0.649, "约为六成"),
        (0.65, "约为七成"),
        (0.7, "约为七成"),
        (0.95, "约为九成"),
        (0.9501, "超过九成"),
        (1.0, "超过九成"),
    ],
)
def test_odds_are_said_to_the_nearest_tenth_and_never_as_certain(probability, words):
    assert odds_words(probability) == words


def test_tenths_round_half_up_and_keep_the_edges():
    assert [tenths(p) for p in (0.04, 0.05, 0.25, 0.35, 0.85, 0.95, 0.96)] == [
        0,
        1,
        3,
        4,
        9,
        9,
        10,
    ]


def test_the_sentence_reads_as_the_leader_would_say_it():
    assert odds_sentence(3, 0.7, threshold=6.5) == "按目前走势，一季度增速达到6.5%的可能约为七成。"
    assert odds_sentence(12, 0.02, threshold=7.0) == "按目前走势，全年增速达到7%的可能不到一成。"
    assert (
        odds_sentence(12, 0.31, comparators=["山东省", "青岛市"])
        == "按目前走势，全年增速高于山东省、青岛市的可能约为三成。"
    )


def test_periods_are_named_as_the_statistics_name_them():
    assert [period_words(m) for m in (3, 6, 9, 12, 10)] == [
        "一季度",
        "上半年",
        "前三季度",
        "全年",
        "1-10月",
    ]


def test_the_sentence_in_english():
    with translation.override("en"):
        assert odds_sentence(3, 0.7, threshold=6.5) == (
            "On the present trend, the odds that growth in the first quarter reaches 6.5%"
            " are about seven in ten."
        )
