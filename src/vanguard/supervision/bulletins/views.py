"""The bulletin's pages: the list, one bulletin (ranking, lists, narrative, downloads), the
office's draft, edit, issue and correction, and the scoring rule's versions.

Reads go through ``org.access.visible_bulletins`` (drafts to the office's side, issued
bulletins to every participant); writes through ``bulletins.actions``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vanguard.core.preconditions import is_stale
from vanguard.exchange.documents import DOCX_TYPE
from vanguard.exchange.xlsx import XLSX_TYPE, download_response
from vanguard.org import access
from vanguard.org.queries import current_campaign
from vanguard.supervision.bulletins import actions, document, links
from vanguard.supervision.bulletins.facts import known_facts
from vanguard.supervision.bulletins.forms import DraftForm, EditForm, IssueForm
from vanguard.supervision.bulletins.narrative import sections
from vanguard.supervision.bulletins.sections import table_of
from vanguard.supervision.models import Bulletin, ScoringRule

PAGE_SIZE = 24


def _campaign(request):
    return current_campaign(request.POST.get("campaign") or request.GET.get("campaign"))


def visible(request):
    return access.visible_bulletins(
        Bulletin.objects.filter(campaign=_campaign(request)), request.user
    )


def get_bulletin_for_view(request, pk):
    """Bulletin ``pk`` if the user may read it, else 404."""
    access.require(access.may_see_bulletins(request.user))
    return get_object_or_404(visible(request).select_related("rule", "campaign"), pk=pk)


@login_required
def bulletin_list(request):
    """Every bulletin of the campaign the user may read, newest month first."""
    access.require(access.may_see_bulletins(request.user))
    campaign = _campaign(request)
    found = (
        visible(request)
        .select_related("rule")
        .annotate(
            reds=Count("lines", filter=Q(lines__listed="red")),
            blacks=Count("lines", filter=Q(lines__listed="black")),
            units=Count("lines"),
        )
        .order_by("-month", "-pk")
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/bulletins/list.html",
        {
            "campaign": campaign,
            "page": page,
            "bulletins": page.object_list,
            "draft_form": DraftForm(),
            "may_manage": access.may_manage_bulletins(request.user),
            "rule": actions.latest_rule(campaign),
        },
    )


def _line_rows(bulletin, lines, own_units):
    """Each line with its links and components ready to show."""
    labels = {k: str(v) for k, v in known_facts().items()}
    for line in lines:
        code = line.unit.code
        line.unit_link = links.unit_url(code)
        line.own = line.unit_id in own_units
        line.parts = []
        for component in line.components:
            label = component.get("label") or labels.get(component["code"], component["code"])
            line.parts.append(
                {**component, "label": label, "url": links.component_url(bulletin, code, component)}
            )
        line.item_parts = [p for p in line.parts if p["kind"] == "item"]
        line.event_parts = [p for p in line.parts if p["kind"] != "item"]
    return lines


def _shown_table(table):
    """A section's table with every cell as ``{"text", "url"}`` for the template."""
    if table is None:
        return None
    headers, rows = table
    return {
        "headers": headers,
        "rows": [
            [
                {"text": cell[0], "url": cell[1]}
                if isinstance(cell, tuple)
                else {"text": cell, "url": ""}
                for cell in row
            ]
            for row in rows
        ],
    }


@login_required
def bulletin_detail(request, pk, *, edit_form=None, issue_form=None):
    """One bulletin: narrative, red and black lists, the ranking by group, every figure linked."""
    bulletin = get_bulletin_for_view(request, pk)
    lines = list(bulletin.lines.select_related("unit"))
    lines.sort(key=lambda line: (line.rank is None, line.rank or 0, -line.score, line.unit.code))
    own = access.access_for(request.user).unit_ids
    _line_rows(bulletin, lines, own)
    groups = document._groups(bulletin, lines)
    may_manage = access.may_manage_bulletins(request.user)
    return render(
        request,
        "supervision/bulletins/detail.html",
        {
            "bulletin": bulletin,
            "campaign": bulletin.campaign,
            "groups": groups,
            "items": bulletin.rule.spec["items"],
            "red": [line for line in lines if line.listed == "red"],
            "black": [line for line in lines if line.listed == "black"],
            "own_lines": [line for line in lines if line.own],
            "narrative": [
                (label, text, _shown_table(table_of(code, lines)) if text else None)
                for code, label in sections()
                for text in [bulletin.narrative.get(code, "")]
            ],
            "cutoff": bulletin.cutoff,
            "data_at": bulletin.cutoff,
            "may_manage": may_manage,
            "issue_form": issue_form
            or IssueForm(initial={"version": bulletin.version, "issued_on": timezone.localdate()}),
            "superseded_by": Bulletin.objects.filter(supersedes=bulletin).first(),
        },
    )


