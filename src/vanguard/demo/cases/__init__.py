"""Demo city cases: a year of the pool, from every source, in every state, on working time.

At district scale a few thousand cases, at city scale a million, of which about a tenth
are open on the demo's day (the brief's 100,000): reported from the campaign's first
day to the present, more on weekdays and in the daytime, from patrols, the 12345
hotline, citizens' photo reports, inspections, volunteers and Open311; routed as
``citywork.routing`` routes (the demo adds the departments' routes: traffic to the
transport bureau, manholes and pipes to the water bureau, illegal building to the
enforcement bureau, ...) and otherwise to the grid's town or street; each taken through
its steps by ``flow`` with realistic timing (time limits counted on the working
calendar, replies after a share of the limit, each unit late for its usual share).

Two passes. The first draws each case's time, source, category and place in time order
and decides the duplicates (a public report near an open case of the same category is
merged into it and counts as its support). The second runs the cases newest first, so
that it knows how many are open when it reaches the old ones: old cases then stall
(nobody replies, registers, decides or checks) as often as it takes to reach the open
count, more of them from recent months than from January.

Rows are plain tuples written in chunks through ``core.bulk.insert_rows`` (COPY on
PostgreSQL). The flow record (``CaseEvent``) is written whole at district scale; at
city scale for the open cases, those returned, reworked or postponed (the bulletin
counts returns and rework from it) and a sample of the rest. As with the projects, the
change log gets one summary entry, not a million. Deterministic for a seed.
"""

import datetime
import math
import random
from array import array
from bisect import bisect_right
from itertools import accumulate

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from vanguard.audit.choices import DEMO_REASON, ChangeAction
from vanguard.audit.log import Change, record_changes
from vanguard.calendar.services import load_calendar
from vanguard.calendar.worktime import TimeUnit
from vanguard.citywork.case_defaults import ensure_case_categories
from vanguard.citywork.models import Case, CaseCategory, CaseEvent, CaseRoute, Grid
from vanguard.citywork.models.cases import OPEN_STATES, TRACKING_ALPHABET, TRACKING_LENGTH
from vanguard.core import geo
from vanguard.core.bulk import (
    indexes_deferred,
    insert_rows,
    reserve_ids,
    sqlite_cache,
    update_rows,
)
from vanguard.demo.cases import flow, words
from vanguard.demo.cases.clock import FastClock
from vanguard.org.choices import Battle, Role
from vanguard.org.models import RoleAssignment, Unit

# cases in the year, open on the demo's day
SCALES = {"district": (4_000, 400), "city": (1_000_000, 100_000)}
CHUNK = 20_000
# Cases younger than this are left to run their course; older ones may stall.
STALL_AFTER_DAYS = 10
# How stalls thin out into the past: a case this many days old stalls e times as often as
# one twice as old.
STALL_DECAY_DAYS = 120
STALLS = [("dispatched", 72), ("handled", 10), ("report", 10), ("returned", 5), ("registered", 3)]
# A public report of the same category in the same grid within this many days of an
# earlier one is merged into it with this probability.
MERGE_DAYS, MERGE_SHARE = 3, 0.3
# People report in the daytime: weights of the hours 0–23.
HOURS = [1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 12, 9, 10, 13, 13, 12, 11, 9, 8, 6, 4, 3, 2]
IRREGULAR_POOL = 24
DAY = 86_400


def present(today):
    """The demo's present: now on the real today, else the evening of ``today``."""
    if today >= timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time(20)))


def _routes():
    """The departments' routes (``words.ROUTES``); returns {category id: unit id}."""
    units = dict(Unit.objects.filter(code__in=set(words.ROUTES.values())).values_list("code", "pk"))
    categories = dict(CaseCategory.objects.values_list("code", "pk"))
    wanted = [
        CaseRoute(category_id=categories[code], grid=None, unit_id=units[unit])
        for code, unit in words.ROUTES.items()
        if code in categories and unit in units
    ]
    CaseRoute.objects.bulk_create(wanted, ignore_conflicts=True)
    routed = {}
    for category_id, unit_id in CaseRoute.objects.filter(grid__isnull=True).values_list(
        "category_id", "unit_id"
    ):
        routed[category_id] = unit_id
    found = {}
    for pk, parent, unit in CaseCategory.objects.filter(parent__isnull=False).values_list(
        "pk", "parent_id", "unit_id"
    ):
        found[pk] = routed.get(pk) or routed.get(parent) or unit
    return found


