"""Pages of a project's key nodes: one node, marking it not needed, and its evidence files."""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from vanguard.audit.log import history_of
from vanguard.exchange.files import SizeLimitUploadHandler, declared_too_large, too_large_message
from vanguard.org import access
from vanguard.projects import queries
from vanguard.projects.actions import (
    EVIDENCE_MAX_BYTES,
    do_attach_milestone_evidence,
    do_clear_milestone_not_needed,
    do_set_milestone_not_needed,
)
from vanguard.projects.forms import EvidenceForm, NeededAgainForm, NotNeededForm, add_action_errors
from vanguard.projects.lights import SubjectKind
from vanguard.projects.models import EvidenceFile, Milestone
from vanguard.projects.views.projects import get_project_for_view
from vanguard.supervision.lights import lights_for
from vanguard.supervision.reasons import reason_text


def get_milestone_for_view(request, code, node):
    """A visible project's milestone for the key node coded ``node``, else 404."""
    project = get_project_for_view(request, code)
    milestone = get_object_or_404(
        Milestone.objects.select_related("node"), project=project, node__code=node
    )
    milestone.project = project
    return milestone


@login_required
def milestone_detail(request, code, node):
    """One key node of a project: its dates, state, light, evidence and change log."""
    milestone = get_milestone_for_view(request, code, node)
    return _milestone_page(request, milestone)


@login_required
def milestone_by_id(request, pk):
    """A key node named by its id (a supervision order's subject): to its page, if visible."""
    milestone = get_object_or_404(Milestone.objects.select_related("project", "node"), pk=pk)
    get_project_for_view(request, milestone.project.code)
    return redirect("projects:milestone", milestone.project.code, milestone.node.code)


def _milestone_page(
    request, milestone, *, not_needed_form=None, needed_form=None, evidence_form=None
):
    project = milestone.project
    today = timezone.localdate()
    status = queries.milestone_statuses([milestone], today)[milestone.pk]
    light = lights_for(SubjectKind.MILESTONE, [milestone.pk]).get(milestone.pk)
    context = {
        "project": project,
        "milestone": milestone,
        "status": status,
        "light": light,
        "light_reason": reason_text(SubjectKind.MILESTONE, light.reason, light.params)
        if light
        else "",
        "may_manage": access.may_manage_projects(request.user),
        "not_needed_form": not_needed_form or NotNeededForm(),
        "needed_form": needed_form or NeededAgainForm(),
        "may_upload": access.may_upload_evidence(request.user, project),
        "evidence_name": os.path.basename(milestone.evidence.name),
        "evidence_form": evidence_form or EvidenceForm(milestone=milestone),
        "evidence_files": list(
            milestone.evidence_files.select_related("uploaded_by__person").order_by(
                "-uploaded_at", "-pk"
            )
        ),
        "history": history_of(milestone, limit=30),
    }
    return render(request, "projects/milestone_detail.html", context)


@csrf_exempt
@login_required
def milestone_evidence(request, code, node):
    """A key node's evidence: GET downloads it (for anyone who sees the project), POST uploads.

    Evidence has no public URL; every download passes the project's access check. An
    upload is limited while it streams in: a body that says it is too large is refused
    unread, and one that grows past the limit is cut off (CSRF is checked once the
    size-limiting handler is in place, as it must be installed before the body is read).
    """
    milestone = get_milestone_for_view(request, code, node)
    if request.method == "POST":
        if declared_too_large(request, EVIDENCE_MAX_BYTES):
            return _evidence_too_large(request, milestone)
        request.upload_handlers.insert(0, SizeLimitUploadHandler(request, limit=EVIDENCE_MAX_BYTES))
        return _upload_evidence(request, milestone)
    return evidence_response(milestone)


def _evidence_too_large(request, milestone):
    # Nothing of the body is used: the form shows only the limit.
    form = EvidenceForm({"replaces": milestone.evidence.name}, {}, milestone=milestone)
    form.is_valid()
    form.errors["evidence"] = form.error_class([too_large_message(EVIDENCE_MAX_BYTES)])
    response = _milestone_page(request, milestone, evidence_form=form)
    response.status_code = 413
    return response


@login_required
def evidence_file_download(request, code, node, pk):
    """One file of a key node's evidence history (the current one or one replaced)."""
    milestone = get_milestone_for_view(request, code, node)
    kept = get_object_or_404(EvidenceFile, pk=pk, milestone=milestone)
    return file_download(kept.file)


def evidence_response(milestone):
    """The milestone's evidence file as a download; 404 when it has none (or it is gone).

    The caller has checked that the user may see the project.
    """
    return file_download(milestone.evidence)


def file_download(field_file):
    """A stored file as an attachment that no browser runs or sniffs; 404 if missing."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=os.path.basename(field_file.name))
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@csrf_protect
def _upload_evidence(request, milestone):
    access.require(access.may_upload_evidence(request.user, milestone.project))
    form = EvidenceForm(request.POST, request.FILES, milestone=milestone)
    if getattr(request, "upload_too_large", None):
        return _evidence_too_large(request, milestone)
    if form.is_valid():
        try:
            stored = do_attach_milestone_evidence(
                milestone,
                form.cleaned_data["evidence"],
                actor=request.user,
                replaces=form.cleaned_data["replaces"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                _("Evidence for {node} uploaded: {name}.").format(
                    node=milestone.node.name, name=os.path.basename(stored.evidence.name)
                ),
            )
            return redirect(
                "projects:milestone", code=milestone.project.code, node=milestone.node.code
            )
    return _milestone_page(request, milestone, evidence_form=form)


@login_required
def milestone_not_needed(request, code, node):
    """Mark a key node not needed (POST with a reason), or undo it (POST with undo)."""
    if request.method != "POST":
        return redirect("projects:milestone", code=code, node=node)
    milestone = get_milestone_for_view(request, code, node)
    access.require(access.may_manage_projects(request.user))
    undo = "undo" in request.POST
    form = (NeededAgainForm if undo else NotNeededForm)(request.POST)
    if form.is_valid():
        action = do_clear_milestone_not_needed if undo else do_set_milestone_not_needed
        try:
            action(milestone, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            message = (
                _("{node} is to be done again.")
                if undo
                else _("{node} is marked not needed for this project.")
            )
            messages.success(request, message.format(node=milestone.node.name))
            return redirect("projects:milestone", code=code, node=node)
    forms_ = {"needed_form": form} if undo else {"not_needed_form": form}
    return _milestone_page(request, milestone, **forms_)
