"""The bulletin's narrative: its sections, and the first draft the office then edits.

The sections follow what a 月通报 says: the overall picture, each battle's progress,
the sections domains add (``bulletins.sections``: city cases), the problems, the units
named and why, and what is required next. The draft text is
written from the lines (the same figures the ranking shows) in Chinese, the language
of the document; the office rewrites it freely before issuing.
"""

from collections import defaultdict

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from vanguard.org.choices import Battle
from vanguard.supervision.bulletins.facts import SOURCES, known_facts
from vanguard.supervision.bulletins.sections import SECTIONS

# The bulletin is an official Chinese document whoever drafts it.
DOCUMENT_LANGUAGE = "zh-hans"
OVERVIEW, PROBLEMS, NAMED, NEXT = "overview", "problems", "named", "next"


def sections():
    """``[(code, label)]`` of the narrative's sections, in the document's order."""
    return [
        (OVERVIEW, _("Overall")),
        *[("battle_" + battle.value, battle.label) for battle in Battle],
        *[(section.code, section.label) for section in SECTIONS.values()],
        (PROBLEMS, _("Problems")),
        (NAMED, _("Units named and why")),
        (NEXT, _("Requirements for next month")),
    ]


def _totals(lines):
    totals = defaultdict(int)
    for line in lines:
        for fact, value in line.facts.items():
            totals[fact] += value
    return totals


def _why(line, labels):
    parts = []
    for component in line.components:
        if component["kind"] == "deduction":
            parts.append(
                "{}{}次（{}分）".format(
                    labels.get(component["code"], component["code"]),
                    component["count"],
                    component["points"],
                )
            )
        elif (
            component["kind"] == "item"
            and component["rate"] is not None
            and component["points"] != component["max"]
        ):
            parts.append("{}{}%".format(component["label"], component["rate"]))
    return "，".join(parts) or "得分居后"


def default_narrative(bulletin):
    """The first draft of every section, from the bulletin's stored lines, in Chinese."""
    with translation.override(DOCUMENT_LANGUAGE):
        return _draft(bulletin)


def _draft(bulletin):
    lines = list(bulletin.lines.select_related("unit").order_by("group", "rank", "unit__code"))
    labels = {k: str(v) for k, v in known_facts().items()}
    totals = _totals(lines)
    ranked = [line for line in lines if line.ranked]
    red = [line for line in lines if line.listed == "red"]
    black = [line for line in lines if line.listed == "black"]
    month = bulletin.month_label
    text = {
        OVERVIEW: "{}，参与评分单位{}个，其中{}个单位达到排名所需样本并参与排名；"
        "红榜单位{}个，黑榜单位{}个。".format(month, len(lines), len(ranked), len(red), len(black)),
    }
    judged = totals.get("lights_judged", 0)
    if judged:
        text[OVERVIEW] += "全区亮灯事项{}项，其中绿灯{}项、黄灯{}项、红灯{}项。".format(
            judged,
            totals.get("lights_green", 0),
            totals.get("lights_yellow", 0),
            totals.get("lights_red", 0),
        )
    for battle in Battle:
        facts = [f for s in SOURCES.values() if s.battle == battle.value for f in s.facts]
        parts = ["{}{}".format(labels[f], totals.get(f, 0)) for f in facts]
        text["battle_" + battle.value] = ("；".join(parts) + "。") if parts else "本月无评分数据。"
    for section in SECTIONS.values():
        text[section.code] = section.draft(lines)
    laggards = sorted(lines, key=lambda line: line.score)[:5]
    text[PROBLEMS] = "；".join(
        "{}：{}".format(line.unit.name, _why(line, labels)) for line in laggards
    ) + ("。" if laggards else "")
    named = []
    if red:
        named.append(
            "红榜："
            + "、".join(
                "{}（{}分，第{}名）".format(line.unit.name, line.score, line.rank) for line in red
            )
            + "。"
        )
    if black:
        named.append(
            "黑榜："
            + "；".join(
                "{}（{}分，第{}名；{}）".format(
                    line.unit.name, line.score, line.rank, _why(line, labels)
                )
                for line in black
            )
            + "。"
        )
    text[NAMED] = "\n".join(named) or "本月无单位进入红榜或黑榜。"
    text[NEXT] = "各单位要对照通报问题逐项整改，按时报送旬报和数据，确保下月进度达到序时要求。"
    return text