def _grids(rng):
    """[(grid id, unit id, street name, west, south, east, north, points or None)] and
    cumulative weights: a street's grids get three times a town's cases."""
    grids, weights = [], []
    for pk, unit, street, geometry, box in (
        (g.pk, g.unit_id, g.unit.name, g.geometry, (g.min_lon, g.min_lat, g.max_lon, g.max_lat))
        for g in Grid.objects.select_related("unit").order_by("code")
    ):
        west, south, east, north = box
        ring = geometry["coordinates"][0] if geometry["type"] == "Polygon" else None
        square = (
            ring is not None
            and len(ring) == 5
            and {tuple(p) for p in ring}
            == {
                (west, south),
                (east, south),
                (east, north),
                (west, north),
            }
        )
        points = None
        if not square:
            points = []
            for _try in range(IRREGULAR_POOL * 20):
                lon, lat = rng.uniform(west, east), rng.uniform(south, north)
                if geo.contains(geometry, lon, lat):
                    points.append((round(lon, 6), round(lat, 6)))
                    if len(points) == IRREGULAR_POOL:
                        break
            points = points or [tuple(round(v, 6) for v in geo.centroid(geometry))]
        grids.append((pk, unit, street, west, south, east, north, points))
        weights.append(3 if street.endswith("街道") else 1)
    return grids, list(accumulate(weights))


