"""Every write to major projects: one transaction each, access checked, change logged.

Reporters of a project's lead unit file dekad reports; the projects task force
certifies or returns them; only certified facts change a project's stage, dates and
milestones. The writes are packaged by subject; their public names are all here.
"""

from vanguard.projects.actions.bulk import RowsRefused, do_create_projects, do_update_projects
from vanguard.projects.actions.certification import (
    Certification,
    CertificationRefused,
    Refusal,
    do_certify_reports,
    do_return_report,
)
from vanguard.projects.actions.common import EDITABLE_FIELDS
from vanguard.projects.actions.due_dates import do_recount_due_dates
from vanguard.projects.actions.evidence import (
    EVIDENCE_EXTENSIONS,
    EVIDENCE_MAX_BYTES,
    do_attach_milestone_evidence,
)
from vanguard.projects.actions.milestones import (
    do_clear_milestone_not_needed,
    do_set_milestone_not_needed,
    do_set_milestone_plan,
)
from vanguard.projects.actions.projects import (
    STAGE_DATE_FIELDS,
    do_create_project,
    do_set_stage,
    do_update_project,
)
from vanguard.projects.actions.reports import (
    MAX_AMOUNT_YUAN,
    MAX_REPORT_PROBLEMS,
    UNSEEN,
    StaleReport,
    dekad_of,
    do_correct_report,
    do_submit_report,
    submitted_at,
)

__all__ = [
    "EDITABLE_FIELDS",
    "EVIDENCE_EXTENSIONS",
    "EVIDENCE_MAX_BYTES",
    "MAX_AMOUNT_YUAN",
    "MAX_REPORT_PROBLEMS",
    "STAGE_DATE_FIELDS",
    "UNSEEN",
    "Certification",
    "CertificationRefused",
    "Refusal",
    "RowsRefused",
    "StaleReport",
    "dekad_of",
    "do_attach_milestone_evidence",
    "do_certify_reports",
    "do_clear_milestone_not_needed",
    "do_correct_report",
    "do_create_project",
    "do_create_projects",
    "do_recount_due_dates",
    "do_return_report",
    "do_set_milestone_not_needed",
    "do_set_milestone_plan",
    "do_set_stage",
    "do_submit_report",
    "do_update_project",
    "do_update_projects",
    "submitted_at",
]
