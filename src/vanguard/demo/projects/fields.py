"""The demo's rows as the database takes them: the columns of each table, the choices as
plain strings, and the days and moments of the district's clock.
"""

import datetime
import zoneinfo

from django.conf import settings

from vanguard.projects.choices import MilestoneState, ReportStatus, Stage

PROJECT_FIELDS = (
    "id",
    "campaign_id",
    "code",
    "name",
    "lead_unit_id",
    "investment_yuan",
    "size_class",
    "sector",
    "kind",
    "address",
    "latitude",
    "longitude",
    "stage",
    "introduced_planned",
    "started_planned",
    "completed_planned",
    "introduced_on",
    "started_on",
    "completed_on",
    "introduced_certified_on",
    "started_certified_on",
    "completed_certified_on",
    "responsible_person_id",
)

SUPPORTING_FIELDS = ("project_id", "unit_id")

MILESTONE_FIELDS = ("project_id", "node_id", "planned_date", "actual_date", "state")

REPORT_FIELDS = (
    "id",
    "project_id",
    "unit_id",
    "period",
    "period_start",
    "period_end",
    "due_date",
    "due_provisional",
    "status",
    "progress",
    "investment_yuan",
    "stage_reached",
    "stage_date",
    "submitted_by_id",
    "submitted_at",
    "late",
    "reviewed_by_id",
    "reviewed_at",
    "return_reason",
)

REPORTED_NODE_FIELDS = ("report_id", "node_id", "actual_date")

STAGE_CHANGE_FIELDS = (
    "project_id",
    "from_stage",
    "to_stage",
    "on",
    "reason",
    "report_id",
    "actor_id",
    "at",
)

# Where a report row (REPORT_FIELDS without its id) keeps its reporter and its time.
REPORTER_AT = REPORT_FIELDS.index("submitted_by_id") - 1

SUBMITTED_AT = REPORT_FIELDS.index("submitted_at") - 1

# Plain strings: the rows go to the database driver without passing through a model.
INTRODUCED, STARTED, COMPLETED = Stage.INTRODUCED.value, Stage.STARTED.value, Stage.COMPLETED.value

STAGE_INDEX = {stage: i for i, stage in enumerate(Stage.values)}

DONE, PENDING = MilestoneState.DONE.value, MilestoneState.PENDING.value

NEGOTIATING = Stage.NEGOTIATING.value

SUBMITTED, CERTIFIED, RETURNED = (
    ReportStatus.SUBMITTED.value,
    ReportStatus.CERTIFIED.value,
    ReportStatus.RETURNED.value,
)

DAYS = [datetime.timedelta(days=n) for n in range(-400, 1200)]


def days(n):
    """A timedelta of ``n`` days (the common ones made once, not a million times)."""
    return DAYS[n + 400] if -400 <= n < 1200 else datetime.timedelta(days=n)


# Where each stage's actual date sits in a project's row, in the stages' order.
ACTUAL_COLUMN = {
    INTRODUCED: PROJECT_FIELDS.index("introduced_on"),
    STARTED: PROJECT_FIELDS.index("started_on"),
    COMPLETED: PROJECT_FIELDS.index("completed_on"),
}

# Where each stage's certification date sits in a project's row.
CERTIFIED_COLUMN = {
    INTRODUCED: PROJECT_FIELDS.index("introduced_certified_on"),
    STARTED: PROJECT_FIELDS.index("started_certified_on"),
    COMPLETED: PROJECT_FIELDS.index("completed_certified_on"),
}


def local_offset(day):
    """The district's offset from UTC on ``day`` (the settings' time zone)."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=zone).utcoffset()


def at_local(day, time, offset):
    """``day`` at the district's ``time``, as an aware UTC moment."""
    return datetime.datetime.combine(day, time, tzinfo=datetime.UTC) - offset
