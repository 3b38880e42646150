"""The words and columns of the projects' sheets: the project sheet's schema, kinds and stages.

Headers are the office's Chinese ones, and so are the words the sheets write for kinds,
stages and a node's state, whatever the interface language; amounts in 万元 or 亿元;
units and people by name; one column per key node holding its planned date. The dekad
workbook (``dekad``) shares the stages' words, the text of values in a preview and the
lookup in slices.
"""

from decimal import Decimal

from vanguard.core.money import format_yuan
from vanguard.exchange.importing import Column
from vanguard.exchange.parsers import choice, decimal, money, parse_date, text, text_list
from vanguard.org.models import Person, Unit
from vanguard.projects.choices import MilestoneState, ProjectKind, Stage

# The words the sheets write for kinds and stages (the sheet's vocabulary, fixed like
# its headers, whatever the interface language).
KIND_LABELS = {
    ProjectKind.INDUSTRIAL: "工业",
    ProjectKind.INFRASTRUCTURE: "基础设施",
    ProjectKind.SERVICES: "服务业",
    ProjectKind.URBAN_RENEWAL: "城市更新",
    ProjectKind.OTHER: "其他",
}
KIND_SYNONYMS = {
    "工业项目": ProjectKind.INDUSTRIAL,
    "产业项目": ProjectKind.INDUSTRIAL,
    "制造业": ProjectKind.INDUSTRIAL,
    "基础设施项目": ProjectKind.INFRASTRUCTURE,
    "基础设施类": ProjectKind.INFRASTRUCTURE,
    "服务业项目": ProjectKind.SERVICES,
    "现代服务业": ProjectKind.SERVICES,
    "城市更新项目": ProjectKind.URBAN_RENEWAL,
    "其它": ProjectKind.OTHER,
}
STAGE_LABELS = {
    Stage.NEGOTIATING: "洽谈",
    Stage.INTRODUCED: "引进（签约）",
    Stage.STARTED: "开工",
    Stage.COMPLETED: "竣工投产",
}
STAGE_SYNONYMS = {
    "在谈": Stage.NEGOTIATING,
    "洽谈中": Stage.NEGOTIATING,
    "引进": Stage.INTRODUCED,
    "签约": Stage.INTRODUCED,
    "已签约": Stage.INTRODUCED,
    "已引进": Stage.INTRODUCED,
    "已开工": Stage.STARTED,
    "竣工": Stage.COMPLETED,
    "投产": Stage.COMPLETED,
    "已竣工": Stage.COMPLETED,
    "竣工投产": Stage.COMPLETED,
}
STATE_LABELS = {
    MilestoneState.PENDING: "未完成",
    MilestoneState.DONE: "已完成",
    MilestoneState.NOT_NEEDED: "无需办理",
}

# Projects are looked up in slices so that an IN list stays within every backend's limits.
LOOKUP_CHUNK = 1000

# A project's code: the key of every projects workbook, the project sheet and the dekad's.
CODE_COLUMN = Column(
    "code",
    "项目编号",
    ("项目代码", "项目编码", "编号", "project code"),
    required=True,
    parser=text(32, one_line=True),
    is_key=True,
)

PROJECT_COLUMNS = (
    CODE_COLUMN,
    Column("name", "项目名称", ("名称", "project name"), required=True, parser=text(200)),
    Column(
        "lead_unit",
        "主责单位",
        ("牵头单位", "责任单位", "主责部门", "lead unit"),
        required=True,
        parser=text(200, one_line=True),
    ),
    Column(
        "supporting_units",
        "服务保障单位",
        ("配合单位", "保障单位", "协办单位", "supporting units"),
        parser=text_list,
    ),
    Column(
        "responsible_person",
        "责任人",
        ("项目责任人", "负责人", "responsible person"),
        parser=text(100, one_line=True),
    ),
    Column(
        "investment_yuan",
        "总投资（万元）",
        ("总投资", "计划总投资", "总投资额", "投资额", "investment"),
        required=True,
        parser=money(),
    ),
    Column("sector", "行业", ("所属行业", "行业类别", "产业类别", "sector"), parser=text(50)),
    Column(
        "kind",
        "项目类型",
        ("项目类别", "类型", "kind"),
        parser=choice(ProjectKind, labels=KIND_LABELS, synonyms=KIND_SYNONYMS),
    ),
    Column("address", "建设地点", ("建设地址", "项目地址", "地址", "address"), parser=text(200)),
    Column("longitude", "经度", ("longitude", "lng"), parser=decimal(6, -180, 180)),
    Column("latitude", "纬度", ("latitude", "lat"), parser=decimal(6, -90, 90)),
    Column(
        "introduced_planned",
        "计划引进日期",
        ("计划签约日期", "计划引进时间", "计划签约时间", "planned introduction"),
        parser=parse_date,
    ),
    Column(
        "started_planned",
        "计划开工日期",
        ("计划开工时间", "planned start"),
        parser=parse_date,
    ),
    Column(
        "completed_planned",
        "计划竣工日期",
        ("计划竣工投产日期", "计划竣工时间", "planned completion"),
        parser=parse_date,
    ),
)
# Shown in exports for the reader; stages move only through certified reports.
STAGE_COLUMN = Column("stage", "当前阶段", ("阶段",), informational=True)

SIMPLE_FIELDS = (
    "name",
    "investment_yuan",
    "sector",
    "kind",
    "address",
    "longitude",
    "latitude",
    "introduced_planned",
    "started_planned",
    "completed_planned",
)
TEXT_FIELDS = {"name", "sector", "address"}


def node_column(node):
    """The project sheet's column of a key node: its planned date, headed by the node's name."""
    aliases = (node.name + "计划日期", node.name + "计划时间", node.name + "(计划)", node.name_en)
    return Column("node:" + node.code, node.name, tuple(a for a in aliases if a), parser=parse_date)


def chunks(items, size):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def money_text(yuan):
    """An amount as the preview shows a change: 亿元 from 1亿 up, else 万元, every digit."""
    return format_yuan(yuan, exact=True)


def _plain(number):
    """A decimal without exponent or trailing zeros: 1.5, 120000."""
    return format(number.normalize(), "f")


def as_text(value):
    """A value as text for the preview table."""
    if value is None:
        return ""
    if isinstance(value, Unit | Person):
        return value.name
    if isinstance(value, list | tuple):
        return "、".join(as_text(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Decimal):
        return _plain(value)
    return str(value)
