"""The bulletin's scoring rule: a checked file, stored as versions; scoring and ranking."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from vanguard.supervision.bulletins.rules import InvalidRule, parse_rule
from vanguard.supervision.bulletins.scoring import rank_units, score_unit
from vanguard.supervision.models import ScoringRule

RULE = """\
title: 测试评分规则
total: 100
items:
  green_share:
    label: 事项绿灯率
    points: 60
    numerator: lights_green
    denominator: lights_judged
    threshold: 0.8
    per_point_below: 1
  reports_on_time:
    label: 旬报按时报送率
    points: 40
    numerator: reports_on_time
    denominator: reports_due
    threshold: 1
    per_point_below: 0.5
deductions:
  reports_missing: {points: 2, cap: 6}
  talks: {points: 5}
  orders_unanswered: {points: 1}
deduction_cap: 10
bonuses:
  reports_certified: {points: 1, cap: 3}
groups:
  departments: {label: 区直部门, kinds: [department]}
  towns: {label: 镇街, kinds: [street]}
min_sample: {fact: lights_judged, at_least: 2}
red_list:
  top: 1
  condition: {fact: lights_red, at_most: 0}
black_list:
  bottom: 1
  condition: {item: green_share, at_most: 0.5}
"""


def test_a_rule_reads_into_items_deductions_groups_and_lists():
    spec = parse_rule(RULE)
    assert [i["code"] for i in spec["items"]] == ["green_share", "reports_on_time"]
    assert [g["code"] for g in spec["groups"]] == ["departments", "towns"]
    assert spec["red_list"] == {"top": 1, "fact": "lights_red", "item": None, "at_most": "0"}


def test_unknown_items_and_weights_that_do_not_add_up_are_named_with_line_and_field():
    bad = RULE.replace("points: 40", "points: 30").replace("reports_missing:", "reports_lost:")
    with pytest.raises(InvalidRule) as refused:
        parse_rule(bad, source="rule.yaml")
    text = "\n".join(refused.value.lines())
    assert "rule.yaml:19:deductions.reports_lost 未知事实 'reports_lost'" in text
    assert "rule.yaml:3:items 各项分值之和为 90，与总分 100 不符" in text


def test_an_unknown_fact_in_an_item_and_an_unknown_kind_of_unit_are_refused():
    bad = RULE.replace("numerator: lights_green", "numerator: lights_blue").replace(
        "kinds: [street]", "kinds: [town]"
    )
    with pytest.raises(InvalidRule) as refused:
        parse_rule(bad, source="rule.yaml")
    text = "\n".join(refused.value.lines())
    assert "rule.yaml:7:items.green_share.numerator 未知事实 'lights_blue'" in text
    assert "rule.yaml:27:groups.towns.kinds[0] 未知单位类别 'town'" in text


def test_a_bad_rule_file_loaded_by_command_says_where_and_changes_nothing(plan, tmp_path):
    path = tmp_path / "rule.yaml"
    path.write_text(RULE.replace("points: 60", "points: 61"), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("bulletin", "rule", "--campaign", plan.code, "--file", str(path))
    assert "rule.yaml:3:items" in str(refused.value)
    assert not ScoringRule.objects.exists()


def test_each_change_of_the_rule_is_a_new_version_and_the_old_ones_are_kept(
    plan, tmp_path, office_clerk
):
    path = tmp_path / "rule.yaml"
    path.write_text(RULE, encoding="utf-8")
    call_command(
        "bulletin", "rule", "--campaign", plan.code, "--file", str(path), stdout=StringIO()
    )
    call_command(
        "bulletin", "rule", "--campaign", plan.code, "--file", str(path), stdout=StringIO()
    )
    path.write_text(RULE.replace("top: 1", "top: 2"), encoding="utf-8")
    call_command(
        "bulletin", "rule", "--campaign", plan.code, "--file", str(path), stdout=StringIO()
    )
    versions = list(ScoringRule.objects.order_by("version").values_list("version", "spec"))
    assert [v for v, _ in versions] == [1, 2]
    assert versions[0][1]["red_list"]["top"] == 1 and versions[1][1]["red_list"]["top"] == 2
    client = Client()
    client.force_login(office_clerk)
    page = client.get("/supervision/bulletins/rules/").content.decode()
    assert "rule.yaml" in page and ">2</a>" in page and ">1</a>" in page
    old = ScoringRule.objects.get(version=1)
    assert (
        "top: 1" in client.get("/supervision/bulletins/rules/{}/".format(old.pk)).content.decode()
    )


def test_an_item_below_its_threshold_loses_points_for_each_percentage_point():
    spec = parse_rule(RULE)
    score, components, _ = score_unit(
        spec, {"lights_green": 7, "lights_judged": 10, "reports_on_time": 4, "reports_due": 4}
    )
    # Green 70 % is 10 points under 80 %: 60 − 10; reports all on time: 40.
    assert [c["points"] for c in components] == ["50.00", "40.00"]
    assert score == Decimal("90.00")


def test_deductions_and_bonuses_are_capped_and_facts_nobody_provides_count_zero():
    spec = parse_rule(RULE)
    facts = {"lights_green": 10, "lights_judged": 10, "reports_missing": 5, "reports_certified": 9}
    score, components, _ = score_unit(spec, facts)
    # Missing reports cost 2 each but at most 6; the bonus is at most 3; no talk, no order.
    assert {c["code"]: c["points"] for c in components if c["kind"] != "item"} == {
        "reports_missing": "-6.00",
        "reports_certified": "3.00",
    }
    assert score == Decimal("97.00")
    score, _, _ = score_unit(spec, {**facts, "talks": 2})
    # The deductions together stop at 10.
    assert score == Decimal("93.00")


def _lines(spec, facts):
    return {
        line.unit_id: line
        for line in rank_units(spec, [(u, k) for u, k, _ in facts], {u: f for u, _, f in facts})
    }


def test_red_and_black_lists_need_both_the_condition_and_the_rank_cut_off():
    spec = parse_rule(RULE)
    lines = _lines(
        spec,
        [
            # Top, but one subject red: not on the red list; the unit tied with it is.
            (1, "department", {"lights_green": 9, "lights_judged": 10, "lights_red": 1}),
            (2, "department", {"lights_green": 8, "lights_judged": 10}),
            # Bottom and under half green: black. Ranked separately from the towns.
            (3, "department", {"lights_green": 4, "lights_judged": 10}),
            (4, "street", {"lights_green": 10, "lights_judged": 10}),
            # Bottom of the towns but green enough: not black.
            (5, "street", {"lights_green": 6, "lights_judged": 10}),
            # Too few subjects to rank.
            (6, "street", {"lights_green": 0, "lights_judged": 1}),
            # A kind no group takes is not scored.
            (7, "other", {"lights_green": 0, "lights_judged": 10}),
        ],
    )
    assert [(lines[u].rank, lines[u].listed) for u in (1, 2, 3)] == [
        (1, ""),
        (1, "red"),
        (3, "black"),
    ]
    assert [(lines[u].rank, lines[u].listed) for u in (4, 5)] == [(1, "red"), (2, "")]
    assert lines[6].ranked is False and lines[6].rank is None and lines[6].listed == ""
    assert 7 not in lines
