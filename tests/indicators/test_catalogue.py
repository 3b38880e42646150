"""The indicator catalogue and its areas come from the plan file."""

import pytest
from django.core.management import call_command

from tests.indicators.conftest import WEST_COAST_PLAN
from tests.plans.conftest import SMALL_PLAN, _line_of
from vanguard.audit.models import ChangeEntry
from vanguard.indicators.models import Area, Indicator
from vanguard.org.access import SYSTEM
from vanguard.plans.loader import InvalidPlan, load_plan, read_plan
from vanguard.targets.models import Target

pytestmark = pytest.mark.django_db

DEMO_CATALOGUE = {
    "gdp": ("地区生产总值", "亿元", "level", "quarterly"),
    "finance_value_added": ("金融业增加值", "亿元", "level", "quarterly"),
    "industrial_value_added": ("规上工业增加值", "%", "growth", "monthly"),
    "fixed_asset_investment": ("固定资产投资", "%", "growth", "monthly"),
    "retail_sales": ("社会消费品零售总额", "亿元", "level", "monthly"),
    "budget_revenue": ("一般公共预算收入", "亿元", "level", "monthly"),
    "foreign_trade": ("外贸进出口总额", "亿元", "level", "monthly"),
}

CATALOGUE = """\
areas:
  - level: district
    name: 西海岸新区
  - level: city
    name: 青岛市
  - level: province
    name: 山东省
indicators:
  - code: gdp
    name: 地区生产总值
    unit_of_measure: 亿元
    kind: level
    frequency: quarterly
    responsible_unit: 区统计局
    main: true
    comparators: [city, province]
  - code: retail_sales
    name: 社会消费品零售总额
    unit_of_measure: 亿元
    kind: level
    responsible_unit: 区统计局
"""


def small_plan_with(catalogue):
    return SMALL_PLAN + catalogue


def catalogue_line(text, needle):
    """The line of needle in the catalogue part of a plan (below "areas:")."""
    offset = _line_of(text, "areas:") - 1
    return offset + _line_of(text.split("\n", offset)[-1], needle)


def problems_of(text):
    with pytest.raises(InvalidPlan) as caught:
        read_plan(text)
    return caught.value.problems


def test_the_west_coast_plan_carries_the_demo_catalogue_and_three_areas(plan):
    indicators = {
        i.code: (i.name, i.unit_of_measure, i.kind, i.frequency)
        for i in Indicator.objects.filter(campaign=plan)
    }
    assert indicators == DEMO_CATALOGUE
    areas = dict(Area.objects.filter(campaign=plan).values_list("level", "name"))
    assert areas == {"district": "西海岸新区", "city": "青岛市", "province": "山东省"}
    gdp = Indicator.objects.get(campaign=plan, code="gdp")
    assert gdp.responsible_unit.name == "区统计局"
    assert gdp.comparators == ["city", "province"]
    assert gdp.main


def test_the_plans_indicator_targets_name_indicators_of_the_catalogue(plan):
    codes = set(Indicator.objects.filter(campaign=plan).values_list("code", flat=True))
    for measure in Target.objects.filter(
        campaign=plan, measure__endswith=".growth", battle="indicators"
    ).values_list("measure", flat=True):
        code = measure.split(".")[1]
        assert code in codes or code == "main", measure
    assert Indicator.objects.get(campaign=plan, code="finance_value_added").measure == (
        "indicators.finance_value_added.growth"
    )


def test_loading_the_plan_twice_changes_nothing(plan):
    entries = ChangeEntry.objects.count()
    report = load_plan(WEST_COAST_PLAN, actor=SYSTEM)
    assert not report.changed
    assert ChangeEntry.objects.count() == entries
    assert report.counts["indicator"] == {"unchanged": 7}


