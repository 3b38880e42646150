"""The page of an import job: progress while it runs, counts and problems when it is done.

Only the person who started a job may see it; to anyone else it does not exist.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render

from vanguard.exchange.jobs import import_kind, problems_of, progress_of
from vanguard.exchange.models import ImportJob


def _own_job(request, pk):
    job = get_object_or_404(ImportJob, pk=pk)
    if job.owner_id != request.user.pk:
        raise Http404
    return job


def _context(job):
    kind = import_kind(job.kind)
    result = job.result or {}
    problems = problems_of(job)
    return {
        "job": job,
        "title": kind.title,
        "retry_url": kind.retry_url(job.params),
        "progress": progress_of(job),
        "counts": result.get("counts") or {},
        "problems": problems,
        "not_listed": max(0, result.get("problem_count", 0) - len(problems)),
        "notes": result.get("notes") or [],
        "next_url": result.get("next_url") or "",
    }


@login_required
def job_detail(request, pk):
    """The job's page: a progress bar that follows it, then what it did."""
    job = _own_job(request, pk)
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
            "counts": result.get("counts") or {},
            "problem_count": result.get("problem_count", 0),
            "next_url": result.get("next_url") or "",
        }
    )
