"""The plan file's structures: what a checked plan holds, and what is wrong with one."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from vanguard.calendar.periods import Period
from vanguard.indicators.choices import Frequency, GoodDirection


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a plan file, with where it is."""

    line: int | None
    path: str
    zh: str
    en: str

    def __str__(self):
        where = f"第 {self.line} 行 " if self.line else ""
        return "{}{}：{} / {}".format(where, self.path or "(plan)", self.zh, self.en)


class InvalidPlan(Exception):
    """A plan file that cannot be loaded; ``problems`` lists everything wrong with it."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class CampaignSpec:
    """The campaign as the plan states it."""

    code: str
    name: str
    year: int
    start_date: date
    end_date: date
    status: str | None = None


@dataclass(frozen=True)
class HeadquartersSpec:
    """The headquarters (总指挥部) as the plan states it."""

    name: str
    commander: str = ""


@dataclass(frozen=True)
class OfficeSpec:
    """The headquarters' office (办公室) as the plan states it."""

    name: str


@dataclass(frozen=True)
class TaskForceSpec:
    """One task force (专班): its battle, name, cadence and duties."""

    battle: str
    name: str
    cadence: str
    duties: str = ""


@dataclass(frozen=True)
class DeadlineSpec:
    """When reports of one cadence fall due, in working days after the period ends."""

    cadence: str
    working_days_after: int = 1


@dataclass(frozen=True)
class KeyNodeSpec:
    """One of a major project's key nodes (关键节点)."""

    code: str
    name: str
    name_en: str = ""


@dataclass(frozen=True)
class AreaSpec:
    """The campaign's own area or a comparator area, by level."""

    level: str
    name: str


@dataclass(frozen=True)
class IndicatorSpec:
    """One economic indicator of the catalogue (经济运行重点指标)."""

    code: str
    name: str
    unit_of_measure: str
    kind: str
    responsible_unit: str
    name_en: str = ""
    aliases: tuple[str, ...] = ()
    good_direction: str = GoodDirection.UP
    frequency: str = Frequency.MONTHLY
    sector: str = ""
    main: bool = False
    comparators: tuple[str, ...] = ()
    sort_order: int = 0
    # What a major project starting production adds to the indicator a year, per yuan
    # invested, in the indicator's unit scaled from yuan (the forecast's increment).
    project_increment_rate: Decimal | None = None


@dataclass(frozen=True)
class TargetSpec:
    """One target with its period resolved and its pinned trajectory values."""

    code: str
    battle: str
    name: str
    period: Period
    kind: str
    measure: str
    value: Decimal | None
    unit_of_measure: str = ""
    comparators: tuple[str, ...] = ()
    description: str = ""
    trajectory: tuple[tuple[str, Decimal], ...] = ()
    sort_order: int = 0
    line: int | None = None
    path: str = ""

    @property
    def pins(self) -> dict[str, Decimal]:
        """Pinned cumulative values keyed by period label."""
        return dict(self.trajectory)


@dataclass(frozen=True)
class Plan:
    """A whole validated plan, ready for the loader."""

    campaign: CampaignSpec
    headquarters: HeadquartersSpec
    office: OfficeSpec
    task_forces: tuple[TaskForceSpec, ...]
    report_deadlines: tuple[DeadlineSpec, ...]
    key_nodes: tuple[KeyNodeSpec, ...]
    targets: tuple[TargetSpec, ...]
    areas: tuple[AreaSpec, ...] = ()
    indicators: tuple[IndicatorSpec, ...] = ()
