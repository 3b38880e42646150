"""Demo patrols (巡查): the city-work task force's members out in the grids over the year.

The task force gets patrol members beside ``tf_citywork`` (three at district scale, 29 at
city scale), people of the city management bureau. Their patrols run from the campaign's
first day to the demo's present, a few dozen at district scale and a few thousand at
city scale, each in one grid with the roads it covered in words, one to four hours of
the day, and no member on two at once. Most are drawn around one of the patrol cases
the case generator made: every patrol case of the grid reported while the patrol was out
is its finding, the member that case's reporter and checker (as ``do_record_finding``
makes them). Some patrols support an open case of their grid instead of reporting it
again (its support count one more, a "reported again" step). ``tf_citywork``, the demo's
account of the task force, is on patrol now, so a visitor can record a finding at once.

Rows go in through ``core.bulk.insert_rows``; the database finds the findings (one join
of the patrols with their grids' cases) and the cases are updated in place. The change
log gets the new members and one summary entry. Deterministic for a seed.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from vanguard.audit.choices import DEMO_REASON, ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.citywork.models import Case, CaseEvent, Grid, Patrol, PatrolFinding
from vanguard.citywork.models.cases import CaseAction, CaseSource
from vanguard.core.bulk import insert_rows, reserve_ids, update_rows
from vanguard.demo.cases import flow, present, words
from vanguard.demo.org import made_up_name, made_up_phone
from vanguard.org.choices import Battle, Role
from vanguard.org.models import Person, RoleAssignment, TaskForce, Unit

# Patrol members besides tf_citywork, and patrols in the year, at each scale.
MEMBERS = {"district": 3, "city": 29}
PATROLS = {"district": 48, "city": 3000}
# Shares of the patrols drawn around a patrol case, and of the closed ones that support an
# open case of their grid (when there is one).
FOUND_SHARE, SUPPORT_SHARE = 0.75, 0.3
# When a patrol not drawn around a case sets out; a member rests this long between two.
START_HOURS = [8, 8, 9, 9, 10, 13, 14, 14, 15, 19]
REST = 1800
CHUNK = 500
HOUR = 3600
PATROL_FIELDS = (
    "id",
    "campaign_id",
    "member_id",
    "started_at",
    "ended_at",
    "grid_id",
    "area",
    "note",
)
FINDING_FIELDS = ("patrol_id", "case_id", "supported", "note", "found_at")
STAFF_STEPS = [
    CaseAction.REPORT,
    CaseAction.REGISTER,
    CaseAction.CHECK_PASSED,
    CaseAction.CHECK_FAILED,
]
NOTES = [
    "日常巡查",
    "重点巡查{spot}周边市容秩序",
    "巡查{spot}一带，督促商户门前三包",
    "沿{road}巡查，复核已派遣案件",
    "巡查背街小巷环境卫生",
]
EVENING_NOTE = "夜间巡查，重点检查占道经营和夜间施工"
SEEN_AGAIN = ["现场复核，问题仍未整改", "问题依旧存在，已拍照留存", "群众反映属实，问题仍存在"]


def _at(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC)


def _members(rng, scale, campaign):
    """The task force's patrol members: tf_citywork first, then those made here."""
    User = get_user_model()
    first = User.objects.filter(username="tf_citywork").first()
    task_force = TaskForce.objects.filter(campaign=campaign, battle=Battle.CITYWORK).first()
    unit = Unit.objects.filter(code="cgj").first()
    if first is None or task_force is None or unit is None:
        return []
    # The demo's one password, hashed once for all the demo's accounts.
    users = User.objects.bulk_create(
        [
            User(username="patrol_{:02d}".format(n), password=first.password)
            for n in range(1, MEMBERS[scale] + 1)
        ]
    )
    people = Person.objects.bulk_create(
        [
            Person(
                user=user,
                name=made_up_name(rng),
                unit=unit,
                post="重要工作专班巡查员",
                phone=made_up_phone(rng),
            )
            for user in users
        ]
    )
    roles = RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(person=person, role=Role.TASK_FORCE_MEMBER, task_force=task_force)
            for person in people
        ]
    )
    record_changes(
        [
            Change(obj, ChangeAction.CREATE, after=snapshot(obj), reason=DEMO_REASON)
            for obj in (*people, *roles)
        ],
        actor=None,
    )
    return [first.pk] + [user.pk for user in users]


