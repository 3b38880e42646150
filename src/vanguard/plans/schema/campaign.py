"""The campaign's frame: campaign, headquarters, office, task forces, deadlines, key nodes."""

from vanguard.org.choices import Battle, Cadence, CampaignStatus
from vanguard.plans.schema.checker import Checker
from vanguard.plans.schema.specs import (
    CampaignSpec,
    DeadlineSpec,
    HeadquartersSpec,
    KeyNodeSpec,
    OfficeSpec,
    TaskForceSpec,
)

CAMPAIGN_KEYS = ("code", "name", "year", "start_date", "end_date", "status")
HEADQUARTERS_KEYS = ("name", "commander")
OFFICE_KEYS = ("name",)
TASK_FORCE_KEYS = ("battle", "name", "cadence", "duties")
DEADLINE_KEYS = ("cadence", "working_days_after")
KEY_NODE_KEYS = ("code", "name", "name_en")


def check_campaign(c: Checker, data) -> tuple[CampaignSpec | None, int | None]:
    """Check the campaign section; return its spec and, for the targets' check, its year."""
    section = c.mapping(data.get("campaign"), "campaign", CAMPAIGN_KEYS)
    if section is None:
        return None, None
    before = len(c.problems)
    code = c.code(section, "code", "campaign")
    name = c.text(section, "name", "campaign")
    year = c.integer(section, "year", "campaign", minimum=2000)
    start = c.date(section, "start_date", "campaign")
    end = c.date(section, "end_date", "campaign")
    status = None
    if section.get("status") is not None:
        status = c.choice(section, "status", "campaign", CampaignStatus, "状态", "status")
    if start and end and end < start:
        c.add(
            "campaign.end_date",
            f"结束日期 {end} 早于开始日期 {start}",
            f"end date {end} is before start date {start}",
        )
    # A campaign is year-long: its dates must lie in its year, or year targets would not fit.
    for key, day in (("start_date", start), ("end_date", end)):
        if year and day and day.year != year:
            c.add(
                f"campaign.{key}",
                f"日期 {day} 不在攻坚行动年度 {year} 内",
                f"date {day} is outside the campaign year {year}",
            )
    if len(c.problems) > before:
        return None, year
    return CampaignSpec(code, name, year, start, end, status), year


def check_headquarters(c: Checker, data) -> tuple[HeadquartersSpec | None, OfficeSpec | None]:
    """Check the headquarters and office sections."""
    hq = office = None
    section = c.mapping(data.get("headquarters"), "headquarters", HEADQUARTERS_KEYS)
    if section is not None:
        name = c.text(section, "name", "headquarters")
        commander = c.text(section, "commander", "headquarters", required=False) or ""
        hq = HeadquartersSpec(name, commander) if name else None
    section = c.mapping(data.get("office"), "office", OFFICE_KEYS)
    if section is not None:
        name = c.text(section, "name", "office")
        office = OfficeSpec(name) if name else None
    return hq, office


def check_task_forces(c: Checker, data) -> list[TaskForceSpec]:
    """Check the task forces: one per battle, each with a known cadence."""
    result, seen = [], {}
    for i, item in enumerate(c.sequence(data, "task_forces")):
        path = f"task_forces[{i}]"
        item = c.mapping(item, path, TASK_FORCE_KEYS)
        if item is None:
            continue
        battle = c.choice(item, "battle", path, Battle, "攻坚战", "battle")
        name = c.text(item, "name", path)
        cadence = c.choice(item, "cadence", path, Cadence, "调度频次", "cadence")
        duties = c.text(item, "duties", path, required=False, max_length=None) or ""
        if battle and not c.unique(
            seen, battle, path + ".battle", "专班的攻坚战", "task force battle"
        ):
            continue
        if None not in (battle, name, cadence):
            result.append(TaskForceSpec(battle, name, cadence, duties))
    return result


def check_deadlines(c: Checker, data, task_forces) -> list[DeadlineSpec]:
    """Check report deadlines; a cadence a task force uses but the file omits gets the default."""
    result, seen = [], {}
    items = data.get("report_deadlines")
    items = c.sequence(data, "report_deadlines") if items is not None else []
    for i, item in enumerate(items):
        path = f"report_deadlines[{i}]"
        item = c.mapping(item, path, DEADLINE_KEYS)
        if item is None:
            continue
        cadence = c.choice(item, "cadence", path, Cadence, "调度频次", "cadence")
        days = c.integer(item, "working_days_after", path, default=1, minimum=1)
        if cadence and not c.unique(seen, cadence, path + ".cadence", "调度频次", "cadence"):
            continue
        if cadence and days is not None:
            result.append(DeadlineSpec(cadence, days))
    listed = {d.cadence for d in result} | set(seen)
    for tf in task_forces:
        if tf.cadence not in listed:
            result.append(DeadlineSpec(tf.cadence))
            listed.add(tf.cadence)
    return result


def check_key_nodes(c: Checker, data) -> list[KeyNodeSpec]:
    """Check the key nodes of a major project: unique codes and names."""
    result, codes, names = [], {}, {}
    items = data.get("key_nodes")
    items = c.sequence(data, "key_nodes") if items is not None else []
    for i, item in enumerate(items):
        path = f"key_nodes[{i}]"
        item = c.mapping(item, path, KEY_NODE_KEYS)
        if item is None:
            continue
        code = c.code(item, "code", path)
        name = c.text(item, "name", path)
        name_en = c.text(item, "name_en", path, required=False) or ""
        ok = True
        if code:
            ok = c.unique(codes, code, path + ".code", "关键节点代码", "key node code") and ok
        if name:
            ok = c.unique(names, name, path + ".name", "关键节点名称", "key node name") and ok
        if ok and code and name:
            result.append(KeyNodeSpec(code, name, name_en))
    return result
