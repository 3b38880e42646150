"""The dekad report workbook (旬报表): a unit downloads it prefilled, fills it in, uploads it.

One row per active project of the unit: code, name and current stage; for each key
node its planned date and a cell for the date it was reached; then the dekad's
progress, investment completed (万元), stage reached and its date, and blockers, one
per line. The first line names the dekad by its label (e.g. 2026-03-D1), and so does
the sheet's name, so an upload knows which dekad it reports even with its title rows
deleted; a workbook of another dekad than the one chosen on the page is refused rather
than filed into the wrong one. Uploading files every filled-in row through
do_submit_report, all in one transaction; rows left blank are skipped.
"""

import re

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.calendar.periods import PeriodKind, parse_label
from vanguard.core.money import WAN, wan_number
from vanguard.exchange.importing import Column, FieldChange, Importer, Problem, RowAction, RowPlan
from vanguard.exchange.parsers import choice, integer, lines, money, parse_date, text
from vanguard.exchange.reading import header_name
from vanguard.exchange.xlsx import Sheet
from vanguard.org import access
from vanguard.org.access import restrict
from vanguard.projects.actions import do_submit_report, submitted_at
from vanguard.projects.actions.locking import lock_projects
from vanguard.projects.choices import STAGE_ORDER, MilestoneState, ReportStatus, Stage
from vanguard.projects.models import DekadReport, KeyNode, Milestone, Project
from vanguard.projects.sheets.columns import (
    CODE_COLUMN,
    LOOKUP_CHUNK,
    STAGE_LABELS,
    STAGE_SYNONYMS,
    as_text,
    chunks,
    money_text,
)

PERIOD_RE = re.compile(r"\b(\d{4}-\d{2}-D[1-3])\b")
STATUS_LABELS = {
    None: "未填报",
    ReportStatus.SUBMITTED: "已提交，待认定",
    ReportStatus.RETURNED: "已退回",
    ReportStatus.CERTIFIED: "已认定（锁定）",
}
# The columns a unit fills in (besides each node's date reached).
INPUT_KEYS = ("progress", "investment_yuan", "stage_reached", "stage_date", "blockers")


def report_columns(nodes):
    """The workbook's columns for a campaign's key nodes, in order."""
    columns = [
        CODE_COLUMN,
        Column("name", "项目名称", ("名称",), informational=True),
        Column("stage", "当前阶段", ("阶段",), informational=True),
        Column("status", "本旬状态", ("填报状态",), informational=True),
        # The waiting report the row was filled against: a row is refused if another
        # report was filed since, rather than replacing one its author has not seen.
        Column("basis", "基于旬报", ("基于旬报编号",), parser=integer(minimum=1)),
    ]
    for node in nodes:
        columns.append(Column("plan:" + node.code, node.name + "计划日期", informational=True))
        columns.append(
            Column(
                "node:" + node.code,
                node.name + "完成日期",
                (node.name + "实际完成日期", node.name + "完成时间", node.name + "实际日期"),
                parser=parse_date,
            )
        )
    columns += [
        Column(
            "progress",
            "本旬进展",
            ("本旬工作进展", "进展情况", "工作进展", "progress"),
            parser=text(),
        ),
        Column(
            "investment_yuan",
            "本旬完成投资（万元）",
            ("本旬完成投资", "完成投资", "investment completed"),
            parser=money(default_unit=WAN),
        ),
        Column(
            "stage_reached",
            "达到阶段",
            ("本旬达到阶段", "stage reached"),
            parser=choice(Stage, labels=STAGE_LABELS, synonyms=STAGE_SYNONYMS),
        ),
        Column("stage_date", "达到阶段日期", ("阶段日期", "stage date"), parser=parse_date),
        Column(
            "blockers",
            "堵点问题（每行一个）",
            ("堵点问题", "存在问题", "堵点痛点", "blockers"),
            parser=lines,
        ),
    ]
    return columns


def campaign_nodes(campaign):
    return list(KeyNode.objects.filter(campaign=campaign).order_by("order"))


# --- the download ---------------------------------------------------------------------


def active_projects(user, campaign, unit):
    """The unit's projects still to report on (not yet completed), as ``user`` may see them."""
    return (
        restrict(Project.objects.filter(campaign=campaign, lead_unit=unit), user)
        .exclude(stage=Stage.COMPLETED)
        .order_by("code")
    )


