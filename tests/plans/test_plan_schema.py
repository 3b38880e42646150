"""Checking a plan file: every problem found at once, each naming its line and field."""

from decimal import Decimal

import pytest

from vanguard.plans.schema import InvalidPlan, parse_plan


def problems_of(text):
    """The problems parse_plan finds in text, as (line, path, message) triples."""
    with pytest.raises(InvalidPlan) as caught:
        parse_plan(text)
    return [(p.line, p.path, str(p)) for p in caught.value.problems]


def only(problems, path):
    """The one problem at path."""
    found = [p for p in problems if p[1] == path]
    assert len(found) == 1, problems
    return found[0]


def test_the_small_plan_is_valid(small_plan):
    plan = parse_plan(small_plan)

    assert plan.campaign.code == "small-2026"
    assert [t.code for t in plan.targets] == ["started", "gdp-q1"]
    assert plan.targets[0].pins == {"2026-Q1": Decimal("257")}
    assert plan.targets[1].value == Decimal("6.5")


def test_an_unknown_battle_is_named_with_its_line_and_field_in_chinese_and_english(
    small_plan, line_of
):
    text = small_plan.replace(
        "battle: projects\n    name: 全年", "battle: projekts\n    name: 全年"
    )

    line, path, message = only(problems_of(text), "targets[0].battle")

    assert line == line_of(text, "projekts")
    assert message.startswith(f'第 {line} 行 targets[0].battle：未知的攻坚战 "projekts"')
    assert "（可选：indicators、projects、citywork）" in message
    assert ' / unknown battle "projekts"' in message


def test_every_problem_of_a_bad_file_is_reported_at_once(small_plan, line_of):
    text = (
        small_plan.replace("battle: projects\n    name: 全年", "battle: projekts\n    name: 全年")
        .replace("period: 2026-Q1", "period: 2026-Q5")
        .replace("value: 600", "value: -600")
        .replace("    value: 6.5\n", "")
        .replace("code: gdp-q1", "code: started")
    )

    problems = problems_of(text)

    assert only(problems, "targets[0].battle")[0] == line_of(text, "projekts")
    assert only(problems, "targets[0].value")[0] == line_of(text, "value: -600")
    assert "不能为负数" in only(problems, "targets[0].value")[2]
    assert only(problems, "targets[1].period")[0] == line_of(text, "2026-Q5")
    assert "2026-Q5" in only(problems, "targets[1].period")[2]
    assert only(problems, "targets[1].code")[0] == line_of(text, "code: started", 2)
    assert "目标代码重复" in only(problems, "targets[1].code")[2]
    missing = only(problems, "targets[1].value")
    assert "缺少目标值" in missing[2]
    assert " / a growth target needs a value" in missing[2]
    assert all(" / " in message for _, _, message in problems)
    # Reported in file order, so a clerk walks down the file once.
    lines = [p[0] for p in problems]
    assert lines == sorted(lines)


def test_a_period_outside_the_campaign_year_is_refused(small_plan, line_of):
    text = small_plan.replace("period: 2026-Q1", "period: 2027-Q1")

    line, _, message = only(problems_of(text), "targets[1].period")

    assert line == line_of(text, "2027-Q1")
    assert "不在攻坚行动年度 2026 内" in message


def test_a_week_is_not_a_target_period(small_plan):
    text = small_plan.replace("period: 2026-Q1", "period: 2026-W05")

    assert "年、季度或月" in only(problems_of(text), "targets[1].period")[2]


def test_two_targets_for_the_same_measure_and_period_are_refused(small_plan, line_of):
    text = small_plan.replace("measure: indicators.gdp.growth", "measure: projects.started")
    text = text.replace("period: 2026-Q1", 'period: "2026"').replace(
        "battle: indicators\n    name: 一季度", "battle: projects\n    name: 一季度"
    )

    line, _, message = only(problems_of(text), "targets[1].measure")

    assert line == line_of(text, "measure: projects.started", 2)
    assert "projects.started+2026" in message


def test_an_unknown_cadence_is_refused(small_plan, line_of):
    text = small_plan.replace("cadence: dekad\n    working", "cadence: fortnightly\n    working")

    line, _, message = only(problems_of(text), "report_deadlines[1].cadence")

    assert line == line_of(text, "fortnightly")
    assert "未知的调度频次" in message


def test_a_target_whose_battle_has_no_task_force_is_refused(small_plan):
    text = small_plan.replace(
        "  - battle: projects\n    name: 重大项目攻坚专班\n    cadence: dekad\n", ""
    )

    assert "没有对应的专班" in only(problems_of(text), "targets[0].battle")[2]


