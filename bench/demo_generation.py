"""Time `vanguard demo` at one scale in a fresh database; print one JSON line.

With --naive, time the same organisation rows written the naive way instead: one
ORM save and one change-log entry per row, each in its own transaction.
With --bulk-create, run the whole demo but write the projects' rows (projects,
milestones, reports) through Django's bulk_create instead of core.bulk.insert_rows:
the same rows, the way the generator wrote them before.
The projects part, the indicators part (statistics, sectors and key enterprises), the
city cases, the patrols and volunteer activities and the light recompute the command
runs afterwards are timed on their own (``projects_seconds``, ``indicators_seconds``,
``cases_seconds``, ``field_seconds``, ``lights_seconds``).
Run by bench/run.py, which gives each run its own empty database.
"""

import argparse
import io
import json
import os
import random
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=["district", "city"], required=True)
    parser.add_argument("--naive", action="store_true")
    parser.add_argument("--bulk-create", action="store_true")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanguard.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    projects_seconds = time_projects_part()
    indicators_seconds = time_parts("vanguard.demo.indicators", "vanguard.demo.enterprises")
    cases_seconds = time_parts("vanguard.demo.cases")
    field_seconds = time_parts("vanguard.demo.patrols", "vanguard.demo.volunteers")
    lights_seconds = time_lights_part()
    if args.bulk_create:
        write_projects_with_bulk_create()
    if not args.naive:
        started = time.perf_counter()
        call_command("demo", scale=args.scale, seed=1, stdout=io.StringIO())
        elapsed = time.perf_counter() - started
    else:
        elapsed = naive(args.scale)
    from vanguard.audit.models import ChangeEntry
    from vanguard.citywork.models import (
        Case,
        CaseEvent,
        Patrol,
        PatrolFinding,
        VolunteerActivity,
        VolunteerFinding,
        VolunteerSignup,
    )
    from vanguard.citywork.models.cases import OPEN_STATES
    from vanguard.org.models import Person, Unit
    from vanguard.projects.models import DekadReport, Milestone, Project

    print(
        json.dumps(
            {
                "scale": args.scale,
                "naive": args.naive,
                "bulk_create": args.bulk_create,
                "seconds": round(elapsed, 3),
                "projects_seconds": round(projects_seconds[0], 3),
                "lights_seconds": round(lights_seconds[0], 3),
                "indicators_seconds": round(indicators_seconds[0], 3),
                "cases_seconds": round(cases_seconds[0], 3),
                "field_seconds": round(field_seconds[0], 3),
                "cases": Case.objects.count(),
                "open_cases": Case.objects.filter(state__in=OPEN_STATES).count(),
                "case_steps": CaseEvent.objects.count(),
                "patrols": Patrol.objects.count(),
                "patrol_findings": PatrolFinding.objects.count(),
                "activities": VolunteerActivity.objects.count(),
                "signups": VolunteerSignup.objects.count(),
                "activity_findings": VolunteerFinding.objects.count(),
                "units": Unit.objects.count(),
                "people": Person.objects.count(),
                "log_entries": ChangeEntry.objects.count(),
                "projects": Project.objects.count(),
                "milestones": Milestone.objects.count(),
                "reports": DekadReport.objects.count(),
            }
        )
    )


def time_projects_part():
    """Time ``demo.projects.generate`` within the command; return a list holding the seconds."""
    return time_parts("vanguard.demo.projects")


def time_parts(*modules):
    """Time the ``generate`` of each demo module within the command; a list holding seconds."""
    import importlib

    spent = [0.0]
    for name in modules:
        module = importlib.import_module(name)
        module.generate = _timed(module.generate, spent)
    return spent


def _timed(function, spent):
    """``function``, adding the seconds each call takes to ``spent[0]``."""

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started

    return timed


def time_lights_part():
    """Time the light recompute the command may run after generating; a list holding seconds."""
    from vanguard.demo.management.commands import demo as command

    spent = [0.0]
    if getattr(command, "recompute", None) is not None:
        command.recompute = _timed(command.recompute, spent)
    return spent


def write_projects_with_bulk_create():
    """Make the projects generator write through bulk_create, as it did before core.bulk."""
    from vanguard.demo.projects import problems, rows

    def bulk_create_rows(model, field_names, rows, **kwargs):
        names = [model._meta.get_field(n).attname for n in field_names]
        objs = [model(**dict(zip(names, row, strict=True))) for row in rows]
        model.objects.bulk_create(objs, batch_size=5000)
        return len(objs)

    # Every module of the generator that writes rows.
    rows.insert_rows = bulk_create_rows
    problems.insert_rows = bulk_create_rows


def naive(scale):
    """The same units, accounts, people and roles, written one row at a time."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from vanguard.audit.choices import ChangeAction
    from vanguard.audit.log import record_change, snapshot
    from vanguard.demo import org as demo
    from vanguard.org.access import SYSTEM
    from vanguard.org.choices import Role
    from vanguard.org.models import Person, RoleAssignment, Unit
    from vanguard.plans.loader import load_plan

    rng = random.Random(1)
    started = time.perf_counter()
    load_plan(demo_plan_path(), actor=SYSTEM)
    password = make_password(demo.DEMO_PASSWORD)
    User = get_user_model()
    for code, name, kind in demo.unit_specs(scale):
        with transaction.atomic():
            unit = Unit.objects.create(code=code, name=name, kind=kind)
            record_change(unit, ChangeAction.CREATE, actor=None, after=snapshot(unit))
        for i in range(rng.choice((2, 3))):
            with transaction.atomic():
                user = User.objects.create(username="{}_{}".format(code, i + 1), password=password)
                person = Person.objects.create(user=user, name=demo._name(rng), unit=unit)
                record_change(person, ChangeAction.CREATE, actor=None, after=snapshot(person))
                if i:
                    role = RoleAssignment.objects.create(
                        person=person, role=Role.UNIT_REPORTER, unit=unit
                    )
                    record_change(role, ChangeAction.CREATE, actor=None, after=snapshot(role))
    return time.perf_counter() - started


def demo_plan_path():
    from django.conf import settings

    return settings.PROJECT_DIR / "plans" / "xihaian.yaml"


def field_work_report(demo_rows):
    """The section of docs/benchmarks.md on the patrols and volunteer activities part of
    ``vanguard demo`` at each scale (bench/run.py writes it)."""
    lines = [
        "",
        "## Demo generation: patrols and volunteer activities (`vanguard demo`, SQLite)",
        "",
        "The demo's patrols and volunteer activities (`demo.patrols`, `demo.volunteers`):",
        "rows as tuples through `core.bulk.insert_rows`, their findings the cases the case",
        "generator made (the patrols' found by one join in the database), those cases",
        "updated in place.",
        "",
        "| scale | patrols | patrol findings | activities | signups | activity findings"
        " | part (s) | whole command (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scale, fast, _naive in demo_rows:
        if "field_seconds" not in fast:
            continue
        lines.append(
            "| {} | {} | {} | {} | {} | {} | {:.1f} | {:.1f} |".format(
                scale,
                fast["patrols"],
                fast["patrol_findings"],
                fast["activities"],
                fast["signups"],
                fast["activity_findings"],
                fast["field_seconds"],
                fast["seconds"],
            )
        )
    return lines


if __name__ == "__main__":
    sys.exit(main())
