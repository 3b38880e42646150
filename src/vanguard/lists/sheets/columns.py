"""The words and columns of the list workbook: a sheet of items, a sheet of checkpoints.

Headers are the office's Chinese ones, and so are the words written for battles,
cadences and measures, whatever the interface language. An item's code is the key of
both sheets; a checkpoint names its item by that code and its period as the calendar
writes it (2026年3月上旬, 2026年第10周, 2026年3月).
"""

from vanguard.exchange.importing import Column
from vanguard.exchange.parsers import choice, decimal, parse_date, text
from vanguard.lists.choices import Measure
from vanguard.org.choices import Battle, Cadence

ITEMS_SHEET = "清单事项"
CHECKPOINTS_SHEET = "节点计划"

BATTLE_LABELS = {
    Battle.INDICATORS: "经济运行重点指标",
    Battle.PROJECTS: "招引开工重大项目",
    Battle.CITYWORK: "城市更新管理重要工作",
}
BATTLE_SYNONYMS = {
    "重点指标": Battle.INDICATORS,
    "重点指标攻坚专班": Battle.INDICATORS,
    "重大项目": Battle.PROJECTS,
    "重大项目攻坚专班": Battle.PROJECTS,
    "城市更新": Battle.CITYWORK,
    "城市更新管理": Battle.CITYWORK,
    "重要工作攻坚专班": Battle.CITYWORK,
}
CADENCE_LABELS = {Cadence.WEEKLY: "每周", Cadence.DEKAD: "每旬", Cadence.MONTHLY: "每月"}
CADENCE_SYNONYMS = {
    "周": Cadence.WEEKLY,
    "周调度": Cadence.WEEKLY,
    "周落实": Cadence.WEEKLY,
    "旬": Cadence.DEKAD,
    "旬调度": Cadence.DEKAD,
    "月": Cadence.MONTHLY,
    "月调度": Cadence.MONTHLY,
}
MEASURE_LABELS = {Measure.QUANTITY: "数量", Measure.MILESTONE: "节点"}
MEASURE_SYNONYMS = {
    "定量": Measure.QUANTITY,
    "数量指标": Measure.QUANTITY,
    "里程碑": Measure.MILESTONE,
    "形象进度": Measure.MILESTONE,
    "节点目标": Measure.MILESTONE,
}

CODE = Column(
    "code",
    "事项编号",
    ("清单编号", "编号", "item code"),
    required=True,
    parser=text(64, one_line=True),
    is_key=True,
)
ITEM_COLUMNS = (
    CODE,
    Column("unit", "责任单位", ("单位", "主责单位", "unit"), required=True, parser=text(200)),
    Column(
        "battle",
        "攻坚战",
        ("所属攻坚战", "专班", "battle"),
        required=True,
        parser=choice(Battle, BATTLE_LABELS, BATTLE_SYNONYMS),
    ),
    Column(
        "requirement",
        "工作要求",
        ("工作任务", "任务要求", "工作内容", "requirement"),
        required=True,
        parser=text(2000),
    ),
    Column(
        "responsible_person",
        "责任人",
        ("责任人员", "responsible person"),
        required=True,
        parser=text(100, one_line=True),
    ),
    Column(
        "deadline", "完成时限", ("时限", "截止时间", "deadline"), required=True, parser=parse_date
    ),
    Column(
        "cadence",
        "调度频次",
        ("频次", "调度周期", "cadence"),
        required=True,
        parser=choice(Cadence, CADENCE_LABELS, CADENCE_SYNONYMS),
    ),
    Column(
        "measure",
        "计量方式",
        ("考核方式", "measure"),
        required=True,
        parser=choice(Measure, MEASURE_LABELS, MEASURE_SYNONYMS),
    ),
    Column(
        "target_quantity",
        "目标数量",
        ("目标值", "目标任务量", "target"),
        parser=decimal(2, minimum=0),
    ),
    Column(
        "measuring_unit",
        "计量单位",
        ("量纲", "measuring unit"),
        parser=text(16, one_line=True),
    ),
    # Written for the reader, ignored on import: progress comes from verified reports.
    Column("verified", "已核验累计", informational=True),
)

CHECKPOINT_COLUMNS = (
    Column(
        "item_code",
        "事项编号",
        ("清单编号", "编号", "item code"),
        required=True,
        parser=text(64, one_line=True),
    ),
    Column("period", "期次", ("时间节点", "调度期", "period"), required=True, parser=text(40)),
    Column("due_date", "报送截止日期", ("截止日期", "due date"), parser=parse_date),
    Column(
        "planned_quantity",
        "计划累计数量",
        ("计划累计", "累计目标", "planned"),
        parser=decimal(2, minimum=0),
    ),
    Column("milestone", "节点目标", ("节点内容", "阶段目标", "milestone"), parser=text(500)),
    Column("reached", "已达成日期", informational=True),
)