def _seeds(rng, campaign, count):
    """(grid id, POSIX seconds) of ``count`` patrol cases drawn at random, oldest first."""
    ids = list(
        Case.objects.filter(campaign=campaign, source=CaseSource.PATROL, grid__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = sorted(rng.sample(ids, min(count, len(ids))))
    seeds = []
    for start in range(0, len(chosen), CHUNK):
        seeds += (
            Case.objects.filter(pk__in=chosen[start : start + CHUNK])
            .order_by("pk")
            .values_list("grid_id", "reported_at")
        )
    return [(grid, reported.timestamp()) for grid, reported in seeds]


def _plan(rng, campaign, today, now, count, grids):
    """[(start, end, grid id)] of the closed patrols, POSIX seconds, by start."""
    plans = []
    for grid, t in _seeds(rng, campaign, round(count * FOUND_SHARE)):
        start = t - rng.uniform(10, 70) * 60
        end = min(max(t + rng.uniform(40, 180) * 60, start + HOUR), now)
        plans.append((start, end, grid))
    days = (today - campaign.start_date).days + 1
    while len(plans) < count:
        day = campaign.start_date + datetime.timedelta(days=rng.randrange(days))
        if day.weekday() >= 5 and rng.random() < 0.6:
            continue  # fewer patrols at the weekend
        midnight = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
        start = midnight.timestamp() + (rng.choice(START_HOURS) + rng.random()) * HOUR
        end = start + rng.uniform(1, 3.5) * HOUR
        if end < now:
            plans.append((start, end, rng.choice(grids)[0]))
    plans.sort()
    return plans


def _assign(rng, plans, members, open_start):
    """Each plan with a member free then (resting between two patrols), or dropped.

    ``tf_citywork`` (the first member) takes none that ends after its open patrol starts.
    """
    free_at = dict.fromkeys(members, 0.0)
    assigned = []
    for start, end, grid in plans:
        free = [
            m
            for m in members
            if free_at[m] + REST <= start and (m != members[0] or end + REST <= open_start)
        ]
        if free:
            member = rng.choice(free)
            free_at[member] = end
            assigned.append((start, end, grid, member))
    return assigned


def _words(rng, street, evening):
    road, other = rng.sample(words.ROADS, 2)
    area = rng.choice(["{}{}沿线", "{}{}至{}一带", "{}{}及周边"]).format(street, road, other)
    note = EVENING_NOTE if evening else rng.choice(NOTES)
    return area, note.format(spot=rng.choice(words.SPOTS), road=road)


def _found(campaign):
    """(patrol, member, case, reported at, description) of every patrol case reported in a
    patrol's grid while it was out, the earliest patrol first: one join in the database."""
    return (
        Patrol.objects.filter(campaign=campaign)
        .filter(
            Q(ended_at__isnull=True) | Q(grid__cases__reported_at__lte=F("ended_at")),
            grid__cases__source=CaseSource.PATROL,
            grid__cases__reported_at__gte=F("started_at"),
        )
        .order_by("started_at", "pk", "grid__cases__reported_at", "grid__cases__pk")
        .values_list(
            "pk",
            "member_id",
            "grid__cases__pk",
            "grid__cases__reported_at",
            "grid__cases__description",
        )
    )


def _supportable(patrols):
    """(patrol, member, start, end, case) of each of ``patrols`` (closed ones' ids) with an
    open case in its grid then: the newest reported before it set out and not closed
    before it came back."""
    open_then = (
        Case.objects.filter(grid=OuterRef("grid"), reported_at__lt=OuterRef("started_at"))
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gt=OuterRef("ended_at")))
        .order_by("-reported_at", "-pk")
        .values("pk")[:1]
    )
    found = []
    for start in range(0, len(patrols), CHUNK):
        found += (
            Patrol.objects.filter(pk__in=patrols[start : start + CHUNK])
            .annotate(open_case=Subquery(open_then))
            .order_by("pk")
            .values_list("pk", "member_id", "started_at", "ended_at", "open_case")
        )
    # Filtered here, not in SQL, where the subquery would run twice.
    return [row for row in found if row[4] is not None]