def report_workbook(*, user, campaign, unit, period):
    """The dekad's workbook for ``unit`` as a Sheet: prefilled with what was filed so far."""
    nodes = campaign_nodes(campaign)
    columns = report_columns(nodes)
    projects = list(
        active_projects(user, campaign, unit).prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.only(
                    "id", "project_id", "node_id", "planned_date", "actual_date", "state"
                ),
            )
        )
    )
    reports = _latest_reports(projects, period.label)
    rows = [_report_row(p, nodes, reports.get(p.pk)) for p in projects]
    index = {c.key: i for i, c in enumerate(columns)}
    inputs = {index[c.key] for c in columns if c.key.startswith("node:")}
    inputs |= {index[k] for k in INPUT_KEYS}
    widths = dict.fromkeys(range(len(columns)), 12)
    widths.update({index["name"]: 28, index["status"]: 16, index["progress"]: 40})
    widths.update({index["blockers"]: 36, index["investment_yuan"]: 14})
    return Sheet(
        title="旬报 {}".format(period.label),
        headers=[c.header for c in columns],
        rows=rows,
        caption=[
            "重大项目旬报 · {} · {}（{}）".format(unit.name, period.display_label, period.label),
            "填写说明：黄色列由单位填写；日期写作 2026-03-05；投资以万元为单位；堵点问题每行一个；"
            "未填写进展的项目不报送。“基于旬报”是下载时待认定旬报的编号，由系统填写，请勿修改；"
            "下载后若又有人提交了旬报，该行会被拒收，请重新下载。 / Fill in the yellow columns; "
            "dates as 2026-03-05; investment in 万元; one blocker per line; rows left blank are "
            "not filed. 基于旬报 is the waiting report this workbook was made from: leave it as "
            "it is; if another report is filed meanwhile, the row is refused.",
        ],
        widths=widths,
        input_columns=frozenset(inputs),
        wrap_columns=frozenset({index["progress"], index["blockers"], index["status"]}),
        choices={index["stage_reached"]: list(STAGE_LABELS.values())},
        freeze_columns=2,
    )


def _latest_reports(projects, label):
    """Each project's report of the dekad that says where it stands (certified, waiting, returned)."""
    found = {}
    rank = {ReportStatus.CERTIFIED: 0, ReportStatus.SUBMITTED: 1, ReportStatus.RETURNED: 2}
    ids = [p.pk for p in projects]
    for chunk in chunks(ids, LOOKUP_CHUNK):
        reports = (
            DekadReport.objects.filter(project_id__in=chunk, period=label, status__in=list(rank))
            .prefetch_related("nodes", "blockers")
            .order_by("-submitted_at")
        )
        for report in reports:
            current = found.get(report.project_id)
            if current is None or rank[report.status] < rank[current.status]:
                found[report.project_id] = report
    return found


def _report_row(project, nodes, report):
    milestones = {m.node_id: m for m in project.milestones.all()}
    status = STATUS_LABELS[report.status if report else None]
    if report is not None and report.status == ReportStatus.RETURNED and report.return_reason:
        status = "{}：{}".format(status, report.return_reason)
    # A certified dekad is locked: its inputs stay blank so a re-upload skips the row.
    content = report if report is not None and report.status != ReportStatus.CERTIFIED else None
    reported = {n.node_id: n.actual_date for n in content.nodes.all()} if content else {}
    basis = (
        str(report.pk) if report is not None and report.status == ReportStatus.SUBMITTED else None
    )
    row = [project.code, project.name, STAGE_LABELS.get(project.stage), status, basis]
    for node in nodes:
        milestone = milestones.get(node.pk)
        done = (
            milestone.actual_date if milestone and milestone.state == MilestoneState.DONE else None
        )
        row += [milestone.planned_date if milestone else None, reported.get(node.pk, done)]
    if content is None:
        return row + [None] * len(INPUT_KEYS)
    return row + [
        content.progress,
        wan_number(content.investment_yuan),
        STAGE_LABELS.get(content.stage_reached) if content.stage_reached else None,
        content.stage_date,
        "\n".join(b.title for b in content.blockers.all()) or None,
    ]


# --- the upload -----------------------------------------------------------------------