@login_required
@require_POST
def bulletin_draft(request):
    """The office drafts (or refreshes the draft of) a month."""
    access.require_manage_bulletins(request.user)
    form = DraftForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("month", []):
            messages.error(request, error)
        return redirect("bulletins:list")
    try:
        bulletin = actions.do_draft_bulletin(
            _campaign(request),
            form.cleaned_data["month"],
            actor=request.user,
            correction=bool(request.POST.get("correction")),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("bulletins:list")
    messages.success(request, _("The draft is ready: review the narrative, then issue it."))
    return redirect("bulletins:detail", bulletin.pk)


@login_required
@require_POST
def bulletin_correct(request, pk):
    """Draft a correction of an issued bulletin (it stays in force until the correction is issued)."""
    access.require_manage_bulletins(request.user)
    bulletin = get_bulletin_for_view(request, pk)
    try:
        draft = actions.do_draft_bulletin(
            bulletin.campaign, bulletin.month, actor=request.user, correction=True
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("bulletins:detail", bulletin.pk)
    return redirect("bulletins:detail", draft.pk)


@login_required
def bulletin_edit(request, pk):
    """The office edits a draft's title, narrative and 抄送; another's edit in between is told."""
    access.require_manage_bulletins(request.user)
    bulletin = get_bulletin_for_view(request, pk)
    if bulletin.locked:
        messages.error(
            request,
            _("Bulletin {number} is issued and locked: draft a correction instead.").format(
                number=bulletin.number
            ),
        )
        return redirect("bulletins:detail", bulletin.pk)
    if request.method == "POST":
        form = EditForm(request.POST)
        if form.is_valid():
            try:
                actions.do_edit_bulletin(
                    bulletin,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    title=form.cleaned_data["title"],
                    copy_to=form.cleaned_data["copy_to"],
                    narrative=form.narrative(),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
                status = 409 if is_stale(exc) else 400
                return render(
                    request,
                    "supervision/bulletins/edit.html",
                    {"bulletin": bulletin, "form": form},
                    status=status,
                )
            messages.success(request, _("The bulletin's text is saved."))
            return redirect("bulletins:detail", bulletin.pk)
        return render(
            request,
            "supervision/bulletins/edit.html",
            {"bulletin": bulletin, "form": form},
            status=400,
        )
    form = EditForm.for_bulletin(bulletin)
    return render(request, "supervision/bulletins/edit.html", {"bulletin": bulletin, "form": form})


@login_required
@require_POST
def bulletin_issue(request, pk):
    """The office issues a draft under a document number no other bulletin has."""
    access.require_manage_bulletins(request.user)
    bulletin = get_bulletin_for_view(request, pk)
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            actions.do_issue_bulletin(
                bulletin,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                number=form.cleaned_data["number"],
                issued_on=form.cleaned_data["issued_on"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            response = bulletin_detail(request, pk, issue_form=form)
            response.status_code = 409 if is_stale(exc) else 400
            return response
        messages.success(request, _("The bulletin is issued and published to the units."))
        return redirect("bulletins:detail", bulletin.pk)
    response = bulletin_detail(request, pk, issue_form=form)
    response.status_code = 400
    return response


@login_required
def bulletin_docx_download(request, pk):
    """The bulletin as an official document (GB/T 9704), every figure linked to its records."""
    bulletin = get_bulletin_for_view(request, pk)
    content = document.bulletin_docx(bulletin, request.build_absolute_uri("/"))
    return download_response(
        content, document.file_name(bulletin, "docx"), DOCX_TYPE, "bulletin.docx"
    )


@login_required
def bulletin_xlsx_download(request, pk):
    """The full ranking as a workbook (the bulletin's annex)."""
    bulletin = get_bulletin_for_view(request, pk)
    content = document.bulletin_xlsx(bulletin, request.build_absolute_uri("/"))
    return download_response(
        content, document.file_name(bulletin, "xlsx"), XLSX_TYPE, "bulletin.xlsx"
    )


@login_required
def rule_list(request):
    """The campaign's scoring rule, every version kept, newest first."""
    access.require(access.may_see_drafts(request.user))
    campaign = _campaign(request)
    page = Paginator(
        ScoringRule.objects.filter(campaign=campaign)
        .select_related("loaded_by")
        .order_by("-version"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/bulletins/rules.html",
        {"campaign": campaign, "page": page, "rules": page.object_list},
    )


@login_required
def rule_detail(request, pk):
    """One version of the scoring rule: the file as loaded, and what it means."""
    access.require(access.may_see_drafts(request.user))
    rule = get_object_or_404(ScoringRule.objects.filter(campaign=_campaign(request)), pk=pk)
    labels = {k: str(v) for k, v in known_facts().items()}
    return render(
        request,
        "supervision/bulletins/rule.html",
        {"rule": rule, "spec": rule.spec, "labels": labels, "campaign": rule.campaign},
    )