def _people():
    """The task force's dispatcher and checker, and a reporter of each unit."""
    users = get_user_model().objects
    members = list(
        users.filter(
            person__roles__role=Role.TASK_FORCE_MEMBER,
            person__roles__task_force__battle=Battle.CITYWORK,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    office = users.filter(username="office").values_list("pk", flat=True).first()
    dispatcher = members[0] if members else office
    checker = members[1] if len(members) > 1 else office
    reporters = {}
    for unit_id, user_id in (
        RoleAssignment.objects.filter(role=Role.UNIT_REPORTER)
        .order_by("unit_id", "person__user_id")
        .values_list("unit_id", "person__user_id")
    ):
        reporters.setdefault(unit_id, user_id)
    return dispatcher, checker, reporters


def _times(rng, first, today, now, count):
    """``count`` report times (POSIX seconds, ascending) from ``first`` to ``now``."""
    days = [first + datetime.timedelta(days=n) for n in range((today - first).days + 1)]
    starts = [
        timezone.make_aware(datetime.datetime.combine(d, datetime.time())).timestamp() for d in days
    ]
    weights = [
        (0.75 if d.weekday() >= 5 else 1.0) * (1.15 if 6 <= d.month <= 9 else 1.0) for d in days
    ]
    weights[-1] *= min(1.0, max(0.0, (now - starts[-1]) / DAY))
    total = sum(weights)
    shares = [count * w / total for w in weights]
    counts = [int(s) for s in shares]
    for i in sorted(range(len(days)), key=lambda i: counts[i] - shares[i])[: count - sum(counts)]:
        counts[i] += 1
    hours = list(accumulate(HOURS))
    times = array("d")
    for start, n in zip(starts, counts, strict=True):
        drawn = [
            start + 3600 * bisect_right(hours, rng.random() * hours[-1]) + rng.random() * 3600
            for _ in range(n)
        ]
        drawn = [t if t <= now else start + rng.random() * (now - start) for t in drawn]
        times.extend(sorted(drawn))
    return times


# Tracking codes two characters at a time: one draw of bits gives a whole code.
PAIRS = [a + b for a in TRACKING_ALPHABET for b in TRACKING_ALPHABET]
CODES = len(PAIRS) ** (TRACKING_LENGTH // 2)


def _tracking(rng, seen):
    """A tracking code no other demo case has (the column is unique)."""
    while True:
        n = rng.getrandbits(CODES.bit_length() + 8) % CODES
        parts = []
        for _pair in range(TRACKING_LENGTH // 2):
            n, k = divmod(n, len(PAIRS))
            parts.append(PAIRS[k])
        code = "".join(parts)
        if code not in seen:
            seen.add(code)
            return code


def generate(rng, scale, campaign, today):
    """Create the demo's cases up to ``today``; returns the counts made."""
    rng = random.Random(rng.getrandbits(64))
    ensure_case_categories()
    count, open_target = SCALES[scale]
    grids, grid_weights = _grids(rng)
    if not grids or today < campaign.start_date:
        return {}
    routed = _routes()
    dispatcher, checker, reporters = _people()
    now = present(today).timestamp()
    calendar = load_calendar().with_provisional()
    first = campaign.start_date
    clock = FastClock.of(calendar, first, (today - first).days + 150)
    categories = {
        c.pk: (c.code, c.name, float(c.time_limit), TimeUnit(c.time_unit), c.close_condition)
        for c in CaseCategory.objects.filter(parent__isnull=False, active=True)
    }
    category_ids = sorted(categories, key=lambda pk: categories[pk][0])
    category_weights = list(
        accumulate(words.FREQUENCY.get(categories[pk][0], 1) for pk in category_ids)
    )
    source_names = [name for name, _share in words.SOURCES]
    source_weights = list(accumulate(share for _name, share in words.SOURCES))
    units = sorted({g[1] for g in grids} | {u for u in routed.values() if u})
    return_to = list(
        Unit.objects.filter(code__in=words.RETURN_TO).order_by("code").values_list("pk", flat=True)
    )
    world = flow.World(
        rng=rng,
        clock=clock,
        now=now,
        campaign_id=campaign.pk,
        categories=categories,
        dispatcher=dispatcher,
        checker=checker,
        reporters=reporters,
        late={u: rng.choice([0.02, 0.04, 0.05, 0.06, 0.08, 0.12, 0.25]) for u in units},
        return_to=return_to,
        all_events=scale == "district",
    )

    # First pass: when, from where, what and where, and the duplicates.
    times = _times(rng, first, today, now, count)
    sources = rng.choices(range(len(source_names)), cum_weights=source_weights, k=count)
    kinds = rng.choices(range(len(category_ids)), cum_weights=category_weights, k=count)
    places = rng.choices(range(len(grids)), cum_weights=grid_weights, k=count)
    merge_into, supporters, last = {}, {}, {}
    for i in range(count):
        key = (places[i], kinds[i])
        earlier = last.get(key)
        if (
            earlier is not None
            and source_names[sources[i]] in flow.PUBLIC
            and times[i] - times[earlier] < MERGE_DAYS * DAY
            and times[i] < now - DAY
            and rng.random() < MERGE_SHARE
        ):
            merge_into[i] = earlier
            supporters[earlier] = supporters.get(earlier, 0) + 1
        else:
            last[key] = i
    del last

    # Second pass, newest first (module docstring).
    ids = reserve_ids(Case, count)
    old = now - STALL_AFTER_DAYS * DAY
    stall_weight = [math.exp(-(now - t) / (STALL_DECAY_DAYS * DAY)) for t in times]
    remaining = sum(w for t, w in zip(times, stall_weight, strict=True) if t < old)
    stall_kinds = [kind for kind, _w in STALLS]
    stall_cum = list(accumulate(w for _kind, w in STALLS))
    seen, opened, merged = set(), 0, []
    totals = {"cases": 0, "events": 0}
    with sqlite_cache(), indexes_deferred(Case, CaseEvent):
        for top in range(count, 0, -CHUNK):
            rows, events = [], []
            for i in range(top - 1, max(top - CHUNK, 0) - 1, -1):
                t, source = times[i], source_names[sources[i]]
                stalled = ""
                if t < old and i not in merge_into:
                    weight = stall_weight[i]
                    if remaining > 0 and rng.random() * remaining < (open_target - opened) * weight:
                        stalled = stall_kinds[bisect_right(stall_cum, rng.random() * stall_cum[-1])]
                        if stalled == "report" and source not in flow.PUBLIC:
                            stalled = "dispatched"
                    remaining -= weight
                grid = grids[places[i]]
                points = grid[7]
                if points is None:
                    lon = round(rng.uniform(grid[3], grid[5]), 6)
                    lat = round(rng.uniform(grid[4], grid[6]), 6)
                else:
                    lon, lat = points[rng.randrange(len(points))]
                category = category_ids[kinds[i]]
                reported = datetime.datetime.fromtimestamp(t, datetime.UTC)
                drawn = flow.Drawn(
                    pk=ids[i],
                    at=t,
                    source=source,
                    category=category,
                    grid=grid[0],
                    unit=routed.get(category) or grid[1],
                    street=grid[2],
                    lon=lon,
                    lat=lat,
                    stalled=stalled,
                    merge_into=ids[merge_into[i]] if i in merge_into else None,
                    supporters=supporters.get(i, 0),
                    tracking=_tracking(rng, seen),
                    ticket="QD{:%Y%m%d}{:07d}".format(reported, i) if source == "hotline" else "",
                )
                row, steps = flow.run(world, drawn)
                if row[flow.STATE] in OPEN_STATES:
                    opened += 1
                if row[flow.MERGED_INTO] is not None:
                    # Named once every case is in: the case it joins comes in a later chunk,
                    # and SQLite would look for its references on every insert till then.
                    merged.append((row[0], row[flow.MERGED_INTO]))
                    row = (*row[: flow.MERGED_INTO], None, *row[flow.MERGED_INTO + 1 :])
                rows.append(row)
                events.extend(steps)
            rows.reverse()
            totals["cases"] += insert_rows(Case, flow.FIELDS, rows)
            totals["events"] += insert_rows(CaseEvent, flow.EVENT_FIELDS, events)
        update_rows(Case, ["merged_into"], merged)
    totals["open"] = opened
    totals.update({"state_" + str(state): n for state, n in sorted(world.counts.items())})
    record_changes(
        [
            Change(
                campaign,
                ChangeAction.CREATE,
                after={"demo": "cases", **totals},
                reason=DEMO_REASON,
            )
        ],
        actor=None,
    )
    with connection.cursor() as cursor:
        for model in (Case, CaseEvent):
            if connection.vendor in ("sqlite", "postgresql"):
                cursor.execute("ANALYZE {}".format(connection.ops.quote_name(model._meta.db_table)))
    return totals
