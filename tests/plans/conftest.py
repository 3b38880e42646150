"""Plan files shared by the plans tests: the real West Coast plan and a small valid one."""

from pathlib import Path

import pytest

WEST_COAST_PLAN = Path(__file__).resolve().parents[2] / "plans" / "xihaian.yaml"

# A small plan that loads; tests break one field at a time and look for the line.
SMALL_PLAN = """\
campaign:
  code: small-2026
  name: 小攻坚行动
  year: 2026
  start_date: 2026-01-17
  end_date: 2026-12-31
headquarters:
  name: 总指挥部
  commander: 主要领导
office:
  name: 总指挥部办公室
task_forces:
  - battle: indicators
    name: 重点指标攻坚专班
    cadence: monthly
  - battle: projects
    name: 重大项目攻坚专班
    cadence: dekad
report_deadlines:
  - cadence: monthly
  - cadence: dekad
    working_days_after: 2
key_nodes:
  - code: land_use
    name: 用地手续办理
targets:
  - code: started
    battle: projects
    name: 全年开工重大项目
    period: "2026"
    kind: count
    measure: projects.started
    value: 600
    unit_of_measure: 个
    trajectory:
      2026-Q1: 257
  - code: gdp-q1
    battle: indicators
    name: 一季度地区生产总值增长
    period: 2026-Q1
    kind: growth
    measure: indicators.gdp.growth
    value: 6.5
    unit_of_measure: "%"
"""


def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the n-th line of text that contains needle."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not found")


@pytest.fixture
def line_of():
    """Find the line a test expects a problem on, instead of counting by hand."""
    return _line_of


@pytest.fixture
def west_coast_plan():
    """Path of the real plan file of the West Coast campaign."""
    return WEST_COAST_PLAN


@pytest.fixture
def small_plan():
    """Text of a small valid plan."""
    return SMALL_PLAN
