"""The office's supervision workspace (/supervision/): proposals to decide, orders due soon and
overdue by colour, the talks and cases waiting at each step, the bulletin to issue,
exemptions; the proposals'
list, the exemptions and the ladder's rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vanguard.org import access
from vanguard.supervision.bulletins.workspace import bulletin_rows
from vanguard.supervision.models import LadderRules
from vanguard.supervision.models.orders import (
    OrderColour,
    ProposalKind,
    ProposalState,
)
from vanguard.supervision.orders import queries
from vanguard.supervision.orders.actions import (
    current_rules,
    do_grant_exemption,
    do_set_ladder_rules,
)
from vanguard.supervision.orders.forms import ConfirmForm, ExemptionForm, ReasonForm, RulesForm
from vanguard.supervision.orders.ladder import do_run_ladder
from vanguard.supervision.orders.proposals import do_confirm_proposal, do_dismiss_proposal
from vanguard.supervision.orders.rules import dump_rules
from vanguard.supervision.orders.subjects import find_subject
from vanguard.supervision.orders.views import campaign_of, form_errors
from vanguard.supervision.talks.workspace import talk_rows

PAGE_SIZE = 50
SHORT_LIST = 20


@login_required
def workspace(request):
    """Proposals waiting for a decision, orders due soon and overdue, exemptions in force."""
    access.require_see_workspace(request.user)
    campaign = campaign_of(request)
    today = timezone.localdate()
    version, rules = current_rules(campaign)
    soon = queries.soon_date(campaign, today, rules)
    orders = queries.with_timing(queries.orders_for(request.user, campaign), today, soon)
    open_proposals = queries.open_proposals(request.user, campaign)
    proposals = queries.decorate_proposals(list(open_proposals[:SHORT_LIST]))
    waiting = orders.filter(due_soon=True) | orders.filter(overdue=True)
    due = queries.decorate(
        list(
            waiting.annotate(rank=queries.COLOUR_RANK).order_by("due_date", "rank", "pk")[
                :SHORT_LIST
            ]
        )
    )
    counts = queries.colour_counts(orders)
    exemptions = list(
        queries.in_force(queries.exemptions_for(request.user, campaign), today)[:SHORT_LIST]
    )
    return render(
        request,
        "supervision/orders/workspace.html",
        {
            "campaign": campaign,
            "proposals": proposals,
            "proposals_total": open_proposals.count(),
            "due": due,
            "colour_rows": [
                (
                    value,
                    label,
                    counts.get(value, {}).get("open", 0),
                    counts.get(value, {}).get("overdue", 0),
                )
                for value, label in OrderColour.choices
            ],
            "exemptions": exemptions,
            "talk_rows": talk_rows(request.user, campaign, today),
            "bulletin_rows": bulletin_rows(request.user, campaign, today),
            "rules_version": version,
            "may_decide": access.may_decide_proposals(request.user),
            "confirm_form": ConfirmForm(),
            "today": today,
            "data_at": timezone.now(),
        },
    )


@login_required
def proposal_list(request):
    """Every proposal, newest first; filter by state and kind."""
    access.require_see_workspace(request.user)
    campaign = campaign_of(request)
    found = queries.proposals_for(request.user, campaign)
    state = request.GET.get("state", "")
    kind = request.GET.get("kind", "")
    if state in ProposalState.values:
        found = found.filter(state=state)
    if kind in ProposalKind.values:
        found = found.filter(kind=kind)
    page = Paginator(found.order_by("-proposed_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    pager = request.GET.copy()
    pager.pop("page", None)
    return render(
        request,
        "supervision/orders/proposal_list.html",
        {
            "campaign": campaign,
            "page": page,
            "proposals": queries.decorate_proposals(list(page.object_list)),
            "state": state,
            "kind": kind,
            "states": ProposalState.choices,
            "kinds": ProposalKind.choices,
            "may_decide": access.may_decide_proposals(request.user),
            "confirm_form": ConfirmForm(),
            "pager_qs": pager.urlencode(),
            "data_at": timezone.now(),
        },
    )


def _decide(request, pk, form_class, act, done):
    access.require_decide_proposals(request.user)
    proposal = get_object_or_404(queries.proposals_for(request.user, campaign_of(request)), pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(proposal, form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
    else:
        messages.error(request, _("Give the reason for the decision."))
    return redirect(reverse("orders:workspace"))


@login_required
@require_POST
def confirm_proposal(request, pk):
    """Confirm a proposal with a reason; an order proposal issues its order."""
    return _decide(
        request,
        pk,
        ConfirmForm,
        lambda p, data: do_confirm_proposal(
            p,
            reason=data["reason"],
            requirement=data.get("requirement") or None,
            actor=request.user,
        ),
        _("Proposal confirmed."),
    )


@login_required
@require_POST
def dismiss_proposal(request, pk):
    """Dismiss a proposal with a reason."""
    return _decide(
        request,
        pk,
        ReasonForm,
        lambda p, data: do_dismiss_proposal(p, reason=data["reason"], actor=request.user),
        _("Proposal dismissed."),
    )


@login_required
def exemption_list(request):
    """Exemptions, latest ending first; the office grants one with its evidence."""
    if not access.may_see_orders(request.user):
        raise PermissionDenied
    campaign = campaign_of(request)
    may_grant = access.may_keep_ladder(request.user)
    form = ExemptionForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        access.require_keep_ladder(request.user)
        if form.is_valid():
            data = form.cleaned_data
            object_id = find_subject(campaign, data["subject_kind"], data["subject"].strip())
            if object_id is None:
                form.add_error(
                    "subject", _("No subject of that kind is named so in this campaign.")
                )
            else:
                try:
                    do_grant_exemption(
                        campaign,
                        subject_kind=data["subject_kind"],
                        object_id=object_id,
                        ground=data["ground"],
                        explanation=data["explanation"],
                        evidence=data["evidence"],
                        valid_from=data["valid_from"],
                        valid_until=data["valid_until"],
                        actor=request.user,
                    )
                except ValidationError as error:
                    form_errors(form, error)
                else:
                    messages.success(request, _("Exemption granted."))
                    return redirect(reverse("orders:exemptions"))
    found = queries.exemptions_for(request.user, campaign).order_by("-valid_until", "-pk")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/orders/exemption_list.html",
        {
            "campaign": campaign,
            "page": page,
            "exemptions": list(page.object_list),
            "form": form,
            "may_grant": may_grant,
            "today": timezone.localdate(),
            "data_at": timezone.now(),
        },
        status=400 if form.errors else 200,
    )


@login_required
def exemption_evidence(request, pk):
    """The document an exemption rests on, to whoever may see the exemption."""
    exemption = get_object_or_404(queries.exemptions_for(request.user, campaign_of(request)), pk=pk)
    if not exemption.evidence:
        raise Http404
    return FileResponse(
        exemption.evidence.open("rb"), as_attachment=True, filename=exemption.evidence_name
    )


@login_required
def ladder_rules(request):
    """The ladder's rules now in force and their earlier versions; the office edits them."""
    access.require_see_workspace(request.user)
    campaign = campaign_of(request)
    version, rules = current_rules(campaign)
    may_edit = access.may_keep_ladder(request.user)
    form = RulesForm(request.POST or None, initial={"text": dump_rules(rules)})
    if request.method == "POST":
        access.require_keep_ladder(request.user)
        if form.is_valid():
            try:
                row = do_set_ladder_rules(
                    campaign,
                    form.cleaned_data["text"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("text", message)
            else:
                messages.success(
                    request, _("Ladder rules version {version} saved.").format(version=row.version)
                )
                return redirect(reverse("orders:ladder"))
    versions = LadderRules.objects.filter(campaign=campaign).select_related("created_by__person")
    page = Paginator(versions.order_by("-version"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/orders/ladder.html",
        {
            "campaign": campaign,
            "version": version,
            "rules_text": dump_rules(rules),
            "form": form,
            "may_edit": may_edit,
            "page": page,
            "versions": list(page.object_list),
            "data_at": timezone.now(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def run_ladder_now(request):
    """Run the ladder now (the office), instead of waiting for the night."""
    access.require_keep_ladder(request.user)
    result = do_run_ladder(campaign_of(request), actor=request.user)
    messages.success(
        request,
        _("The ladder ran: {proposed} proposal(s), {escalated} order(s) raised a colour.").format(
            proposed=result.total_proposed, escalated=result.escalated
        ),
    )
    return redirect(reverse("orders:workspace"))