def _support(rng, rows):
    """Findings of some of the closed patrols ``rows`` that support an open case of their
    grid, the case's count and flow record one more each."""
    chosen = [row[0] for row in rows if row[4] is not None and rng.random() < SUPPORT_SHARE]
    findings, steps, added = [], [], {}
    for patrol, member, start, end, case in _supportable(chosen):
        at = _at(rng.uniform(start.timestamp(), end.timestamp()))
        findings.append((patrol, case, True, rng.choice(SEEN_AGAIN), at))
        steps.append((case, CaseAction.SUPPORT.value, at, member, None, "", True))
        added[case] = added.get(case, 0) + 1
    counts, recorded = [], set()
    cases = sorted(added)
    for start in range(0, len(cases), CHUNK):
        chunk = cases[start : start + CHUNK]
        counts += Case.objects.filter(pk__in=chunk).values_list("pk", "supporters")
        # At city scale only some cases keep their flow record: a step joins only those.
        recorded.update(
            CaseEvent.objects.filter(case_id__in=chunk, action=CaseAction.REPORT).values_list(
                "case_id", flat=True
            )
        )
    update_rows(Case, ["supporters"], [(pk, n + added[pk]) for pk, n in counts])
    insert_rows(CaseEvent, flow.EVENT_FIELDS, [s for s in steps if s[0] in recorded])
    return findings


def _report_as_members(campaign):
    """The cases a patrol reported name its member as reporter and checker, as the patrol
    action does, and so do their report, registration and check steps."""
    found = PatrolFinding.objects.filter(
        patrol__campaign=campaign, supported=False, case=OuterRef("pk")
    ).values("patrol__member_id")[:1]
    theirs = PatrolFinding.objects.filter(patrol__campaign=campaign, supported=False).values(
        "case_id"
    )
    Case.objects.filter(pk__in=theirs).update(reported_by=Subquery(found), checker=Subquery(found))
    step_found = PatrolFinding.objects.filter(
        patrol__campaign=campaign, supported=False, case=OuterRef("case_id")
    ).values("patrol__member_id")[:1]
    CaseEvent.objects.filter(case_id__in=theirs, action__in=STAFF_STEPS).update(
        by=Subquery(step_found)
    )


def generate(rng, scale, campaign, today):
    """The year's patrols and their findings up to ``today``; returns the counts made."""
    rng = random.Random(rng.getrandbits(64))
    grids = list(Grid.objects.order_by("code").values_list("pk", "unit__name"))
    if not grids or today < campaign.start_date:
        return {}
    members = _members(rng, scale, campaign)
    if not members:
        return {}
    streets = dict(grids)
    now = present(today).timestamp()
    open_start = now - rng.uniform(0.5, 1.5) * HOUR
    plans = _assign(
        rng, _plan(rng, campaign, today, now, PATROLS[scale] - 1, grids), members, open_start
    )
    plans.append((open_start, None, rng.choice(grids)[0], members[0]))
    ids = reserve_ids(Patrol, len(plans))
    rows = []
    for pk, (start, end, grid, member) in zip(ids, plans, strict=True):
        hour = timezone.localtime(_at(start)).hour
        area, note = _words(rng, streets[grid], evening=hour >= 18 or hour < 6)
        rows.append((pk, campaign.pk, member, _at(start), end and _at(end), grid, area, note))
    insert_rows(Patrol, PATROL_FIELDS, rows)

    findings, taken = [], set()
    for patrol, _member, case, reported, description in _found(campaign):
        if case not in taken:  # a case reported once, by the first patrol that saw it
            taken.add(case)
            findings.append((patrol, case, False, description, reported))
    new = len(findings)
    findings += _support(rng, rows)
    insert_rows(PatrolFinding, FINDING_FIELDS, findings)
    _report_as_members(campaign)
    totals = {
        "patrols": len(rows),
        "members": len(members),
        "findings": len(findings),
        "reported": new,
        "supported": len(findings) - new,
    }
    record_changes(
        [
            Change(
                campaign,
                ChangeAction.CREATE,
                after={"demo": "patrols", **totals},
                reason=DEMO_REASON,
            )
        ],
        actor=None,
    )
    return totals
