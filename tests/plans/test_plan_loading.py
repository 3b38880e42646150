"""Loading plans into the database: the West Coast plan, reloads, edits and refusals."""

from decimal import Decimal

import pytest

from vanguard.audit.log import history_of, verify_chain
from vanguard.audit.models import ChangeEntry
from vanguard.indicators.models import Area, Indicator
from vanguard.org.access import SYSTEM
from vanguard.org.models import Campaign, Headquarters, Office, ReportDeadline, TaskForce
from vanguard.plans.loader import InvalidPlan, load_plan
from vanguard.projects.models import KeyNode
from vanguard.targets.models import Checkpoint, Target

pytestmark = pytest.mark.django_db

# Every figure of the source, by target code: (period, kind, measure, value, unit).
SOURCE_TARGETS = {
    "gdp-growth-2026-q1": ("2026-Q1", "growth", "indicators.gdp.growth", "6.5", "%"),
    "finance-value-added-growth-2026-q1": (
        "2026-Q1",
        "growth",
        "indicators.finance_value_added.growth",
        "10",
        "%",
    ),
    "projects-introduced-1e8-2026": ("2026", "count", "projects.introduced.size_1e8", "230", "个"),
    "projects-introduced-5e9-2026": ("2026", "count", "projects.introduced.size_5e9", "16", "个"),
    "projects-introduced-1e8-2026-q1": (
        "2026-Q1",
        "count",
        "projects.introduced.size_1e8",
        "100",
        "个",
    ),
    "projects-started-2026": ("2026", "count", "projects.started", "600", "个"),
    "projects-completed-2026": ("2026", "count", "projects.completed", "400", "个"),
    "projects-started-2026-q1": ("2026-Q1", "count", "projects.started", "257", "个"),
    "renewal-implemented-2026": ("2026", "count", "citywork.renewal.implemented", "627", "个"),
    "renewal-started-2026-q1": ("2026-Q1", "count", "citywork.renewal.started", "151", "个"),
    "city-management-campaigns-2026": ("2026", "count", "citywork.campaigns", "13", "项"),
    "demonstration-zones-2026": ("2026", "count", "citywork.zones", "22", "个"),
    "model-roads-2026": ("2026", "count", "citywork.roads", "26", "条"),
}


def row_counts():
    """How many rows each table the loader writes holds."""
    return {
        model.__name__: model.objects.count()
        for model in (
            Campaign,
            Headquarters,
            Office,
            TaskForce,
            ReportDeadline,
            Target,
            Checkpoint,
            KeyNode,
            Area,
            Indicator,
            ChangeEntry,
        )
    }


def checkpoint_values(code, kind="month"):
    """A target's checkpoints of one kind as {period label: value}."""
    return dict(
        Checkpoint.objects.filter(target__code=code, period_kind=kind)
        .order_by("end_date")
        .values_list("period", "value")
    )


def test_the_west_coast_plan_sets_up_the_campaign_and_its_organisation(west_coast_plan):
    load_plan(west_coast_plan, actor=SYSTEM)

    campaign = Campaign.objects.get(code="xihaian-2026")
    assert campaign.name == "青岛西海岸新区“打头阵、当先锋”攻坚行动"
    assert campaign.year == 2026
    assert str(campaign.start_date) == "2026-01-17"
    assert str(campaign.end_date) == "2026-12-31"
    assert campaign.headquarters.commander == "主要领导"
    assert "总指挥部" in campaign.headquarters.name
    assert campaign.headquarters.office.name == "总指挥部办公室"
    forces = {tf.battle: (tf.name, tf.cadence) for tf in campaign.task_forces.all()}
    assert forces == {
        "indicators": ("重点指标攻坚专班", "monthly"),
        "projects": ("重大项目攻坚专班", "dekad"),
        "citywork": ("重要工作攻坚专班", "weekly"),
    }
    assert "旬调度、旬认定、月通报" in campaign.task_forces.get(battle="projects").duties
    deadlines = dict(campaign.deadlines.values_list("cadence", "working_days_after"))
    assert deadlines == {"monthly": 1, "dekad": 1, "weekly": 1}


