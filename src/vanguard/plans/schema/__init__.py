"""The plan file: YAML read with line numbers, checked whole, returned as typed specs.

Nothing here touches the database. ``parse_plan`` collects every problem of a file
before it gives up, so an office clerk fixes a file in one pass, and each problem
names its line (1-based) and field path (0-based indexes, e.g. ``targets[3].value``)
in Chinese, then in English after " / ".
"""

from vanguard.plans.schema.campaign import (
    check_campaign,
    check_deadlines,
    check_headquarters,
    check_key_nodes,
    check_task_forces,
)
from vanguard.plans.schema.checker import Checker
from vanguard.plans.schema.indicators import check_areas, check_indicator_measures, check_indicators
from vanguard.plans.schema.source import read_yaml
from vanguard.plans.schema.specs import (
    AreaSpec,
    CampaignSpec,
    DeadlineSpec,
    HeadquartersSpec,
    IndicatorSpec,
    InvalidPlan,
    KeyNodeSpec,
    OfficeSpec,
    Plan,
    Problem,
    TargetSpec,
    TaskForceSpec,
)
from vanguard.plans.schema.targets import check_targets

__all__ = [
    "AreaSpec",
    "CampaignSpec",
    "DeadlineSpec",
    "HeadquartersSpec",
    "IndicatorSpec",
    "InvalidPlan",
    "KeyNodeSpec",
    "OfficeSpec",
    "Plan",
    "Problem",
    "TargetSpec",
    "TaskForceSpec",
    "parse_plan",
]

TOP_KEYS = (
    "campaign",
    "headquarters",
    "office",
    "task_forces",
    "report_deadlines",
    "key_nodes",
    "targets",
    "areas",
    "indicators",
)


def parse_plan(text: str) -> Plan:
    """Parse and check a plan's YAML text; raise InvalidPlan listing every problem."""
    data, lines, problems = read_yaml(text)
    checker = Checker(lines)
    checker.problems.extend(problems)
    if problems and data is None:
        raise InvalidPlan(checker.problems)
    data = checker.mapping(data, "", TOP_KEYS) if data is not None else None
    if data is None:
        if not checker.problems:
            checker.add("", "计划文件为空", "the plan file is empty")
        raise InvalidPlan(checker.problems)
    campaign, year = check_campaign(checker, data)
    headquarters, office = check_headquarters(checker, data)
    task_forces = check_task_forces(checker, data)
    deadlines = check_deadlines(checker, data, task_forces)
    key_nodes = check_key_nodes(checker, data)
    targets = check_targets(checker, data, year, task_forces)
    areas = check_areas(checker, data)
    indicators = check_indicators(checker, data, areas)
    check_indicator_measures(checker, data, indicators)
    if checker.problems:
        # Report in file order so the clerk can walk down the file.
        raise InvalidPlan(sorted(checker.problems, key=lambda p: p.line or 0))
    return Plan(
        campaign=campaign,
        headquarters=headquarters,
        office=office,
        task_forces=tuple(task_forces),
        report_deadlines=tuple(deadlines),
        key_nodes=tuple(key_nodes),
        targets=tuple(targets),
        areas=tuple(areas),
        indicators=tuple(indicators),
    )
