"""One demo case's way through the workflow up to the demo's present, as a row and its steps.

A case is drawn as it would run: registered (a patrol's at once, a public report within
hours, a few discarded or merged), dispatched, signed for, sometimes returned (the
return upheld and sent on, or refused), sometimes postponed, replied to after a share
of its time limit (late for a unit's usual share of cases), checked, sometimes sent
back as rework, closed. Every step has its time; the steps after the demo's present
have not happened, so the case stays where it was then. A stalled case stops early
and waits (an unregistered report, a case never dispatched, a dispatch nobody replies
to, a return nobody decides, a reply nobody checks): the old open cases of a real pool.

Times are POSIX seconds until the row is made.
"""

import datetime
from dataclasses import dataclass, field
from operator import itemgetter

from vanguard.calendar.worktime import TimeUnit
from vanguard.citywork.models.cases import CaseAction as A
from vanguard.citywork.models.cases import CaseState as S
from vanguard.demo.cases import words

HOUR = 3600
UTC = datetime.UTC
PUBLIC = {"citizen", "hotline", "open311", "volunteer"}
SEEN_BY_STAFF = {"patrol", "inspection"}
# Shares of cases that take each turn.
DISCARDED, RETURNED, UPHELD, POSTPONE, APPROVED, REWORK = 0.04, 0.06, 0.6, 0.03, 0.8, 0.07
CONFIRMED = 0.5
CALLED = ("先生", "女士")

FIELDS = (
    "id",
    "campaign_id",
    "tracking_code",
    "source",
    "category_id",
    "description",
    "address",
    "coordinate_system",
    "grid_id",
    "unit_id",
    "state",
    "hotline_ticket",
    "reported_by_id",
    "reporter_name",
    "reporter_phone",
    "reported_at",
    "registered_at",
    "dispatched_at",
    "due_at",
    "warn_at",
    "signed_at",
    "handled_at",
    "handled_by_id",
    "reply",
    "checker_id",
    "checked_at",
    "closed_at",
    "closed_on_time",
    "bounce_count",
    "rework_count",
    "postponed",
    "postpone_until",
    "postpone_reason",
    "return_reason",
    "supporters",
    "merged_into_id",
    "citizen_confirmed",
    "version",
    "updated_at",
    "geometry",
    "lon",
    "lat",
    "min_lon",
    "min_lat",
    "max_lon",
    "max_lat",
)
ROW = itemgetter(*FIELDS)
STATE = FIELDS.index("state")
MERGED_INTO = FIELDS.index("merged_into_id")
TIMES = {
    "reported_at",
    "registered_at",
    "dispatched_at",
    "due_at",
    "warn_at",
    "signed_at",
    "handled_at",
    "checked_at",
    "closed_at",
    "postpone_until",
    "updated_at",
}
EVENT_FIELDS = ("case_id", "action", "at", "by_id", "unit_id", "note", "public")


@dataclass
class World:
    """What every case of a run reads: the clock, the people, the units' habits."""

    rng: object
    clock: object
    now: float
    campaign_id: int
    categories: dict  # id -> (code, name, limit as float, TimeUnit, close condition)
    dispatcher: int | None  # the city-work task force member who registers and dispatches
    checker: int | None  # another member, who checks (核查)
    reporters: dict  # unit id -> a reporter's user id
    late: dict  # unit id -> the share of its cases it replies to late
    return_to: list  # unit ids an upheld return may send a case to
    all_events: bool = False
    sample: float = 0.05
    counts: dict = field(default_factory=dict)


@dataclass
class Drawn:
    """What was drawn for a case before its way is run (``cases.draw``)."""

    pk: int
    at: float
    source: str
    category: int
    grid: int | None
    unit: int | None
    street: str
    lon: float
    lat: float
    stalled: str = ""  # "", "report", "registered", "returned", "dispatched", "handled"
    merge_into: int | None = None
    supporters: int = 0
    tracking: str = ""
    ticket: str = ""


def pick(rng, choices):
    """One of ``choices``: ``rng.choice`` without its checks, for a million draws."""
    return choices[int(rng.random() * len(choices))]


def _after(rng, at, low_hours, high_hours):
    return at + rng.uniform(low_hours, high_hours) * HOUR