def test_the_west_coast_plan_yields_every_target_of_the_source(west_coast_plan):
    report = load_plan(west_coast_plan, actor=SYSTEM)

    targets = {t.code: t for t in Target.objects.filter(campaign__code="xihaian-2026")}
    for code, (period, kind, measure, value, unit) in SOURCE_TARGETS.items():
        target = targets[code]
        assert (target.period, target.kind, target.measure) == (period, kind, measure), code
        assert target.value == Decimal(value), code
        assert target.unit_of_measure == unit, code
        assert target.task_force.battle == target.battle, code
    assert len(report.key_nodes) == 7
    assert [n.name for n in report.key_nodes][1] == "用地手续办理"


def test_the_year_growth_target_is_relative_to_province_and_city(west_coast_plan):
    load_plan(west_coast_plan, actor=SYSTEM)

    target = Target.objects.get(measure="indicators.gdp.growth", period="2026")
    assert target.kind == "relative"
    assert target.comparators == ["province", "city"]
    assert target.value is None
    assert not target.checkpoints.exists()
    main = Target.objects.get(measure="indicators.main.growth", period="2026")
    assert main.comparators == ["province", "city"]


def test_the_key_sectors_target_is_descriptive(west_coast_plan):
    load_plan(west_coast_plan, actor=SYSTEM)

    target = Target.objects.get(code="key-sectors-not-below-guidance-2026-q1")
    assert target.kind == "relative"
    assert target.value is None
    assert "引导目标" in target.description


def test_the_year_introduced_target_stands_at_100_after_q1_and_230_in_december(west_coast_plan):
    load_plan(west_coast_plan, actor=SYSTEM)

    quarters = checkpoint_values("projects-introduced-1e8-2026", "quarter")
    months = checkpoint_values("projects-introduced-1e8-2026")
    assert quarters["2026-Q1"] == Decimal("100.00")
    assert months["2026-03"] == Decimal("100.00")
    assert months["2026-12"] == Decimal("230.00")
    assert quarters["2026-Q4"] == Decimal("230.00")
    assert len(months) == 12
    assert len(quarters) == 4


def test_the_pinned_q1_values_of_started_and_renewal_targets_hold(west_coast_plan):
    load_plan(west_coast_plan, actor=SYSTEM)

    assert checkpoint_values("projects-started-2026", "quarter")["2026-Q1"] == 257
    assert checkpoint_values("renewal-implemented-2026", "quarter")["2026-Q1"] == 151


def test_monthly_checkpoints_of_every_count_target_never_fall(west_coast_plan):
    load_plan(west_coast_plan, actor=SYSTEM)

    for target in Target.objects.filter(kind="count"):
        values = list(checkpoint_values(target.code).values())
        assert values == sorted(values), target.code
        assert values[-1] == target.value, target.code


def test_growth_checkpoints_carry_the_target_rate_every_month(west_coast_plan):
    load_plan(west_coast_plan, actor=SYSTEM)

    assert checkpoint_values("gdp-growth-2026-q1") == {
        "2026-01": Decimal("6.50"),
        "2026-02": Decimal("6.50"),
        "2026-03": Decimal("6.50"),
    }


def test_loading_creates_one_change_log_entry_per_row_it_writes(west_coast_plan):
    report = load_plan(west_coast_plan, actor=SYSTEM)

    written = sum(n for name, n in row_counts().items() if name != "ChangeEntry")
    assert ChangeEntry.objects.count() == written == report.logged
    assert ChangeEntry.objects.filter(action="create", actor__isnull=True).count() == written
    assert verify_chain().ok


def test_loading_the_same_file_twice_changes_nothing_and_logs_nothing(west_coast_plan):
    load_plan(west_coast_plan, actor=SYSTEM)
    before = row_counts()

    report = load_plan(west_coast_plan, actor=SYSTEM)

    assert row_counts() == before
    assert not report.changed
    assert report.logged == 0
    assert report.total("unchanged") == sum(before.values()) - before["ChangeEntry"]
    assert report.lines()[-1] == "无变化 / no changes"


