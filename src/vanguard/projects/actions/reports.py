"""Dekad reports (旬报) as a lead unit files them: submitting, replacing a waiting one,
resubmitting a returned one, correcting a certified one, and the problems they name.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.blockers.actions import do_raise_blockers
from vanguard.calendar.periods import FIRST_YEAR, PeriodKind, parse_label, period_containing
from vanguard.core.actors import user_of
from vanguard.core.money import format_yuan
from vanguard.core.preconditions import STALE
from vanguard.org import access
from vanguard.org.models import name_of
from vanguard.projects.actions import conflicts
from vanguard.projects.actions.common import local_today
from vanguard.projects.actions.locking import live_reports, lock_projects, lock_reports
from vanguard.projects.choices import STAGE_ORDER, ReportStatus, Stage
from vanguard.projects.deadlines import dekad_due
from vanguard.projects.models import DekadReport, KeyNode, ReportedNode


def _clean_report(
    project, *, period, progress, investment_yuan, stage_reached, stage_date, node_dates, today
):
    """Check a report's content; return (Period, {KeyNode: date}). Raises ValidationError."""
    errors = {}
    try:
        dekad = parse_label(period) if period else period_containing(PeriodKind.DEKAD, today)
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from None
    if dekad.kind != PeriodKind.DEKAD:
        errors["period"] = _("“{label}” is not a dekad (e.g. 2026-03-D1).").format(label=period)
    elif dekad.start > today:
        errors["period"] = _("The report for {label} opens on {start}.").format(
            label=dekad.display_label, start=dekad.start.isoformat()
        )
    elif dekad.end < project.campaign.start_date:
        errors["period"] = _("{label} is before the campaign, which starts on {start}.").format(
            label=dekad.display_label, start=project.campaign.start_date.isoformat()
        )
    if not (progress or "").strip():
        errors["progress"] = _("Describe the progress made in the dekad.")
    if investment_yuan is None or investment_yuan < 0:
        errors["investment_yuan"] = _("The amount must be zero or more.")
    elif investment_yuan > MAX_AMOUNT_YUAN:
        errors["investment_yuan"] = _("{amount} is more than any project invests.").format(
            amount=format_yuan(investment_yuan)
        )
    elif project.investment_yuan and investment_yuan > project.investment_yuan:
        errors["investment_yuan"] = _(
            "{amount} in one dekad is more than the project's whole investment of {total}."
        ).format(amount=format_yuan(investment_yuan), total=format_yuan(project.investment_yuan))
    if stage_reached:
        if stage_reached not in Stage.values:
            errors["stage_reached"] = _("Unknown stage: {stage}.").format(stage=stage_reached)
        elif STAGE_ORDER[stage_reached] < STAGE_ORDER[project.stage]:
            errors["stage_reached"] = _(
                "The project is already {stage}; a report cannot move it back."
            ).format(stage=Stage(project.stage).label)
        if stage_date is None:
            errors["stage_date"] = _("Give the date the stage was reached.")
        elif stage_date > today:
            errors["stage_date"] = _("{date} is in the future.").format(date=stage_date.isoformat())
        elif stage_date.year < FIRST_YEAR:
            errors["stage_date"] = _("{date} is not a real date for this.").format(
                date=stage_date.isoformat()
            )
    nodes = (
        {n.code: n for n in KeyNode.objects.filter(campaign_id=project.campaign_id)}
        if node_dates
        else {}
    )
    reached = {}
    for code, day in (node_dates or {}).items():
        node = nodes.get(code)
        if node is None:
            errors.setdefault("node_dates", []).append(
                _("Unknown key node: {code}.").format(code=code)
            )
        elif day > today:
            errors.setdefault("node_dates", []).append(
                _(
                    "{node}: {date} is in the future; only nodes already reached can be reported."
                ).format(node=node.name, date=day.isoformat())
            )
        elif day.year < FIRST_YEAR:
            errors.setdefault("node_dates", []).append(
                _("{node}: {date} is not a real date for this.").format(
                    node=node.name, date=day.isoformat()
                )
            )
        else:
            reached[node] = day
    if errors:
        raise ValidationError(errors)
    return dekad, reached


def _file_report(project, *, actor, dekad, reached, supersedes, today, now, **content):
    report = DekadReport.objects.create(
        project=project,
        unit_id=project.lead_unit_id,
        period=dekad.label,
        period_start=dekad.start,
        period_end=dekad.end,
        due_date=(due := dekad_due(project.campaign, dekad)).day,
        due_provisional=due.provisional,
        status=ReportStatus.SUBMITTED,
        submitted_by=user_of(actor),
        submitted_at=now,
        late=today > due.day,
        supersedes=supersedes,
        **content,
    )
    # What the report says was reached, as the API shows it without reading it again.
    report.node_list = ReportedNode.objects.bulk_create(
        [ReportedNode(report=report, node=node, actual_date=day) for node, day in reached.items()]
    )
    return report