def test_a_unit_missing_at_load_is_named_and_linked_by_the_next_load(db):
    from vanguard.org.models import Unit

    report = load_plan(WEST_COAST_PLAN, actor=SYSTEM)
    assert report.units_not_found == ["区统计局"]
    assert "区统计局" in "\n".join(report.lines())
    assert Indicator.objects.filter(responsible_unit__isnull=True).count() == 7

    Unit.objects.create(code="tjj", name="区统计局")
    report = load_plan(WEST_COAST_PLAN, actor=SYSTEM)
    assert report.counts["indicator"] == {"updated": 7}
    assert not Indicator.objects.filter(responsible_unit__isnull=True).exists()


def test_the_loadplan_command_reports_an_indicator_problem_by_line_and_field(tmp_path):
    bad = small_plan_with(
        CATALOGUE.replace("kind: level\n    frequency", "kind: stock\n    frequency")
    )
    path = tmp_path / "plan.yaml"
    path.write_text(bad, encoding="utf-8")
    from django.core.management import CommandError

    with pytest.raises(CommandError) as caught:
        call_command("loadplan", str(path))
    line = _line_of(bad, "kind: stock")
    assert f"第 {line} 行 indicators[0].kind" in str(caught.value)
    assert not Indicator.objects.exists()


@pytest.mark.parametrize(
    ("old", "new", "path", "says", "at"),
    [
        (
            "unit_of_measure: 亿元",
            'unit_of_measure: "%"',
            "indicators[0].unit_of_measure",
            "不能是 %",
            'unit_of_measure: "%"',
        ),
        (
            "frequency: quarterly",
            "frequency: yearly",
            "indicators[0].frequency",
            "发布频次",
            "frequency: yearly",
        ),
        (
            "comparators: [city, province]",
            "comparators: [city, nation]",
            "indicators[0].comparators[1]",
            "nation",
            "comparators: [city, nation]",
        ),
        (
            "code: retail_sales",
            "code: Retail-Sales",
            "indicators[1].code",
            "小写字母",
            "Retail-Sales",
        ),
        (
            "name: 社会消费品零售总额",
            "name: 地区生产总值",
            "indicators[1].name",
            "重复",
            "  name: 地区生产总值\n    unit_of_measure: 亿元\n    kind: level\n    responsible",
        ),
        # A missing field is placed on its item's first line.
        (
            "    responsible_unit: 区统计局\n    main",
            "    main",
            "indicators[0].responsible_unit",
            "缺少",
            "code: gdp",
        ),
    ],
)
def test_a_broken_indicator_field_is_named_with_its_line(old, new, path, says, at):
    text = small_plan_with(CATALOGUE.replace(old, new, 1))
    problems = problems_of(text)
    match = [p for p in problems if p.path == path]
    assert match, [str(p) for p in problems]
    assert says in match[0].zh
    multiline = "\n" in at
    expected = text[: text.index(at)].count("\n") + 1 if multiline else catalogue_line(text, at)
    assert match[0].line == expected


def test_a_growth_only_indicator_must_be_measured_in_percent():
    text = small_plan_with(
        CATALOGUE.replace("kind: level\n    responsible_unit", "kind: growth\n    responsible_unit")
    )
    problems = problems_of(text)
    assert [p.path for p in problems] == ["indicators[1].unit_of_measure"]
    assert "%" in problems[0].zh


def test_a_target_measure_naming_no_indicator_is_refused_once_there_is_a_catalogue():
    text = small_plan_with(CATALOGUE).replace(
        "measure: indicators.gdp.growth", "measure: indicators.gpd.growth"
    )
    problems = problems_of(text)
    assert [p.path for p in problems] == ["targets[1].measure"]
    assert problems[0].line == _line_of(text, "indicators.gpd.growth")


def test_indicators_need_the_district_area():
    text = small_plan_with(CATALOGUE.replace("  - level: district\n    name: 西海岸新区\n", ""))
    problems = problems_of(text)
    assert "areas" in [p.path for p in problems]


def test_a_plan_without_a_catalogue_still_loads():
    plan = read_plan(SMALL_PLAN)
    assert plan.indicators == () and plan.areas == ()
