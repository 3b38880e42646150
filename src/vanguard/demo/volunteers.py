"""Demo volunteer activities (志愿服务): the streets' 城管进社区, 人人动手·洁净家园 and others.

Each town or street office organises activities from the campaign's first day to four
weeks ahead, most at the weekend: 180 at district scale, 3,000 at city scale. Each
meets at a point inside its town or street (``city_renewal.point_in``) and takes 20 to
100 volunteers; residents sign up (made-up names, phones of the 1xx0000xxxx test form, one
place per phone). The street's reporter records an activity as held a while after it
ends, with how many took part and what was done; the volunteer cases of its street
reported in the hours after that record are its findings, the street's reporter their
reporter (as ``do_record_activity_problem`` names them). A share of the activities is
drawn around such a case, so that the district scale, with few volunteer cases, has
findings too. The last days' activities may still wait for their record; a few are
called off with a reason, one at least. Those to come are planned, with their signups
so far.

Rows go in through ``core.bulk.insert_rows``, the cases found are updated in place, and
the change log gets one summary entry. Deterministic for a seed.
"""

import datetime
import random
from bisect import bisect_right
from itertools import accumulate

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from vanguard.audit.choices import DEMO_REASON, ChangeAction
from vanguard.audit.log import Change, record_changes
from vanguard.citywork.choices import ActivityKind, ActivityState
from vanguard.citywork.models import (
    Case,
    CaseEvent,
    Grid,
    VolunteerActivity,
    VolunteerFinding,
    VolunteerSignup,
)
from vanguard.citywork.models.cases import CaseAction, CaseSource
from vanguard.core.bulk import insert_rows, reserve_ids, update_rows
from vanguard.core.coords import CoordinateSystem
from vanguard.demo.cases import present, words
from vanguard.demo.city_renewal import point_in, streets
from vanguard.demo.org import made_up_name, made_up_phone

ACTIVITIES = {"district": 180, "city": 3000}
AHEAD_DAYS = 28
# Shares of the activities drawn around a volunteer case, and of those called off.
AROUND_CASE, CANCELLED = 0.3, 0.03
# A held activity's findings: its street's volunteer cases this many hours after its record.
FINDING_HOURS = 4
HOUR = 3600
WEEKEND_TIMES = [(9, 0), (9, 0), (9, 30), (14, 30)]
WEEKDAY_TIMES = [(9, 30), (15, 0), (16, 0)]
HOURS_LONG = [2, 2.5, 3]
CAPACITIES = [20, 30, 30, 40, 50, 60, 80, 100]
KINDS = [ActivityKind.COMMUNITY] * 4 + [ActivityKind.CLEANUP] * 4 + [ActivityKind.OTHER] * 2
PLACES = ["社区", "小区", "老街", "新村", "花园", "家园"]
TITLES = {
    ActivityKind.COMMUNITY: ["城管进社区·{place}普法宣传", "城管进社区·{place}便民服务日"],
    ActivityKind.CLEANUP: [
        "人人动手·洁净家园——{place}环境清洁",
        "人人动手·洁净家园：{place}卫生死角清理",
    ],
    ActivityKind.OTHER: [
        "{place}垃圾分类宣传志愿服务",
        "{place}文明劝导志愿服务",
        "{place}共享单车规范停放志愿服务",
    ],
}
DESCRIPTIONS = {
    ActivityKind.COMMUNITY: "城管执法队员进社区，宣讲市容管理规定，现场受理居民咨询和诉求。",
    ActivityKind.CLEANUP: "组织居民和志愿者清理楼道、绿化带和背街小巷的垃圾杂物，清除小广告。",
    ActivityKind.OTHER: "志愿者在路口、小区门口开展宣传和文明劝导。",
}
SUMMARIES = {
    ActivityKind.COMMUNITY: "发放宣传资料{a}份，现场受理咨询{b}件",
    ActivityKind.CLEANUP: "清理卫生死角{a}处、小广告{b}处",
    ActivityKind.OTHER: "劝导不文明行为{a}起，规范停放车辆{b}辆",
}
CANCEL_REASONS = [
    "天气预报有大风降雨，为安全起见取消",
    "与社区防汛值守时间冲突，另行安排",
    "活动场地临时占用，改期举行",
]
ACTIVITY_FIELDS = (
    "id",
    "campaign_id",
    "title",
    "kind",
    "starts_at",
    "ends_at",
    "address",
    "coordinate_system",
    "unit_id",
    "capacity",
    "description",
    "state",
    "participants",
    "summary",
    "held_recorded_at",
    "cancel_reason",
    "created_by_id",
    "version",
    "created_at",
    "updated_at",
    "geometry",
    "lon",
    "lat",
    "min_lon",
    "min_lat",
    "max_lon",
    "max_lat",
)