# A yuan amount a database integer holds with room to add up a year of reports.
MAX_AMOUNT_YUAN = 10**17

# Problems met in one dekad on one project: more is a pasted list, not a report.
MAX_REPORT_PROBLEMS = 50


def _check_problem_count(blockers):
    titles = [item if isinstance(item, str) else item[0] for item in blockers]
    count = sum(1 for title in titles if title and title.strip())
    if count > MAX_REPORT_PROBLEMS:
        raise ValidationError(
            {
                "blockers": _(
                    "A report may name at most {limit} problems; this one names {count}. "
                    "Put related ones together."
                ).format(limit=MAX_REPORT_PROBLEMS, count=count)
            }
        )


# ``replaces`` not given: the caller replaces whatever report waits (no door does so now).
UNSEEN = object()


class StaleReport(ValidationError):
    """A report refused because it would replace a waiting one its author has not seen.

    ``waiting`` is the report waiting now (None: none waits), ``replaces`` the one the
    author named, so each door can say how to see and revise it in its own words.
    """

    def __init__(self, message, *, project, dekad, waiting, replaces):
        super().__init__(message, code=STALE)
        self.project, self.dekad, self.waiting, self.replaces = project, dekad, waiting, replaces


def _check_replaces(project, dekad, waiting, replaces):
    """Refuse unless ``replaces`` names the report waiting now (None: that none waits)."""
    if (waiting.pk if waiting else None) == (int(replaces) if replaces is not None else None):
        return
    raise StaleReport(
        _(
            "Another report of project {code} for {dekad} was submitted meanwhile "
            "(at {at}); reload the form to see it before replacing it."
        ).format(
            code=project.code,
            dekad=dekad.display_label,
            at=submitted_at(waiting) if waiting else "—",
        ),
        project=project,
        dekad=dekad,
        waiting=waiting,
        replaces=replaces,
    )


def submitted_at(report):
    """When a report was filed, as its readers' clock shows it (2026-03-05 10:00)."""
    return timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M")


def do_submit_report(
    project,
    *,
    actor,
    period=None,
    progress,
    investment_yuan=0,
    stage_reached="",
    stage_date=None,
    node_dates=None,
    blockers=(),
    today=None,
    replaces=UNSEEN,
):
    """File the lead unit's report on a project for a dekad (default: the current one).

    A report waiting for review is replaced (and kept as superseded); a returned one is
    superseded by the resubmission; a certified dekad takes a correction instead.
    ``blockers`` are problem titles (or (title, description) pairs) that become tracked
    blockers owned by the lead unit, from the moment the report is filed (a problem the
    project already has open is linked, not raised twice). ``replaces`` is the id of the
    waiting report the caller saw (None: it saw none); every door gives it, and when
    another is waiting now the report is refused (StaleReport) rather than replacing one
    the caller has not read. The project is locked first and everything is checked again
    under the lock (``actions.locking``).
    """
    today = local_today(today)
    access.require_report(actor, project)
    _check_problem_count(blockers)
    with transaction.atomic():
        project = lock_projects([project.pk])[project.pk]
        access.require_report(actor, project)
        dekad, reached = _clean_report(
            project,
            period=period,
            progress=progress,
            investment_yuan=investment_yuan,
            stage_reached=stage_reached,
            stage_date=stage_date,
            node_dates=node_dates,
            today=today,
        )
        live = live_reports(
            lock_reports(live_of=[(project.pk, dekad.label)]), project.pk, dekad.label
        )
        certified = live.get(ReportStatus.CERTIFIED)
        if certified is not None:
            raise _certified_already(project, dekad, certified, replaces)
        waiting = live.get(ReportStatus.SUBMITTED)
        if replaces is not UNSEEN:
            _check_replaces(project, dekad, waiting, replaces)
        supersedes = waiting or (
            DekadReport.objects.filter(
                project=project, period=dekad.label, status=ReportStatus.RETURNED
            )
            .order_by("-submitted_at", "-pk")
            .first()
        )
        report, changes = _submit(
            project,
            actor,
            dekad,
            reached,
            waiting,
            today,
            supersedes=supersedes,
            progress=progress.strip(),
            investment_yuan=investment_yuan,
            stage_reached=stage_reached or "",
            stage_date=stage_date,
        )
        record_changes(changes, actor=actor)
        report.problem_list = _raise_blockers(project, report, blockers, actor, today)
    return report


