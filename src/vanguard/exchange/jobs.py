"""Checking or applying an uploaded sheet, or writing a long export, as a background job.

A domain registers each kind of import it runs this way (in its ``AppConfig.ready``):
the import's flow (``exchange.views.ImportFlow``), which builds its importer again from
the job's owner and params (``importer_for``), titles the job's page and says where to
go once the sheet is applied. The flow's apply view keeps the upload (exchange.uploads),
calls ``start_import`` and sends the browser to the job's page, which follows the
progress until the result is there. Its upload view checks a big sheet the same way
(``check_in_job``, ``start_check``): the job keeps the preview's data (counts, listed
rows and problems, see ``importing.summarise``) and its page shows the preview, whose
Apply button starts the apply job. A long export registers how to build its sheets
from the owner and params (``register_export``); the job writes the workbook to the
default storage and its page offers the download. Jobs run in a huey worker
(exchange.tasks); in tests and scripts (``HUEY_IMMEDIATE``) they run in place. See
docs/decisions/0015-background-imports.md.
"""

import dataclasses
import datetime
import io
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
from openpyxl import load_workbook

from vanguard.exchange.importing import Phase, Problem, summarise
from vanguard.exchange.models import Job, JobState
from vanguard.exchange.reading import _check_archive
from vanguard.exchange.uploads import UploadMissing, discard_upload, open_upload, sweep_folder
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
# A sheet of at most this many rows is checked in the request; a bigger one in a job.
CHECK_IN_REQUEST_ROWS = 2000


_KINDS = {}


def register_import(flow):
    """Let uploads of ``flow.kind`` (exchange.uploads' kind) be applied, and checked, as jobs.

    ``flow`` is an ``exchange.views.ImportFlow``: a job asks it for the importer
    (``importer_for(owner, params)``), the page to go on to once applied
    (``done_url(importer)``), the preview's extra data (``preview_extra(importer)``),
    its titles and its upload page (``retry_url(params)``).
    """
    _KINDS[flow.kind] = flow


def registered_import(kind):
    """The registered import ``kind``."""
    return _KINDS[kind]


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


def is_check(job):
    """True for a job that checks an upload (a dry run) rather than applying it."""
    return job.kind in _KINDS and bool(job.params.get("check"))


def start_export(kind, *, user, params=None):
    """Queue a long export; return the job (already finished when run in place)."""
    if kind not in _EXPORTS:
        raise KeyError(kind)
    _sweep_exports()
    return _start(kind, user=user, token=secrets.token_urlsafe(24), params=params)


def export_name(job):
    """Where an export job's file is kept in the default storage."""
    return "{}/{}-{}-{}.xlsx".format(EXPORT_FOLDER, job.kind, job.owner_id, job.token)


def _sweep_exports():
    """Delete exported files older than a day; best effort, never in the user's way."""
    sweep_folder(EXPORT_FOLDER, KEEP_EXPORTS_FOR)


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
        content = write_workbook([_counted(spec, counting) for spec in sheets])
        default_storage.save(export_name(job), ContentFile(content))
    except Exception:  # noqa: BLE001 - the owner is told; the log has why
        logger.exception("export job %s (%s) failed", job.pk, job.kind)
        return _finish(job, problems=[Problem(_export_crash_message())])
    job.filename = filename[:255]
    Job.objects.filter(pk=job.pk).update(filename=job.filename)
    return _finish(job, applied=True, counts={"rows": counted["rows"]})


def _counted(spec, counting):
    """A sheet (a ``Sheet`` or a ``(title, headers, rows)`` tuple) whose rows are counted."""
    if isinstance(spec, Sheet):
        return dataclasses.replace(spec, rows=counting(spec.rows))
    title, headers, rows = spec
    return title, headers, counting(rows)


def start_import(kind, *, user, token, filename="", params=None):
    """Queue the apply of a kept upload; return the job (already finished when run in place)."""
    if kind not in _KINDS:
        raise KeyError(kind)
    return _start(kind, user=user, token=token, filename=filename, params=params)


def start_check(kind, *, user, token, filename="", params=None):
    """Queue the check (dry run) of a kept upload; return the job (already finished when run in place)."""
    if kind not in _KINDS:
        raise KeyError(kind)
    return _start(kind, user=user, token=token, filename=filename, params=params, check=True)