def _at(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC)


def _local(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _volunteer_cases(campaign):
    """unit id -> ([POSIX seconds], [case id]) of the volunteer cases in its grids, by time."""
    # Read in the table's order and sorted here: joined with the grids or sorted by time in
    # SQL, SQLite would walk a million cases through an index, one page read per case.
    units = dict(Grid.objects.values_list("pk", "unit_id"))
    rows = sorted(
        (reported.timestamp(), pk, units[grid])
        for pk, grid, reported in Case.objects.filter(
            campaign=campaign, source=CaseSource.VOLUNTEER, grid__isnull=False
        )
        .order_by("pk")
        .values_list("pk", "grid_id", "reported_at")
    )
    found = {}
    for t, pk, unit in rows:
        times, ids = found.setdefault(unit, ([], []))
        times.append(t)
        ids.append(pk)
    return found


def _around_cases(rng, cases, offices, count, first):
    """(office index, start, hours, recorded) of ``count`` activities held before one of the
    volunteer cases reported in the day (10:00 to 20:00), recorded just before it."""
    index = {office[0].pk: i for i, office in enumerate(offices)}
    daytime = [
        (t, unit)
        for unit, (times, _ids) in cases.items()
        if unit in index
        for t in times
        if 10 <= timezone.localtime(_at(t)).hour < 20 and t - 5 * HOUR > first
    ]
    daytime.sort()
    plans = []
    for t, unit in sorted(rng.sample(daytime, min(count, len(daytime)))):
        # On the half hour, over before the case comes in.
        start = t - (3.25 + rng.uniform(0, 1.5)) * HOUR
        start -= start % (HOUR / 2)
        hours = rng.choice(HOURS_LONG)
        end = start + hours * HOUR
        plans.append((index[unit], start, hours, end + (t - end) * rng.uniform(0.1, 0.6)))
    return plans


def _regular(rng, offices, count, first_day, last_day):
    """(office index, start, hours, None) of ``count`` activities on the usual days and times."""
    days = [first_day + datetime.timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    weights = list(accumulate(3 if d.weekday() >= 5 else 1 for d in days))
    plans = []
    for _n in range(count):
        day = days[bisect_right(weights, rng.random() * weights[-1])]
        hour, minute = rng.choice(WEEKEND_TIMES if day.weekday() >= 5 else WEEKDAY_TIMES)
        start = _local(day, hour, minute).timestamp()
        plans.append((rng.randrange(len(offices)), start, rng.choice(HOURS_LONG), None))
    return plans


def _signups(rng, activity, count, since, until):
    """``count`` signups (name, distinct test phone, time between ``since`` and ``until``)."""
    phones, rows = set(), []
    while len(rows) < count:
        phone = made_up_phone(rng)
        if phone not in phones:
            phones.add(phone)
            at = _at(rng.uniform(since, until))
            rows.append((activity, made_up_name(rng), phone, at))
    rows.sort(key=lambda row: row[3])
    return rows


class _Made:
    """The rows of one run, and the volunteer cases not yet found by an activity."""

    def __init__(self, cases):
        self.cases = cases
        self.taken = set()
        self.activities, self.signups, self.findings, self.reporters = [], [], [], []

    def found(self, unit, since, until):
        """The volunteer cases of ``unit`` reported in (since, until], each found once."""
        times, ids = self.cases.get(unit, ([], []))
        picked = []
        for k in range(bisect_right(times, since), bisect_right(times, until)):
            if ids[k] not in self.taken:
                self.taken.add(ids[k])
                picked.append((ids[k], times[k]))
        return picked


def _activity(rng, made, pk, campaign, office, plan, now, cancel):
    """One activity's row, signups, findings and reporters (module docstring)."""
    unit, feature, reporter, _head = office
    _index, start, hours, recorded = plan
    end = start + hours * HOUR
    kind = rng.choice(KINDS)
    stem = unit.name.removesuffix("街道").removesuffix("镇")
    place = stem + rng.choice(PLACES)
    capacity = rng.choice(CAPACITIES)
    lon, lat = point_in(rng, feature)
    created = min(start - rng.uniform(3, 14) * 86_400, now - rng.uniform(0.2, 48) * HOUR)
    created = max(created, _local(campaign.start_date, 8).timestamp() - 7 * 86_400)
    created = min(created, start - HOUR)
    state, version, updated = ActivityState.PLANNED, 1, created
    participants, summary, held_at, reason = None, "", None, ""
    until = min(start, now)
    if cancel:
        updated = created + (until - created) * rng.uniform(0.3, 0.9)
        state, version, reason, until = (
            ActivityState.CANCELLED,
            2,
            rng.choice(CANCEL_REASONS),
            updated,
        )
    elif end <= now:
        recorded = recorded or end + rng.uniform(0.3, 30) * HOUR
        if recorded <= now:
            state, version, held_at, updated = ActivityState.HELD, 2, recorded, recorded
    signed = round(capacity * rng.uniform(0.3, 0.9 if state == ActivityState.HELD else 0.7))
    made.signups += _signups(rng, pk, signed, created, until)
    if state == ActivityState.HELD:
        found = made.found(unit.pk, held_at, held_at + FINDING_HOURS * HOUR)
        made.findings += [(pk, case, _at(t)) for case, t in found]
        made.reporters += [(case, reporter.pk, unit.name, "") for case, _t in found]
        participants = max(3, round(signed * rng.uniform(0.7, 1.0)) + rng.randrange(0, 12))
        summary = "{}名志愿者参与，{}".format(
            participants,
            SUMMARIES[kind].format(a=rng.randrange(5, 60), b=rng.randrange(2, 30)),
        )
        if found:
            summary += "；发现问题{}处，已上报".format(len(found))
    address = "{}{}{}号{}".format(unit.name, rng.choice(words.ROADS), rng.randrange(1, 400), place)
    made.activities.append(
        (
            pk,
            campaign.pk,
            rng.choice(TITLES[kind]).format(place=place),
            kind.value,
            _at(start),
            _at(end),
            address,
            CoordinateSystem.WGS84.value,
            unit.pk,
            capacity,
            DESCRIPTIONS[kind],
            state.value,
            participants,
            summary,
            held_at and _at(held_at),
            reason,
            reporter.pk,
            version,
            _at(created),
            _at(updated),
            {"type": "Point", "coordinates": [lon, lat]},
            lon,
            lat,
            lon,
            lat,
            lon,
            lat,
        )
    )


def _report_as_streets(made):
    """The cases found name the street's reporter and office, as the activity action does,
    and so do their report steps."""
    update_rows(Case, ["reported_by", "reporter_name", "reporter_phone"], made.reporters)
    by = VolunteerFinding.objects.filter(case=OuterRef("case_id")).values(
        "activity__created_by_id"
    )[:1]
    CaseEvent.objects.filter(
        case_id__in=VolunteerFinding.objects.values("case_id"), action=CaseAction.REPORT
    ).update(by=Subquery(by))


def generate(rng, scale, campaign, today):
    """The streets' volunteer activities up to four weeks after ``today``; returns counts."""
    rng = random.Random(rng.getrandbits(64))
    offices = streets()
    if not offices or today < campaign.start_date:
        return {}
    now = present(today).timestamp()
    count = ACTIVITIES[scale]
    cases = _volunteer_cases(campaign)
    first = _local(campaign.start_date, 0).timestamp()
    plans = _around_cases(rng, cases, offices, round(count * AROUND_CASE), first)
    around = len(plans)
    last_day = today + datetime.timedelta(days=AHEAD_DAYS)
    plans += _regular(rng, offices, count - around, campaign.start_date, last_day)
    plans.sort(key=lambda plan: (plan[1], plan[0]))
    made = _Made(cases)
    # Regular activities may be called off; one to come is, if none was by chance.
    cancelled = [plan[3] is None and rng.random() < CANCELLED for plan in plans]
    if not any(cancelled):
        ahead = [k for k, plan in enumerate(plans) if plan[1] > now and plan[3] is None]
        if ahead:
            cancelled[ahead[0]] = True
    ids = reserve_ids(VolunteerActivity, len(plans))
    for pk, plan, cancel in zip(ids, plans, cancelled, strict=True):
        _activity(rng, made, pk, campaign, offices[plan[0]], plan, now, cancel)
    insert_rows(VolunteerActivity, ACTIVITY_FIELDS, made.activities)
    insert_rows(VolunteerSignup, ("activity_id", "name", "phone", "created_at"), made.signups)
    insert_rows(VolunteerFinding, ("activity_id", "case_id", "found_at"), made.findings)
    _report_as_streets(made)
    states = {}
    for row in made.activities:
        states[row[11]] = states.get(row[11], 0) + 1
    totals = {
        "activities": len(made.activities),
        "around_cases": around,
        "signups": len(made.signups),
        "findings": len(made.findings),
        **{"state_" + state: n for state, n in sorted(states.items())},
    }
    record_changes(
        [
            Change(
                campaign,
                ChangeAction.CREATE,
                after={"demo": "volunteer activities", **totals},
                reason=DEMO_REASON,
            )
        ],
        actor=None,
    )
    return totals