class DekadReportImporter(Importer):
    """File a unit's dekad reports from the workbook: one report per filled-in row."""

    def __init__(self, *, actor, campaign, period=None, today=None):
        super().__init__(actor=actor)
        self.campaign = campaign
        self.today = today or timezone.localdate()
        self.default_period = period
        self.nodes = campaign_nodes(campaign)
        self.columns = tuple(report_columns(self.nodes))
        self.headers = {c.key: header_name(c.header) for c in self.columns}
        self.periods = {}

    def check(self):
        if access.may_file_reports(self.actor):
            return []
        return [Problem(_("Only a unit's reporter may upload dekad reports."))]

    def begin_sheet(self, info):
        label, source = None, ""
        for values in info.preamble:
            for value in values.values():
                match = PERIOD_RE.search(str(value))
                if match:
                    label, source = match.group(1), _("its title")
                    break
            if label:
                break
        if label is None and (match := PERIOD_RE.search(info.title)):
            # The title rows were deleted; the sheet still bears its dekad's name.
            label, source = match.group(1), _("the sheet's name")
        where = {"sheet": info.title, "row": info.header_row}
        if label is None and self.default_period is None:
            return [
                Problem(
                    _(
                        "No dekad (e.g. 2026-03-D1) in the title or the sheet's name: use the"
                        " workbook downloaded from Vanguard, or choose the dekad on the page."
                    ),
                    **where,
                )
            ]
        try:
            period = parse_label(label) if label else self.default_period
        except ValueError as exc:
            return [Problem(str(exc), **where)]
        if period.kind != PeriodKind.DEKAD:
            return [Problem(_("“{p}” is not a dekad.").format(p=label), **where)]
        chosen = self.default_period
        if chosen is not None and period.label != chosen.label:
            return [
                Problem(
                    _(
                        "This workbook reports {dekad} ({label}), as {source} says, but"
                        " {chosen} is chosen on the page: nothing is filed. Choose {dekad}"
                        " and upload it again, or download the workbook of {chosen}."
                    ).format(
                        dekad=period.display_label,
                        label=period.label,
                        source=source,
                        chosen=chosen.display_label,
                    ),
                    **where,
                )
            ]
        if period.start > self.today:
            return [
                Problem(
                    _("Reports for {p} open on {start}.").format(
                        p=period.label, start=period.start.isoformat()
                    ),
                    **where,
                )
            ]
        self.periods[info.title] = period
        return []

    def field_column(self, field_name):
        return field_name if field_name in INPUT_KEYS else "code"

    def prepare(self, rows):
        codes = sorted({row.values.get("code") for row in rows} - {None})
        self.projects = {}
        for chunk in chunks(codes, LOOKUP_CHUNK):
            projects = (
                Project.objects.filter(code__in=chunk)
                .select_related("lead_unit")
                .prefetch_related(
                    Prefetch("milestones", queryset=Milestone.objects.select_related("node"))
                )
            )
            self.projects.update((p.code, p) for p in projects)
        labels = {p.label for p in self.periods.values()}
        self.live = {}
        ids = [p.pk for p in self.projects.values()]
        for chunk in chunks(ids, LOOKUP_CHUNK):
            reports = DekadReport.objects.filter(
                project_id__in=chunk,
                period__in=labels,
                status__in=[ReportStatus.SUBMITTED, ReportStatus.CERTIFIED],
            ).prefetch_related("nodes__node", "blockers")
            for report in reports:
                self.live[(report.project_id, report.period, report.status)] = report
        self.returned = set()
        for chunk in chunks(ids, LOOKUP_CHUNK):
            self.returned.update(
                DekadReport.objects.filter(
                    project_id__in=chunk, period__in=labels, status=ReportStatus.RETURNED
                ).values_list("project_id", "period")
            )

    def plan_row(self, row):
        code = row.get("code") or ""
        plan = RowPlan(row.sheet, row.number, code, RowAction.CREATE)
        period = self.periods.get(row.sheet)
        if period is None:  # the sheet's dekad is wrong; that problem is reported once
            plan.action = RowAction.SKIP
            return plan
        project = self.projects.get(code)
        if project is None:
            row.problem("code", _("There is no project with code “{code}”.").format(code=code))
            return plan
        if not access.may_report(self.actor, project):
            row.problem(
                "code",
                _("Project {code} is led by “{unit}”; you do not report for that unit.").format(
                    code=code, unit=project.lead_unit.name
                ),
            )
            return plan
        if project.campaign_id != self.campaign.pk:
            row.problem("code", _("Project {code} is not in this campaign.").format(code=code))
            return plan
        if not self._filled(row, project):
            plan.action = RowAction.SKIP
            plan.notes.append(_("Not filled in; not filed."))
            return plan
        if (project.pk, period.label, ReportStatus.CERTIFIED) in self.live:
            row.problem(
                "code",
                _(
                    "The {dekad} report of project {code} is certified and locked; file a"
                    " correction on the project page instead."
                ).format(code=code, dekad=period.display_label),
            )
            return plan
        waiting = self.live.get((project.pk, period.label, ReportStatus.SUBMITTED))
        basis = row.get("basis")
        if basis != (waiting.pk if waiting else None):
            row.problem("basis" if row.has("basis") else "code", _stale_basis(waiting, basis))
            return plan
        content = self._content(row, project)
        plan.data = {"project": project, "period": period, "content": content, "basis": basis}
        self._plan_changes(plan, content, waiting)
        if waiting is None and (project.pk, period.label) in self.returned:
            plan.notes.append(_("Resubmits the report that was returned."))
        return plan

    def _filled(self, row, project):
        """True when the row reports something: a prefilled, unchanged row does not."""
        if any(row.get(k) not in (None, []) for k in INPUT_KEYS):
            return True
        done = {
            m.node.code: m.actual_date
            for m in project.milestones.all()
            if m.state == MilestoneState.DONE
        }
        return any(row.get("node:" + n.code) not in (None, done.get(n.code)) for n in self.nodes)

    def _content(self, row, project):
        if not (row.get("progress") or "").strip():
            row.problem("progress", _("Describe the progress made in the dekad."))
        milestones = {m.node.code: m for m in project.milestones.all()}
        node_dates = {}
        for node in self.nodes:
            key = "node:" + node.code
            day = row.get(key)
            if day is None:
                continue
            milestone = milestones.get(node.code)
            if milestone is None:
                row.problem(key, _("The project has no key node “{node}”.").format(node=node.name))
            elif day > self.today:
                row.problem(
                    key,
                    _(
                        "{node}: {date} is after today ({today}); only nodes already reached can"
                        " be reported."
                    ).format(node=node.name, date=day.isoformat(), today=self.today.isoformat()),
                )
            elif milestone.state == MilestoneState.DONE and milestone.actual_date == day:
                continue  # already recorded: the prefilled date, left as it was
            else:
                node_dates[node.code] = day
        stage = row.get("stage_reached") or ""
        stage_date = row.get("stage_date")
        if stage and STAGE_ORDER[stage] < STAGE_ORDER[project.stage]:
            row.problem(
                "stage_reached",
                _("The project is already at “{stage}”; a report cannot move it back.").format(
                    stage=STAGE_LABELS[Stage(project.stage)]
                ),
            )
        if stage and stage_date is None:
            row.problem(
                "stage_date" if row.has("stage_date") else "stage_reached",
                _("Give the date the stage was reached."),
            )
        if stage_date is not None and not stage:
            row.problem("stage_date", _("A stage date is given without the stage reached."))
        if stage_date is not None and stage_date > self.today:
            row.problem(
                "stage_date",
                _("{date} is after today ({today}).").format(
                    date=stage_date.isoformat(), today=self.today.isoformat()
                ),
            )
        return {
            "progress": (row.get("progress") or "").strip(),
            "investment_yuan": row.get("investment_yuan") or 0,
            "stage_reached": stage,
            "stage_date": stage_date,
            "node_dates": node_dates,
            "blockers": list(row.get("blockers") or []),
        }

    def _plan_changes(self, plan, content, waiting):
        before = _content_of(waiting) if waiting is not None else None
        nodes = {n.code: n.name for n in self.nodes}
        shown = {
            "progress": lambda v: v,
            "investment_yuan": money_text,
            "stage_reached": lambda v: STAGE_LABELS.get(v, "") if v else "",
            "stage_date": as_text,
            "blockers": lambda v: "\n".join(v),
        }
        for key, show in shown.items():
            old = show(before[key]) if before else ""
            new = show(content[key])
            if old != new:
                plan.changes.append(FieldChange(key, self.headers[key], old, new))
        old_nodes = before["node_dates"] if before else {}
        for code in nodes:
            old, new = old_nodes.get(code), content["node_dates"].get(code)
            if old != new:
                plan.changes.append(
                    FieldChange(
                        "node:" + code, self.headers["node:" + code], as_text(old), as_text(new)
                    )
                )
        if waiting is not None:
            plan.action = RowAction.UPDATE if plan.changes else RowAction.UNCHANGED
            if plan.changes:
                plan.notes.append(_("Replaces the report waiting for certification."))

    def write(self, plans, result):
        # Every row's project first, in id order (decision 0028): two workbooks of one unit
        # applied at once queue on their first common project instead of in a circle.
        lock_projects(plan.data["project"].pk for plan in plans)
        super().write(plans, result)

    def apply_row(self, plan):
        data = plan.data
        content = data["content"]
        do_submit_report(
            data["project"],
            actor=self.actor,
            period=data["period"].label,
            progress=content["progress"],
            investment_yuan=content["investment_yuan"],
            stage_reached=content["stage_reached"],
            stage_date=content["stage_date"],
            node_dates=content["node_dates"],
            blockers=content["blockers"],
            today=self.today,
            replaces=data["basis"],
        )


def _stale_basis(waiting, basis):
    if waiting is not None:
        return _(
            "The project already has a report for this dekad waiting for certification"
            " (filed {at}); download the workbook again and fill it in."
        ).format(at=submitted_at(waiting))
    return _(
        "Report {basis}, which this row was filled against, no longer waits for"
        " certification (it was returned or replaced); download the workbook again and"
        " fill it in."
    ).format(basis=basis)


def _content_of(report):
    return {
        "progress": report.progress,
        "investment_yuan": report.investment_yuan,
        "stage_reached": report.stage_reached,
        "stage_date": report.stage_date,
        "node_dates": {n.node.code: n.actual_date for n in report.nodes.all()},
        "blockers": [b.title for b in report.blockers.all()],
    }
