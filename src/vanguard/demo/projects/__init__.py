"""Synthetic major projects: a plausible year of pipeline, key nodes, reports and certification.

Deterministic for a seed. Units perform unevenly (a few lag badly), so lights, gaps and
charts show something real. Rows are built as plain tuples and written in chunks
through ``core.bulk.insert_rows`` (ids reserved first, so reports and milestones name
their projects), which at city scale is about four times faster than ``bulk_create``.
The change log gets one summary entry per generated table, since per-row entries for a
million synthetic reports would tell a reader nothing.
"""

import random

from django.contrib.auth import get_user_model
from django.db import connection

from vanguard.audit.choices import DEMO_REASON, ChangeAction
from vanguard.audit.log import Change, record_changes
from vanguard.calendar.periods import PeriodKind, period_containing
from vanguard.calendar.services import load_calendar
from vanguard.core.bulk import sqlite_cache
from vanguard.demo.org import POSTS_LEAD
from vanguard.demo.projects.rows import Drawing, generate_chunk
from vanguard.demo.projects.words import BLOCKERS, SUPPORTING
from vanguard.org.choices import Role, UnitKind
from vanguard.org.models import Person, RoleAssignment, Unit
from vanguard.projects.deadlines import dekad_due
from vanguard.projects.models import DekadReport, KeyNode, Milestone, Project, ReportedNode

SCALES = {
    # projects, and how many of the latest dekads carry reports (None: the whole year)
    "district": (900, None),
    "city": (100_000, 16),
}


def _lead_units():
    return list(
        Unit.objects.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.STREET, UnitKind.OTHER])
        .exclude(code="zhb")
        .order_by("pk")
    )


def _reporters():
    """One reporter account per unit (the first by id), to sign the generated reports."""
    rows = (
        RoleAssignment.objects.filter(role=Role.UNIT_REPORTER)
        .order_by("unit_id", "person__user_id")
        .values_list("unit_id", "person__user_id")
    )
    reporters = {}
    for unit_id, user_id in rows:
        reporters.setdefault(unit_id, user_id)
    return reporters


def _heads(units):
    """The head of each unit (the first person holding a lead post): projects' responsible
    person."""
    heads = {}
    for unit_id, person_id in (
        Person.objects.filter(unit__in=units, post__in=POSTS_LEAD)
        .order_by("unit_id", "pk")
        .values_list("unit_id", "pk")
    ):
        heads.setdefault(unit_id, person_id)
    return heads


def prepare(rng, campaign, today, recent=None):
    """The drawing of the demo's projects: lead units and their pace, reporters, key nodes,
    the dekads reported (the latest ``recent`` of them; None: the whole year) and their due
    dates on the campaign's calendar. Draws each unit's pace from ``rng``.
    """
    units = _lead_units()
    reporters = _reporters()
    certifier = (
        get_user_model()
        .objects.filter(
            person__roles__role=Role.TASK_FORCE_MEMBER, person__roles__task_force__battle="projects"
        )
        .values_list("pk", flat=True)
        .first()
    )
    nodes = list(KeyNode.objects.filter(campaign=campaign).order_by("order"))
    calendar = load_calendar()
    last = period_containing(PeriodKind.DEKAD, today)
    dekads = []
    dekad = period_containing(PeriodKind.DEKAD, campaign.start_date)
    while dekad.start <= last.start:
        dekads.append((dekad, dekad_due(campaign, dekad, calendar)))
        dekad = dekad.next()
    if recent:
        dekads = dekads[-recent:]
    # Each unit's pace: most keep time, some slip, a few lag far behind.
    pace = {u.pk: rng.choice([0, 0, 0, 5, 10, 20, 45, 90]) for u in units}
    by_code = dict(Unit.objects.filter(code__in=SUPPORTING).values_list("code", "pk"))
    context = {
        "campaign_id": campaign.pk,
        "heads": _heads(units),
        "helpers": [by_code[c] for c in SUPPORTING if c in by_code],
        "owners": {title: by_code.get(code) for title, code, _r in BLOCKERS},
        "certifier": certifier,
    }
    drawing = Drawing(campaign, today, units, reporters, certifier, nodes, dekads, pace, context)
    return drawing, context


def generate(rng, scale, campaign, today):
    """Create projects, milestones, dekad reports, certifications and problems up to ``today``.

    Nothing is dated after ``today``; a project's stage and done key nodes are those of
    its certified reports (the latest dekad or two wait for certification and carry what
    is not counted yet); key nodes are done in their order, and a started project has
    every node done by its start.
    """
    # Its own stream, one draw from the shared one: the generators after this one get the
    # same draws whatever this one needs.
    rng = random.Random(rng.getrandbits(64))
    count, recent = SCALES[scale]
    drawing, context = prepare(rng, campaign, today, recent)
    totals = {"projects": 0, "milestones": 0, "reports": 0, "blockers": 0}
    chunk = 5000
    with sqlite_cache():
        for first in range(0, count, chunk):
            generate_chunk(rng, drawing, range(first, min(first + chunk, count)), totals, context)
    record_changes(
        [
            Change(
                campaign,
                ChangeAction.CREATE,
                after={"demo": "projects", **totals},
                reason=DEMO_REASON,
            )
        ],
        actor=None,
    )
    # Fresh statistics, so the pages' queries plan well on the tables just filled
    # (two seconds at city scale).
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            for model in (Project, Milestone, DekadReport, ReportedNode):
                cursor.execute("ANALYZE {}".format(connection.ops.quote_name(model._meta.db_table)))
    return totals