def test_two_task_forces_for_one_battle_are_refused(small_plan):
    text = small_plan.replace(
        "battle: indicators\n    name: 重点", "battle: projects\n    name: 重点"
    )

    assert "专班的攻坚战重复" in only(problems_of(text), "task_forces[1].battle")[2]


def test_a_pin_outside_the_target_period_is_refused(small_plan, line_of):
    text = small_plan.replace("2026-Q1: 257", "2027-Q1: 257")

    line, path, message = only(problems_of(text), 'targets[0].trajectory["2027-Q1"]')

    assert line == line_of(text, "2027-Q1: 257")
    assert "不在目标周期 2026 内" in message


def test_a_pin_above_the_target_value_is_refused(small_plan):
    text = small_plan.replace("2026-Q1: 257", "2026-Q1: 601")

    assert "高于目标值" in only(problems_of(text), 'targets[0].trajectory["2026-Q1"]')[2]


def test_a_later_pin_below_an_earlier_one_is_refused(small_plan):
    text = small_plan.replace("2026-Q1: 257", "2026-Q1: 257\n      2026-06: 200")

    assert "低于或不同于" in only(problems_of(text), 'targets[0].trajectory["2026-06"]')[2]


def test_bad_dates_are_refused(small_plan, line_of):
    text = small_plan.replace("start_date: 2026-01-17", "start_date: 2026-13-01")
    text = text.replace("end_date: 2026-12-31", "end_date: 2027-01-31")

    problems = problems_of(text)

    assert only(problems, "campaign.start_date")[0] == line_of(text, "2026-13-01")
    assert "不是有效日期" in only(problems, "campaign.start_date")[2]
    assert "不在攻坚行动年度" in only(problems, "campaign.end_date")[2]


def test_an_end_date_before_the_start_date_is_refused(small_plan):
    text = small_plan.replace("end_date: 2026-12-31", "end_date: 2026-01-01")

    assert "早于开始日期" in only(problems_of(text), "campaign.end_date")[2]


def test_a_misspelt_field_is_named_rather_than_ignored(small_plan, line_of):
    text = small_plan.replace("unit_of_measure: 个", "unit_of_meausre: 个")

    line, _, message = only(problems_of(text), "targets[0].unit_of_meausre")

    assert line == line_of(text, "unit_of_meausre")
    assert "未知字段" in message


def test_a_count_target_must_be_whole(small_plan):
    text = small_plan.replace("value: 600", "value: 600.5")

    assert "整数" in only(problems_of(text), "targets[0].value")[2]


def test_a_relative_target_needs_known_comparators(small_plan):
    text = small_plan.replace(
        "kind: growth\n    measure: indicators.gdp.growth\n    value: 6.5",
        "kind: relative\n    measure: indicators.gdp.growth\n    comparators: [province, nation]",
    )

    assert "未知的比较对象" in only(problems_of(text), "targets[1].comparators[1]")[2]


def test_a_repeated_yaml_key_is_refused_instead_of_silently_winning(small_plan, line_of):
    text = small_plan.replace("    value: 600\n", "    value: 600\n    value: 700\n")

    line, _, message = only(problems_of(text), "targets[0].value")

    assert line == line_of(text, "value: 700")
    assert "字段重复" in message


def test_broken_yaml_names_its_line(small_plan, line_of):
    text = small_plan.replace("    kind: growth", "    kind: [growth")

    problems = problems_of(text)

    assert len(problems) == 1
    assert problems[0][1] == "(yaml)"
    assert problems[0][0] >= line_of(text, "kind: [growth")


def test_an_empty_file_is_refused():
    assert "计划文件为空" in problems_of("")[0][2]


def test_key_nodes_must_have_distinct_codes(small_plan, line_of):
    text = small_plan.replace(
        "    name: 用地手续办理\n",
        "    name: 用地手续办理\n  - code: land_use\n    name: 规划许可\n",
    )

    line, _, message = only(problems_of(text), "key_nodes[1].code")

    assert line == line_of(text, "code: land_use", 2)
    assert "关键节点代码重复" in message


def test_a_cadence_without_a_listed_deadline_gets_one_working_day(small_plan):
    plan = parse_plan(small_plan.replace("  - cadence: monthly\n", ""))

    assert {(d.cadence, d.working_days_after) for d in plan.report_deadlines} == {
        ("dekad", 2),
        ("monthly", 1),
    }