def _certified_already(project, dekad, certified, replaces):
    """The refusal of a report for a dekad whose report is certified: a correction it is.

    The author who named a waiting report (it was certified meanwhile) is told who
    certified it and when (409 in the API); one who named none, that it is locked (422).
    """
    if replaces is not UNSEEN and replaces is not None:
        return ValidationError(
            _(
                "The report of project {code} for {dekad} was certified by {who} at {at} while"
                " you revised it; it is locked now. Read it, and file a correction if your"
                " figures differ."
            ).format(
                code=project.code,
                dekad=dekad.display_label,
                who=name_of(certified.reviewed_by),
                at=conflicts.at(certified.reviewed_at),
            ),
            code=STALE,
        )
    return ValidationError(
        _(
            "The report of project {code} for {dekad} is already certified and locked; "
            "file a correction instead."
        ).format(code=project.code, dekad=dekad.display_label)
    )


def _submit(project, actor, dekad, reached, waiting, today, *, supersedes, reason="", **content):
    """Supersede the waiting report (locked) and file the new one; return it and the changes."""
    changes = []
    if waiting is not None:
        # The locked project, so the change log names the report without reading it again.
        waiting.project = project
        before = snapshot(waiting, ["status"])
        waiting.status = ReportStatus.SUPERSEDED
        waiting.save(update_fields=["status"])
        changes.append(Change(waiting, ChangeAction.UPDATE, before, snapshot(waiting, ["status"])))
    report = _file_report(
        project,
        actor=actor,
        dekad=dekad,
        reached=reached,
        supersedes=supersedes,
        today=today,
        now=timezone.now(),
        **content,
    )
    changes.append(
        Change(report, ChangeAction.CREATE, after=_report_snapshot(report, reached), reason=reason)
    )
    return report, changes


def _report_snapshot(report, reached):
    data = snapshot(report)
    data["nodes"] = {str(node.pk): day.isoformat() for node, day in reached.items()}
    return data


def _raise_blockers(project, report, blockers, actor, today):
    """Link the report to the problems it names; raise those the project has not open yet.

    A problem repeated by a later report (a resubmission, the next dekad's report) is the
    same open blocker, not a second one; a solved problem that comes back is raised anew.
    """
    named = do_raise_blockers(
        project,
        blockers,
        unit=project.lead_unit_id,
        actor=actor,
        occasion=report,
        raised_on=today,
    )
    DekadReport.blockers.through.objects.bulk_create(
        [DekadReport.blockers.through(dekadreport=report, blocker=b) for b in named]
    )
    return named


def do_correct_report(
    report,
    *,
    actor,
    reason,
    progress,
    investment_yuan=0,
    stage_reached="",
    stage_date=None,
    node_dates=None,
    today=None,
    replaces=UNSEEN,
):
    """File a correction of a certified report: a new report that supersedes it once certified.

    ``replaces`` names the correction waiting for certification that the caller saw (None:
    it saw none), as for do_submit_report. Under the project's lock the report must still
    be the dekad's certified one: if a correction was certified in its place meanwhile,
    the correction is refused (409) and names that one.
    """
    today = local_today(today)
    # A report's project and dekad never change: the caller's copy names them.
    project_id, period = report.project_id, report.period
    access.require_report(actor, report.project)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("A correction needs a reason.")})
    with transaction.atomic():
        project = lock_projects([project_id])[project_id]
        access.require_report(actor, project)
        locked = lock_reports([report.pk], live_of=[(project_id, period)])
        current = locked[report.pk]
        live = live_reports(locked, project_id, period)
        if current.status != ReportStatus.CERTIFIED:
            raise conflicts.not_correctable(current, live, project)
        dekad, reached = _clean_report(
            project,
            period=period,
            progress=progress,
            investment_yuan=investment_yuan,
            stage_reached=stage_reached,
            stage_date=stage_date,
            node_dates=node_dates,
            today=today,
        )
        waiting = live.get(ReportStatus.SUBMITTED)
        if replaces is not UNSEEN:
            _check_replaces(project, dekad, waiting, replaces)
        correction, changes = _submit(
            project,
            actor,
            dekad,
            reached,
            waiting,
            today,
            supersedes=current,
            reason=reason.strip(),
            progress=progress.strip(),
            investment_yuan=investment_yuan,
            stage_reached=stage_reached or "",
            stage_date=stage_date,
        )
        # A correction changes the figures, not the problems: it names those the report did.
        correction.problem_list = list(current.blockers.select_related("unit"))
        DekadReport.blockers.through.objects.bulk_create(
            [
                DekadReport.blockers.through(dekadreport=correction, blocker=blocker)
                for blocker in correction.problem_list
            ]
        )
        record_changes(changes, actor=actor)
    return correction


def dekad_of(day: datetime.date):
    """The dekad containing ``day``."""
    return period_containing(PeriodKind.DEKAD, day)