def test_changing_a_figure_updates_the_target_and_only_the_checkpoints_that_move(
    west_coast_plan,
):
    load_plan(west_coast_plan, actor=SYSTEM)
    q1_before = checkpoint_values("projects-introduced-1e8-2026")["2026-02"]
    edited = west_coast_plan.read_text(encoding="utf-8").replace("value: 230", "value: 240")
    entries = ChangeEntry.objects.count()

    report = load_plan(edited, actor=SYSTEM)

    assert Target.objects.get(code="projects-introduced-1e8-2026").value == 240
    months = checkpoint_values("projects-introduced-1e8-2026")
    assert months["2026-12"] == 240
    # Pinned at 100 by the end of March, the first quarter does not move.
    assert months["2026-02"] == q1_before
    assert report.counts["target"]["updated"] == 1
    # April to December, and Q2 to Q4.
    assert report.counts["checkpoint"]["updated"] == 9 + 3
    assert ChangeEntry.objects.count() - entries == 1 + 9 + 3
    (update, *_older) = history_of(Target.objects.get(code="projects-introduced-1e8-2026"))
    assert (update.action, update.before, update.after) == (
        "update",
        {"value": "230.00"},
        {"value": "240"},
    )


def test_a_dry_run_counts_what_it_would_write_and_writes_nothing(west_coast_plan):
    before = row_counts()

    report = load_plan(west_coast_plan, actor=SYSTEM, dry_run=True)

    assert row_counts() == before
    assert report.counts["target"]["created"] == 16
    assert report.logged > 0
    assert "试运行" in report.lines()[0]


def test_the_change_log_names_the_office_clerk_who_loaded_the_plan(west_coast_plan, office_clerk):
    load_plan(west_coast_plan, actor=office_clerk)

    actors = set(ChangeEntry.objects.values_list("actor_id", "actor_name"))
    assert actors == {(office_clerk.pk, office_clerk.username)}


def test_a_bad_file_writes_nothing(west_coast_plan):
    load_plan(west_coast_plan, actor=SYSTEM)
    before = row_counts()
    text = west_coast_plan.read_text(encoding="utf-8")
    bad = text.replace("value: 230", "value: -230").replace("value: 627", "value: 700")
    bad = bad.replace("2026-Q1: 257", "2026-Q1: 900")

    with pytest.raises(InvalidPlan) as caught:
        load_plan(bad, actor=SYSTEM)

    assert len(caught.value.problems) == 2
    assert row_counts() == before
    assert Target.objects.get(code="renewal-implemented-2026").value == 627


def test_a_target_left_out_of_the_file_is_kept_and_reported(small_plan):
    load_plan(small_plan, actor=SYSTEM)
    shorter = small_plan[: small_plan.index("  - code: gdp-q1")]

    report = load_plan(shorter, actor=SYSTEM)

    assert report.not_in_file == ["gdp-q1"]
    assert Target.objects.filter(code="gdp-q1").exists()
    assert not report.changed


def test_a_renamed_target_cannot_take_the_measure_of_one_left_in_the_database(small_plan):
    load_plan(small_plan, actor=SYSTEM)
    before = row_counts()

    with pytest.raises(InvalidPlan) as caught:
        load_plan(small_plan.replace("code: started", "code: started-2026"), actor=SYSTEM)

    (problem,) = caught.value.problems
    assert problem.path == "targets[0].measure"
    assert "started" in str(problem)
    assert row_counts() == before


def test_a_pin_moved_later_replaces_only_the_checkpoints_it_changes(small_plan):
    load_plan(small_plan, actor=SYSTEM)
    march = checkpoint_values("started")["2026-03"]

    report = load_plan(small_plan.replace("2026-Q1: 257", "2026-Q2: 400"), actor=SYSTEM)

    months = checkpoint_values("started")
    assert months["2026-06"] == 400
    assert months["2026-03"] != march
    assert months["2026-12"] == 600
    # All but December and Q4 move; the growth target's four checkpoints stay.
    assert report.counts["checkpoint"] == {"updated": 16 - 2, "unchanged": 2 + 4}