def _words(rng, category_code, street):
    what = words.WHAT.get(category_code) or ["问题待处置"]
    road = pick(rng, words.ROADS)
    description = road + pick(rng, words.SPOTS) + pick(rng, what)
    return description, "{}{}{}号".format(street, road, 1 + int(rng.random() * 399))


def run(world, drawn):
    """``(row tuple, [event tuples])`` of one case (events only when they are kept)."""
    rng = world.rng
    code, _name, limit, unit_kind, condition = world.categories[drawn.category]
    description, address = _words(rng, code, drawn.street)
    staff = drawn.source in SEEN_BY_STAFF
    c = dict.fromkeys(FIELDS)
    c.update(
        id=drawn.pk,
        campaign_id=world.campaign_id,
        tracking_code=drawn.tracking,
        source=drawn.source,
        category_id=drawn.category,
        description=description,
        address=address,
        coordinate_system="wgs84" if staff else ("gcj02" if rng.random() < 0.8 else "bd09"),
        grid_id=drawn.grid,
        state=S.REPORTED,
        hotline_ticket=drawn.ticket,
        reported_by_id=world.dispatcher if staff else None,
        reporter_name="" if staff else pick(rng, words.SURNAMES) + pick(rng, CALLED),
        reporter_phone=""
        if staff
        else "1{}{:09d}".format(pick(rng, "3578"), int(rng.random() * 10**9)),
        reported_at=drawn.at,
        reply="",
        postpone_reason="",
        return_reason="",
        bounce_count=0,
        rework_count=0,
        postponed=False,
        supporters=drawn.supporters,
        version=1,
        geometry={"type": "Point", "coordinates": [drawn.lon, drawn.lat]},
        lon=drawn.lon,
        lat=drawn.lat,
        min_lon=drawn.lon,
        min_lat=drawn.lat,
        max_lon=drawn.lon,
        max_lat=drawn.lat,
    )
    events = []
    _walk(world, drawn, c, events, limit, unit_kind, condition)
    c["updated_at"] = events[-1][1]  # the time of its last step
    # Each step after the report saved the case at its next version.
    c["version"] = max(1, len(events) - (1 if staff else 0))
    keep = (
        world.all_events
        or c["state"] not in (S.CLOSED, S.DISCARDED, S.MERGED)
        or c["bounce_count"]
        or c["rework_count"]
        or c["postponed"]
        or rng.random() < world.sample
    )
    c["state"] = c["state"].value
    for name in TIMES:
        if c[name] is not None:
            c[name] = datetime.datetime.fromtimestamp(c[name], UTC)
    row = ROW(c)
    world.counts[c["state"]] = world.counts.get(c["state"], 0) + 1
    if not keep:
        return row, []
    return row, [
        (drawn.pk, action.value, datetime.datetime.fromtimestamp(at, UTC), by, unit, note, public)
        for action, at, by, unit, note, public in events
    ]


