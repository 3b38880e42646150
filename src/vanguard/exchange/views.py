"""The page of a background job: progress while it runs, then counts and problems, or the file.

A finished check shows the sheet's preview, with the Apply button when nothing is
wrong. Only the person who started a job may see it or its file; to anyone else
neither exists.
"""

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render

from vanguard.exchange.importing import preview_context
from vanguard.exchange.jobs import (
    export_name,
    import_kind,
    is_check,
    is_export,
    problems_of,
    progress_of,
    registered_import,
)
from vanguard.exchange.models import Job, JobState
from vanguard.exchange.uploads import UploadMissing, open_upload
from vanguard.exchange.xlsx import XLSX_TYPE, download_response


def _own_job(request, pk):
    job = get_object_or_404(Job, pk=pk)
    if job.owner_id != request.user.pk:
        raise Http404
    return job


def _context(job):
    kind = import_kind(job.kind)
    result = job.result or {}
    problems = problems_of(job)
    return {
        "job": job,
        "title": (kind.check_title if is_check(job) else "") or kind.title,
        "retry_url": kind.retry_url(job.params),
        "progress": progress_of(job),
        "counts": result.get("counts") or {},
        "problems": problems,
        "not_listed": max(0, result.get("problem_count", 0) - len(problems)),
        "notes": result.get("notes") or [],
        "next_url": result.get("next_url") or "",
        "export": is_export(job),
    }


def _preview(request, job):
    """A finished check's page: the same preview the upload page shows for a small sheet."""
    kind = registered_import(job.kind)
    extra = dict(job.result.get("extra") or {})
    hidden = {
        k: v for k, v in job.params.items() if k not in ("check", "language") and v is not None
    }
    hidden.update(extra.pop("hidden", None) or {}, filename=job.filename)
    try:
        open_upload(job.token, kind=job.kind, user=job.owner).close()
        gone = False
    except UploadMissing:
        gone = True  # applied or expired: the preview stays readable, without the button
    context = {
        **extra,
        **preview_context(job.result["preview"]),
        "job": job,
        "token": job.token,
        "filename": job.filename,
        "hidden": hidden,
        "apply_url": kind.apply_url(job.params) if kind.apply_url else "",
        "back_url": kind.retry_url(job.params),
        "title": kind.check_title or kind.title,
        "apply_failed": gone or not kind.apply_url,
        "upload_gone": gone,
    }
    return render(request, kind.preview_template, context)


@login_required
def job_detail(request, pk):
    """The job's page: a progress bar that follows it, then what it did, or a check's preview."""
    job = _own_job(request, pk)
    if job.state == JobState.CHECKED and is_check(job):
        return _preview(request, job)
    return render(request, "exchange/job.html", _context(job))


@login_required
def job_progress(request, pk):
    """The progress bar alone, polled by the page; once finished the page reloads."""
    job = _own_job(request, pk)
    response = render(request, "exchange/_job_progress.html", _context(job))
    if job.finished:
        response["HX-Refresh"] = "true"
    return response


@login_required
def job_status(request, pk):
    """Where the job stands, as JSON: state, phase, rows done of total, percent, counts."""
    job = _own_job(request, pk)
    result = job.result or {}
    return JsonResponse(
        {
            **progress_of(job),
            "applied": bool(result.get("applied")),
            "checked": job.state == JobState.CHECKED,
            "counts": result.get("counts") or {},
            "problem_count": result.get("problem_count", 0),
            "next_url": result.get("next_url") or "",
        }
    )


@login_required
def job_download(request, pk):
    """The file an export job wrote."""
    job = _own_job(request, pk)
    if not is_export(job) or job.state != JobState.APPLIED:
        raise Http404
    name = export_name(job)
    if not default_storage.exists(name):
        raise Http404
    with default_storage.open(name, "rb") as stream:
        content = stream.read()
    return download_response(content, job.filename or "export.xlsx", XLSX_TYPE, "export.xlsx")
