"""Applying an uploaded sheet, or writing a long export, as a background job.

A domain registers each kind of import it runs this way (in its ``AppConfig.ready``):
how to build its importer again from the job's owner and params, the page's title,
and where to go once it is applied. The apply view keeps the upload (exchange.uploads),
calls ``start_import`` and sends the browser to the job's page, which follows the
progress until the result is there. A long export registers how to build its sheets
from the owner and params (``register_export``); the job writes the workbook to the
default storage and its page offers the download. Jobs run in a huey worker
(exchange.tasks); in tests and scripts (``HUEY_IMMEDIATE``) they run in place. See
docs/decisions/0015-background-imports.md.
"""

import dataclasses
import datetime
import logging
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vanguard.exchange.importing import Phase, Problem
from vanguard.exchange.models import Job, JobState
from vanguard.exchange.uploads import UploadMissing, discard_upload, open_upload
from vanguard.exchange.xlsx import Sheet, write_workbook

logger = logging.getLogger(__name__)

# The result page lists at most this many problems; the count covers them all.
PROBLEM_LIMIT = 500
# An export reports its progress every this many rows.
EXPORT_PROGRESS_EVERY = 1000
EXPORT_FOLDER = "exports"
# An exported file is kept this long for its owner to download.
KEEP_EXPORTS_FOR = datetime.timedelta(days=1)
# The phase of an export while it writes rows.
EXPORTING = "exporting"


@dataclasses.dataclass(frozen=True)
class ImportKind:
    """How one kind of upload is applied in a job.

    ``build(owner, params)`` returns the importer; ``done_url(importer, params)`` the
    page to go on to once applied; ``retry_url`` the upload page.
    """

    title: str
    build: Callable
    done_url: Callable
    retry_url: Callable


_KINDS = {}


def register_import(kind, *, title, build, done_url, retry_url):
    """Let uploads of ``kind`` (exchange.uploads' kind) be applied as jobs."""
    _KINDS[kind] = ImportKind(title, build, done_url, retry_url)


@dataclasses.dataclass(frozen=True)
class ExportKind:
    """How one kind of long export is written in a job.

    ``build(owner, params)`` returns (filename, sheets, total rows), the sheets as
    ``write_workbook`` takes them (rows may be iterators); ``retry_url(params)`` the
    page the export was asked from.
    """

    title: str
    build: Callable
    retry_url: Callable


_EXPORTS = {}


def register_export(kind, *, title, build, retry_url):
    """Let exports of ``kind`` run as jobs."""
    _EXPORTS[kind] = ExportKind(title, build, retry_url)


def import_kind(kind):
    """The registered import or export ``kind`` (both have a title and a retry_url)."""
    return _KINDS.get(kind) or _EXPORTS[kind]


def is_export(job):
    return job.kind in _EXPORTS


def start_export(kind, *, user, params=None):
    """Queue a long export; return the job (already finished when run in place)."""
    from vanguard.exchange.tasks import run_import_job

    if kind not in _EXPORTS:
        raise KeyError(kind)
    _sweep_exports()
    job = Job.objects.create(
        kind=kind,
        owner=user,
        token=secrets.token_urlsafe(24),
        params={**(params or {}), "language": get_language()},
    )
    run_import_job(str(job.pk))
    job.refresh_from_db()
    return job


def export_name(job):
    """Where an export job's file is kept in the default storage."""
    return "{}/{}-{}-{}.xlsx".format(EXPORT_FOLDER, job.kind, job.owner_id, job.token)


def _sweep_exports():
    """Delete exported files older than a day; best effort, never in the user's way."""
    try:
        _dirs, files = default_storage.listdir(EXPORT_FOLDER)
    except (FileNotFoundError, NotImplementedError, OSError):
        return
    cutoff = timezone.now() - KEEP_EXPORTS_FOR
    for filename in files:
        name = "{}/{}".format(EXPORT_FOLDER, filename)
        try:
            if default_storage.get_modified_time(name) < cutoff:
                default_storage.delete(name)
        except (FileNotFoundError, NotImplementedError, OSError):
            continue


def _counted(sheet, counting):
    """The sheet (a Sheet or a (title, headers, rows) tuple) with its rows counted."""
    if isinstance(sheet, Sheet):
        return dataclasses.replace(sheet, rows=counting(sheet.rows))
    title, headers, rows = sheet
    return title, headers, counting(rows)


