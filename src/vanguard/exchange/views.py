"""The one import flow, and the page of a background job.

Every sheet import goes the same way (``ImportFlow``): an upload page that keeps the
file (exchange.uploads) and checks it, showing the preview of every row's changes and
every problem; a big sheet is checked in a job instead, whose page then shows the same
preview. Its Apply button runs the same file again through the importer, in one
transaction: as a background job (exchange.jobs) whose page follows its progress, or,
for a sheet of tens of rows, in the request. A domain describes its import once, as an
``ImportFlow`` in its views (its importer, who may import, its pages' templates and
titles, where to go once applied), routes the flow's two views, and registers the flow
for jobs in its ``AppConfig.ready``; this module imports no domain.

Only the person who started a job may see it or its file; to anyone else neither
exists. See docs/decisions/0015-background-imports.md.
"""

import dataclasses
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vanguard.exchange.importing import preview_context, summarise
from vanguard.exchange.jobs import (
    check_in_job,
    export_name,
    import_kind,
    is_check,
    is_export,
    problems_of,
    progress_of,
    registered_import,
    start_check,
    start_import,
)
from vanguard.exchange.models import Job, JobState
from vanguard.exchange.uploads import (
    UploadMissing,
    discard_upload,
    keep_upload,
    open_upload,
    upload_error,
)
from vanguard.exchange.xlsx import XLSX_TYPE, download_response

# --- the import flow ---------------------------------------------------------------------


class RequestValues:
    """A request's values as a flow reads them: the form's, else the address's (?campaign=)."""

    def __init__(self, request):
        self.request = request

    def get(self, name, default=None):
        return self.request.POST.get(name) or self.request.GET.get(name) or default


