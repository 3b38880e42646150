"""City cases in the monthly bulletin: their facts per unit and the section "城市管理案件".

The facts (``case_facts``, registered with ``supervision.bulletins.facts``) are the
counts of ``queries.cases`` for the month as of the bulletin's cut-off, stored on each
unit's line; a scoring rule may name them (结案率 is ``cases_closed`` over
``cases_due``, 按期结案率 ``cases_closed_on_time`` over ``cases_closed_timed``). The
section reads those stored facts only: the district's totals and rates, the units with
the lowest 按期结案率 among those that closed at least ``MIN_SAMPLE`` cases, and those
with the most 超期 among those with at least ``MIN_SAMPLE`` overdue, so one late case
of one does not put a unit at the top or the bottom.
"""

from django.utils.translation import gettext_lazy as _

from vanguard.citywork.queries.case_figures import MIN_SAMPLE, case_figures, cases_url, rate

# How many units each list names.
NAMED = 3

FACTS = {
    "cases_dispatched": _("cases dispatched"),
    "cases_due": _("cases due to close"),
    "cases_closed": _("cases closed"),
    "cases_closed_timed": _("cases closed, postponed ones left out"),
    "cases_closed_on_time": _("cases closed in time"),
    "cases_overdue": _("cases overdue"),
    "cases_rework": _("cases reworked"),
    "cases_returned": _("cases returned by the unit"),
}


def case_facts(campaign, start, end, cutoff):
    """``{unit_id: {fact: count}}`` of the cases of the month (``queries.cases``)."""
    return {
        unit_id: {
            "cases_dispatched": f.dispatched,
            "cases_due": f.due,
            "cases_closed": f.closed,
            "cases_closed_timed": f.closed_timed,
            "cases_closed_on_time": f.closed_on_time,
            "cases_overdue": f.overdue,
            "cases_rework": f.rework,
            "cases_returned": f.returned,
        }
        for unit_id, f in case_figures(campaign, start, end, cutoff=cutoff).items()
    }


def cases_link(campaign, unit_code, start, end):
    return cases_url(unit_code)


# --- the section ------------------------------------------------------------------------------


def _percent(value):
    return "—" if value is None else "{}%".format(value)


def _with_cases(lines):
    return [line for line in lines if any(line.facts.get(fact) for fact in FACTS)]


def lowest_on_time(lines):
    """The lines with the lowest 按期结案率 (below 100 %), at least ``MIN_SAMPLE`` closed."""
    found = [
        (rate(line.facts.get("cases_closed_on_time", 0), line.facts["cases_closed_timed"]), line)
        for line in lines
        if line.facts.get("cases_closed_timed", 0) >= MIN_SAMPLE
    ]
    found = [(value, line) for value, line in found if value < 100]
    found.sort(key=lambda pair: (pair[0], -pair[1].facts["cases_closed_timed"], pair[1].unit.code))
    return [line for _value, line in found[:NAMED]]


def most_overdue(lines):
    """The lines with the most 超期, at least ``MIN_SAMPLE`` of them."""
    found = [line for line in lines if line.facts.get("cases_overdue", 0) >= MIN_SAMPLE]
    found.sort(key=lambda line: (-line.facts["cases_overdue"], line.unit.code))
    return found[:NAMED]


def _sum(lines, fact):
    return sum(line.facts.get(fact, 0) for line in lines)


def draft(lines):
    """The section's first draft, in Chinese; "" when no unit had a case in the month."""
    lines = _with_cases(lines)
    if not lines:
        return ""
    closed, due = _sum(lines, "cases_closed"), _sum(lines, "cases_due")
    text = [
        "本月派遣城市管理案件{}件，应结案{}件，结案{}件，结案率{}；按期结案率{}"
        "（经批准缓办的案件不计入）；返工{}次，超期{}件，退单{}次。".format(
            _sum(lines, "cases_dispatched"),
            due,
            closed,
            _percent(rate(closed, due)),
            _percent(rate(_sum(lines, "cases_closed_on_time"), _sum(lines, "cases_closed_timed"))),
            _sum(lines, "cases_rework"),
            _sum(lines, "cases_overdue"),
            _sum(lines, "cases_returned"),
        )
    ]
    lowest = lowest_on_time(lines)
    if lowest:
        text.append(
            "按期结案率最低的单位（结案{}件以上）：{}。".format(
                MIN_SAMPLE,
                "、".join(
                    "{}{}（结案{}件，按期{}件）".format(
                        line.unit.name,
                        _percent(
                            rate(
                                line.facts["cases_closed_on_time"], line.facts["cases_closed_timed"]
                            )
                        ),
                        line.facts["cases_closed_timed"],
                        line.facts["cases_closed_on_time"],
                    )
                    for line in lowest
                ),
            )
        )
    most = most_overdue(lines)
    if most:
        text.append(
            "超期案件最多的单位（超期{}件以上）：{}。".format(
                MIN_SAMPLE,
                "、".join(
                    "{}{}件".format(line.unit.name, line.facts["cases_overdue"]) for line in most
                ),
            )
        )
    if not lowest and not most:
        text.append("各单位案件均按期办结或不足{}件，本月不点名。".format(MIN_SAMPLE))
    return "\n".join(text)


HEADERS = ["单位", "派遣", "应结案", "结案", "结案率", "按期结案率", "返工", "超期", "退单"]


def _row(name, facts, link=None):
    cell = (name, link) if link else name
    return [
        cell,
        str(facts.get("cases_dispatched", 0)),
        str(facts.get("cases_due", 0)),
        str(facts.get("cases_closed", 0)),
        _percent(rate(facts.get("cases_closed", 0), facts.get("cases_due", 0))),
        _percent(rate(facts.get("cases_closed_on_time", 0), facts.get("cases_closed_timed", 0))),
        str(facts.get("cases_rework", 0)),
        str(facts.get("cases_overdue", 0)),
        str(facts.get("cases_returned", 0)),
    ]


def table(lines):
    """The units named (lowest 按期结案率 first, then most 超期) and the district's total."""
    lines = _with_cases(lines)
    named = list(dict.fromkeys(lowest_on_time(lines) + most_overdue(lines)))
    if not named:
        return None
    rows = [_row(line.unit.name, line.facts, cases_url(line.unit.code)) for line in named]
    rows.append(_row("合计", {fact: _sum(lines, fact) for fact in FACTS}))
    return HEADERS, rows