def _walk(world, drawn, c, events, limit, unit_kind, condition):
    """Take the case through its steps until the present or its stall (module docstring)."""
    rng, clock, now = world.rng, world.clock, world.now
    staff = drawn.source in SEEN_BY_STAFF
    tf = world.dispatcher
    events.append((A.REPORT, drawn.at, c["reported_by_id"], None, "", True))
    if staff:
        c["state"], c["registered_at"], c["checker_id"] = S.REGISTERED, drawn.at, tf
        events.append((A.REGISTER, drawn.at, tf, None, "", True))
        t = drawn.at
    else:
        if drawn.stalled == "report":
            return
        t = _after(rng, drawn.at, 0.2, 4)
        if t > now:
            return
        if drawn.merge_into is not None:
            c.update(state=S.MERGED, merged_into_id=drawn.merge_into, closed_at=t)
            note = "并入AJ{:08d}".format(drawn.merge_into)
            events.append((A.MERGE, t, tf, None, note, True))
            return
        if rng.random() < DISCARDED:
            c.update(state=S.DISCARDED, closed_at=t)
            events.append((A.DISCARD, t, tf, None, "不属于城市管理案件受理范围", True))
            return
        c["state"], c["registered_at"] = S.REGISTERED, t
        events.append((A.REGISTER, t, tf, None, "", True))
    t = _after(rng, t, 0.1, 2)
    if t > now or drawn.unit is None or drawn.stalled == "registered":
        return
    unit = drawn.unit
    _dispatch(c, clock, t, limit, unit_kind, unit)
    events.append((A.DISPATCH, t, tf, unit, "", True))
    reporter = world.reporters.get(unit)
    if rng.random() < RETURNED or drawn.stalled == "returned":
        t = _after(rng, t, 0.5, 6)
        if t > now:
            return
        reason = pick(rng, words.RETURN_REASONS)
        c.update(state=S.RETURNED, return_reason=reason, bounce_count=1)
        events.append((A.RETURN, t, reporter, unit, reason, False))
        if drawn.stalled == "returned":
            return
        t = _after(rng, t, 0.5, 8)
        if t > now:
            return
        c["state"] = S.DISPATCHED
        if rng.random() < UPHELD:
            others = [u for u in world.return_to if u != unit]
            unit = pick(rng, others) if others else unit
            reporter = world.reporters.get(unit)
            _dispatch(c, clock, t, limit, unit_kind, unit)
            events.append((A.RETURN_UPHELD, t, tf, unit, "", False))
        else:
            events.append((A.RETURN_REFUSED, t, tf, unit, words.REFUSED, False))
    signed = _after(rng, t, 0.1, 3)
    if signed > now:
        return
    c["signed_at"] = signed
    events.append((A.SIGN, signed, reporter, unit, "", True))
    t = signed
    if rng.random() < POSTPONE:
        t = max(t, c["dispatched_at"] + (c["due_at"] - c["dispatched_at"]) / 2)
        if t > now:
            return
        until = clock.add(c["due_at"], 5, TimeUnit.WORKING_DAYS)
        reason = pick(rng, words.POSTPONE_REASONS)
        c.update(postpone_until=until, postpone_reason=reason)
        events.append((A.POSTPONE_ASKED, t, reporter, unit, reason, False))
        t = _after(rng, t, 1, 24)
        if t > now:
            return
        if rng.random() < APPROVED:
            c.update(due_at=until, postponed=True)
            c["warn_at"] = max(c["warn_at"], until - (until - c["dispatched_at"]) / 4)
            events.append((A.POSTPONE_APPROVED, t, tf, unit, "", False))
        else:
            events.append((A.POSTPONE_REFUSED, t, tf, unit, "", False))
        c.update(postpone_until=None, postpone_reason="")
    if drawn.stalled == "dispatched":
        return
    late = rng.random() < world.late.get(unit, 0.08)
    for attempt in range(2):
        if attempt == 0:
            share = rng.uniform(1.05, 2.5) if late else rng.uniform(0.15, 0.95)
            replied = max(t + 300, clock.add(c["dispatched_at"], limit * share, unit_kind))
        else:
            replied = _after(rng, t, 2, 48)  # the rework
        if replied > now:
            return
        reply = "已处置：{}".format(condition or "问题已整改")
        c.update(state=S.HANDLED, handled_at=replied, handled_by_id=reporter, reply=reply)
        events.append((A.HANDLE, replied, reporter, unit, reply, True))
        if drawn.stalled == "handled":
            return
        t = _after(rng, replied, 1, 30)
        if t > now:
            return
        c.update(checked_at=t, checker_id=c["checker_id"] or world.checker)
        if attempt == 0 and rng.random() < REWORK:
            note = pick(rng, words.FAILED)
            c.update(state=S.DISPATCHED, handled_at=None, rework_count=1)
            events.append((A.CHECK_FAILED, t, c["checker_id"], unit, note, True))
            continue
        c.update(state=S.CLOSED, closed_at=t, closed_on_time=c["handled_at"] <= c["due_at"])
        events.append((A.CHECK_PASSED, t, c["checker_id"], unit, "现场核查通过", True))
        if drawn.source in PUBLIC and rng.random() < CONFIRMED:
            c["citizen_confirmed"] = True
        return


def _dispatch(c, clock, at, limit, unit_kind, unit):
    c.update(
        state=S.DISPATCHED,
        unit_id=unit,
        dispatched_at=at,
        due_at=clock.add(at, limit, unit_kind),
        warn_at=clock.add(at, limit * 0.75, unit_kind),
        signed_at=None,
    )