@dataclasses.dataclass(frozen=True)
class ImportFlow:
    """One kind of sheet import, from its upload page to its result.

    What the domain says (the callables take ``values``, a mapping read with
    ``.get(name, default)``: the request's values, or a job's params):

    - ``kind`` names the kept uploads and the jobs; ``title`` heads the job's page and
      ``check_title`` the preview.
    - ``require(user, values)`` refuses (PermissionDenied) whoever may not upload and
      apply: the domain's access helper, called before anything else is read. A page
      that others may open too (to download a workbook) passes ``require_page`` for them;
      ``require`` then guards the upload.
    - ``scope(values)`` is what the import is about, resolved (the campaign, a dekad):
      a dict, or Http404. ``params(scope)`` is the same as text, carried in the
      preview's hidden fields and the job's params, which ``scope`` reads back.
    - ``build(user, scope)`` returns the importer (exchange.importing.Importer).
    - ``upload_template`` is the upload page (its context: ``page_context(request,
      scope)``, by default the scope, and ``error``); ``preview_template`` extends
      exchange/preview.html.
    - ``upload_url`` and ``apply_url`` are the URL names of the two views
      (``upload_view``, ``apply_view``); ``done_url(importer)`` is where an applied
      sheet sends the person.
    - ``preview_extra(importer)``: JSON-ready data the preview needs once the sheet is
      checked: ``hidden`` fields posted with Apply (say the versions the check planned
      against), and the template's own keys. ``posted`` names the hidden fields the
      apply carries into the job's params.
    - ``in_request``: the sheet (a unit's workbook, tens of rows) is checked and applied
      in the request, never in a job; an apply that succeeds says
      ``applied_message(counts)``, one that fails shows the preview titled
      ``failed_title``.
    """

    kind: str
    title: str
    check_title: str
    require: Callable
    scope: Callable
    params: Callable
    build: Callable
    upload_template: str
    upload_url: str
    apply_url: str
    done_url: Callable
    preview_template: str = "exchange/preview.html"
    page_context: Callable | None = None
    preview_extra: Callable | None = None
    posted: tuple = ()
    require_page: Callable | None = None
    in_request: bool = False
    applied_message: Callable | None = None
    failed_title: str = ""

    # --- the two views ------------------------------------------------------------------

    def upload_view(self):
        """The upload page: the form, then the check of the uploaded sheet and its preview."""
        return login_required(self._upload)

    def apply_view(self):
        """Apply a previewed sheet: a job whose page shows its progress, or in the request."""
        return login_required(require_POST(self._apply))

    def _upload(self, request):
        values = RequestValues(request)
        (self.require_page or self.require)(request.user, values)
        scope = self.scope(values)
        context = self._page(request, scope)
        if request.method != "POST":
            return render(request, self.upload_template, context)
        if self.require_page is not None:
            self.require(request.user, values)
        upload = request.FILES.get("file")
        error = upload_error(upload)
        if error:
            context["error"] = error
            return render(request, self.upload_template, context, status=400)
        token = keep_upload(upload, kind=self.kind, user=request.user)
        params = self.params(scope)
        if not self.in_request and check_in_job(token, kind=self.kind, user=request.user):
            job = start_check(
                self.kind, user=request.user, token=token, filename=upload.name, params=params
            )
            return redirect("exchange:job", pk=job.pk)
        importer = self.build(request.user, scope)
        with open_upload(token, kind=self.kind, user=request.user) as stream:
            result = importer.dry_run(stream)
        return self.preview(
            request,
            summarise(result),
            token=token,
            filename=upload.name,
            params=params,
            extra=self.preview_extra(importer) if self.preview_extra else {},
            context=context,
        )

    def _apply(self, request):
        values = RequestValues(request)
        self.require(request.user, values)
        scope = self.scope(values)
        token = values.get("token", "")
        try:
            stream = open_upload(token, kind=self.kind, user=request.user)
        except UploadMissing:
            messages.error(request, _("The uploaded file is no longer available; upload it again."))
            return redirect(self.upload_url)
        if self.in_request:
            return self._apply_in_request(request, scope, token, stream)
        stream.close()
        job = start_import(
            self.kind,
            user=request.user,
            token=token,
            filename=values.get("filename", ""),
            params={**self.params(scope), **{n: values.get(n, "") for n in self.posted}},
        )
        return redirect("exchange:job", pk=job.pk)

    def _apply_in_request(self, request, scope, token, stream):
        importer = self.build(request.user, scope)
        with stream:
            result = importer.apply(stream)
        if result.applied:
            discard_upload(token, kind=self.kind, user=request.user)
            messages.success(request, self.applied_message(result.counts))
            return redirect(self.done_url(importer))
        context = {
            **self._page(request, scope),
            **preview_context(summarise(result)),
            "token": token,
            "apply_url": reverse(self.apply_url),
            "back_url": reverse(self.upload_url),
            "hidden": self.params(scope),
            "title": self.failed_title,
            "apply_failed": True,
        }
        return render(request, self.preview_template, context, status=400)

    def _page(self, request, scope):
        return self.page_context(request, scope) if self.page_context else dict(scope)

    # --- the preview, from the request or from a check job -------------------------------

    def preview(self, request, summary, *, token, filename, params, extra, context=None, **more):
        """The preview page of a checked sheet (``importing.summarise``'s data).

        ``params`` and the ``hidden`` of ``extra`` are posted back with Apply, with the
        file's name; the rest of ``extra``, ``context`` and ``more`` go to the template.
        """
        extra = dict(extra or {})
        hidden = {**params, **(extra.pop("hidden", None) or {}), "filename": filename}
        page = {
            **(context or {}),
            **preview_context(summary),
            **extra,
            "token": token,
            "filename": filename,
            "hidden": hidden,
            "apply_url": reverse(self.apply_url),
            "back_url": reverse(self.upload_url),
            "title": self.check_title or self.title,
            **more,
        }
        return render(request, self.preview_template, page)

    # --- what jobs ask of an import (exchange.jobs) --------------------------------------

    def importer_for(self, owner, params):
        """The importer of a job: its owner's, on the scope its params name."""
        return self.build(owner, self.scope(params))

    def retry_url(self, params=None):
        """The upload page, to upload the sheet again."""
        return reverse(self.upload_url)


# --- the page of a background job --------------------------------------------------------


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
    flow = registered_import(job.kind)
    try:
        open_upload(job.token, kind=job.kind, user=job.owner).close()
        gone = False
    except UploadMissing:
        gone = True  # applied or expired: the preview stays readable, without the button
    return flow.preview(
        request,
        job.result["preview"],
        token=job.token,
        filename=job.filename,
        params={
            k: v for k, v in job.params.items() if k not in ("check", "language") and v is not None
        },
        extra=job.result.get("extra"),
        job=job,
        apply_failed=gone,
        upload_gone=gone,
    )


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