def _start(kind, *, user, token, filename="", params=None, check=False):
    """Record a job in the language of its page and queue it."""
    from vanguard.exchange.tasks import run_import_job

    params = {**(params or {}), **({"check": True} if check else {}), "language": get_language()}
    job = Job.objects.create(
        kind=kind, owner=user, token=token, filename=filename[:255], params=params
    )
    run_import_job(str(job.pk))
    job.refresh_from_db()
    return job


def check_in_job(token, *, kind, user):
    """True when the kept upload has more rows than a request should check.

    The count is cheap and rough: the rows each worksheet says it spans (hidden ones
    included), or the lines of a .csv file. A file that cannot be counted is checked in
    the request, whose reading then says what is wrong with it.
    """
    limit = getattr(settings, "VANGUARD_IMPORT_CHECK_IN_REQUEST_ROWS", CHECK_IN_REQUEST_ROWS)
    with open_upload(token, kind=kind, user=user) as stream:
        return rows_in(stream) > limit


def rows_in(stream):
    """About how many rows the workbook or .csv file ``stream`` holds; 0 when unknown."""
    head = stream.read(4)
    stream.seek(0)
    if head != b"PK\x03\x04":
        return stream.read().count(b"\n") + 1 if head else 0
    try:
        data = io.BytesIO(stream.read())
        _check_archive(data)  # a zip bomb is refused before anything is unpacked
        data.seek(0)
        # Only the workbook's parts and each sheet's stated dimension are read here.
        workbook = load_workbook(data, read_only=True, data_only=True)
        try:
            return sum(_stated_rows(sheet) for sheet in workbook.worksheets)
        finally:
            workbook.close()
    except Exception:  # noqa: BLE001 - unreadable here: the request's check says why
        return 0


def _stated_rows(sheet):
    """The rows a sheet says it spans; counted when it says nothing (or only "A1")."""
    if (sheet.max_row or 0) <= 1:
        # Some programs write no dimension, or "A1" whatever the size: count them.
        sheet.reset_dimensions()
        try:
            sheet.calculate_dimension(force=True)
        except Exception:  # noqa: BLE001 - openpyxl fails on a sheet with no cells
            return 0
    return sheet.max_row or 0


def run_job(job_id):
    """Apply the job's upload through its importer; record progress and the result."""
    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None  # run already, or gone
    job = Job.objects.select_related("owner").get(pk=job_id)
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        if is_export(job):
            return _run_export(job)
        return _run_check(job) if is_check(job) else _run(job)


def _run_check(job):
    """Dry-run the job's upload; keep the preview's data (bounded) for the job's page."""
    kind = _KINDS[job.kind]
    try:
        importer = kind.importer_for(job.owner, job.params)
        with open_upload(job.token, kind=job.kind, user=job.owner) as stream:
            result = importer.dry_run(stream, progress=_reporter(job))
        extra = kind.preview_extra(importer) if kind.preview_extra else {}
    except UploadMissing:
        return _finish(job, problems=[Problem(_missing_message())])
    except Exception:  # noqa: BLE001 - the owner is told; the log has why
        logger.exception("check job %s (%s) failed", job.pk, job.kind)
        return _finish(job, problems=[Problem(_check_crash_message())])
    job.state = JobState.CHECKED
    job.finished_at = timezone.now()
    job.result = {
        "applied": False,
        "checked": True,
        "counts": result.counts,
        "problem_count": len(result.problems),
        "preview": summarise(result),
        "extra": extra or {},
    }
    Job.objects.filter(pk=job.pk).update(
        state=job.state, finished_at=job.finished_at, result=job.result, done=F("total")
    )
    return job


def _run(job):
    kind = _KINDS.get(job.kind)
    importer = None
    try:
        if kind is None:
            raise LookupError("no import registered for {}".format(job.kind))
        importer = kind.importer_for(job.owner, job.params)
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
        next_url = kind.done_url(importer)
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
    elif (job.phase == EXPORTING or is_check(job)) and job.total:
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


def _check_crash_message():
    return _(
        "An unexpected error stopped the check of the sheet. Try again later or ask the system "
        "administrator."
    )


def _export_crash_message():
    return _(
        "An unexpected error stopped the export. Try again later or ask the system administrator."
    )