def _run_export(job):
    kind = _EXPORTS[job.kind]
    report = _reporter(job)
    try:
        filename, sheets, total = kind.build(job.owner, job.params)
        counted = {"rows": 0}

        def counting(rows):
            for row in rows:
                yield row
                counted["rows"] += 1
                if counted["rows"] % EXPORT_PROGRESS_EVERY == 0:
                    report(EXPORTING, counted["rows"], total)

        report(EXPORTING, 0, total)
        content = write_workbook([_counted(sheet, counting) for sheet in sheets])
        default_storage.save(export_name(job), ContentFile(content))
    except Exception:  # noqa: BLE001 - the owner is told; the log has why
        logger.exception("export job %s (%s) failed", job.pk, job.kind)
        return _finish(job, problems=[Problem(_export_crash_message())])
    job.filename = filename[:255]
    Job.objects.filter(pk=job.pk).update(filename=job.filename)
    return _finish(job, applied=True, counts={"rows": counted["rows"]})


def start_import(kind, *, user, token, filename="", params=None):
    """Queue the apply of a kept upload; return the job (already finished when run in place)."""
    from vanguard.exchange.tasks import run_import_job

    if kind not in _KINDS:
        raise KeyError(kind)
    job = Job.objects.create(
        kind=kind,
        owner=user,
        token=token,
        filename=filename[:255],
        params={**(params or {}), "language": get_language()},
    )
    run_import_job(str(job.pk))
    job.refresh_from_db()
    return job


def run_job(job_id):
    """Apply the job's upload through its importer; record progress and the result."""
    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None  # run already, or gone
    job = Job.objects.select_related("owner").get(pk=job_id)
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        return _run_export(job) if is_export(job) else _run(job)


def _run(job):
    kind = _KINDS.get(job.kind)
    importer = None
    try:
        if kind is None:
            raise LookupError("no import registered for {}".format(job.kind))
        importer = kind.build(job.owner, job.params)
        with open_upload(job.token, kind=job.kind, user=job.owner) as stream:
            result = importer.apply(stream, progress=_reporter(job))
    except UploadMissing:
        return _finish(job, problems=[Problem(_missing_message())])
    except Exception:  # noqa: BLE001 - the owner is told nothing was saved; the log has why
        logger.exception("import job %s (%s) failed", job.pk, job.kind)
        return _finish(job, problems=[Problem(_crash_message())])
    next_url = ""
    if result.applied:
        discard_upload(job.token, kind=job.kind, user=job.owner)
        next_url = kind.done_url(importer, job.params)
    return _finish(
        job,
        applied=result.applied,
        counts=result.counts,
        problems=result.problems,
        notes=result.notes,
        next_url=next_url,
    )


def _reporter(job):
    """A progress callback writing the job's phase and row count (outside the import's transaction)."""

    def report(phase, done, total):
        Job.objects.filter(pk=job.pk).update(phase=str(phase), done=done, total=total)

    return report


def _finish(job, *, applied=False, counts=None, problems=(), notes=(), next_url=""):
    problems = list(problems)
    job.state = JobState.APPLIED if applied else JobState.FAILED
    job.finished_at = timezone.now()
    job.result = {
        "applied": applied,
        "counts": counts or {},
        "problem_count": len(problems),
        "problems": [dataclasses.asdict(p) for p in problems[:PROBLEM_LIMIT]],
        "notes": [str(n) for n in notes],
        "next_url": next_url,
    }
    Job.objects.filter(pk=job.pk).update(
        state=job.state,
        finished_at=job.finished_at,
        result=job.result,
        done=F("total"),
    )
    return job


def problems_of(job):
    """The job's problems as Problem objects (their place reads in the viewer's language)."""
    fields = {f.name for f in dataclasses.fields(Problem)}
    return [
        Problem(**{k: v for k, v in p.items() if k in fields})
        for p in job.result.get("problems", [])
    ]


def progress_of(job):
    """Where the job stands, for the page and the JSON status: a percentage and a phase."""
    if job.finished:
        percent = 100
    elif job.state == JobState.QUEUED:
        percent = 0
    elif job.phase == EXPORTING and job.total:
        percent = 5 + 90 * job.done // job.total
    elif job.phase == Phase.CHECKING and job.total:
        # Checking the rows is most of the work; writing them is the last fifth.
        percent = 5 + 75 * job.done // job.total
    elif job.phase == Phase.WRITING:
        percent = 85
    else:
        percent = 2
    return {
        "state": job.state,
        "phase": job.phase,
        "done": job.done,
        "total": job.total,
        "percent": percent,
        "finished": job.finished,
    }


def _missing_message():
    return _("The uploaded file is no longer there (expired or applied already); upload it again.")


def _crash_message():
    return _(
        "An unexpected error stopped the import; nothing was saved. Try again later or ask "
        "the system administrator."
    )


def _export_crash_message():
    return _(
        "An unexpected error stopped the export. Try again later or ask the system administrator."
    )
