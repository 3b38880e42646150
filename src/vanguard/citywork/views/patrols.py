"""The patrol's phone pages (巡查): start a patrol, record the problems found, end it; check
the cases the units have handled; a patrol's summary.

Writes go through ``citywork.actions.patrols``: a problem becomes a case there (through
the one case action), its photos go through the one photo store. When an open case of
the same category lies near, the page offers it before a duplicate is made: the photos
taken are kept meanwhile, so the member does not take them again.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vanguard.citywork.actions.patrols import (
    do_end_patrol,
    do_keep_patrol_photos,
    do_record_check,
    do_record_finding,
    do_start_patrol,
)
from vanguard.citywork.forms.patrols import CheckForm, EndPatrolForm, FindingForm, StartPatrolForm
from vanguard.citywork.models import Patrol
from vanguard.citywork.queries import patrols as queries
from vanguard.citywork.views.common import campaign_of
from vanguard.core.forms import add_action_errors
from vanguard.core.preconditions import is_stale
from vanguard.exchange.files import too_large_message
from vanguard.org import access


def add_errors(form, error):
    """An action's errors on the form; a location's under the longitude it was typed in."""
    if not hasattr(error, "error_dict"):
        add_action_errors(form, error)
        return
    for field, found in error.message_dict.items():
        target = "lon" if field == "location" else field
        for message in found:
            form.add_error(target if target in form.fields else None, message)


def _patrol(request, pk):
    patrol = get_object_or_404(Patrol.objects.select_related("grid", "member__person"), pk=pk)
    access.require_see_patrol(request.user, patrol)
    return patrol


def _home(request, *, start_form=None, finding_form=None, end_form=None, offer=None, status=200):
    patrol = queries.open_patrol(request.user)
    checks_mine, checks_others = queries.check_counts(request.user)
    context = {
        "campaign": campaign_of(request),
        "patrol": patrol,
        "recent": queries.recent_patrols(request.user),
        "checks_mine": checks_mine,
        "checks_others": checks_others,
        "offer": offer,
    }
    if patrol is None:
        context["start_form"] = start_form or StartPatrolForm()
    else:
        context.update(
            finding_form=finding_form or FindingForm(),
            end_form=end_form or EndPatrolForm(),
            findings=queries.findings_of(patrol),
        )
    return render(request, "citywork/patrol_home.html", context, status=status)


@login_required
def patrol_home(request):
    """The patrol member's page: start a patrol, or record what the open one finds."""
    access.require_patrol(request.user)
    return _home(request)


@login_required
@require_POST
def patrol_start(request):
    access.require_patrol(request.user)
    form = StartPatrolForm(request.POST)
    if form.is_valid():
        try:
            patrol = do_start_patrol(
                campaign_of(request),
                actor=request.user,
                grid=form.cleaned_data["grid"],
                area=form.cleaned_data["area"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_errors(form, error)
            return _home(request, start_form=form, status=409 if is_stale(error) else 400)
        messages.success(request, _("Patrol {number} started.").format(number=patrol.number))
        return redirect("citywork:patrol")
    return _home(request, start_form=form, status=400)


@login_required
@require_POST
def patrol_end(request, pk):
    access.require_patrol(request.user)
    patrol = _patrol(request, pk)
    form = EndPatrolForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else None
    try:
        do_end_patrol(patrol, actor=request.user, note=note)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("citywork:patrol_detail", pk=patrol.pk)
    messages.success(request, _("Patrol {number} ended.").format(number=patrol.number))
    return redirect("citywork:patrol_detail", pk=patrol.pk)


def _support_of(decision, candidates):
    """The case chosen to support (``support-PK``), among those offered, or None."""
    if not decision.startswith("support-"):
        return None
    wanted = decision.removeprefix("support-")
    for case, _metres in candidates:
        if str(case.pk) == wanted:
            return case
    return None


@login_required
@require_POST
def patrol_record(request, pk):
    """Record a problem found: a new case, or support for an open one nearby."""
    access.require_patrol(request.user)
    patrol = _patrol(request, pk)
    access.require_record_finding(request.user, patrol)
    form = FindingForm(request.POST, request.FILES)
    too_large = getattr(request, "upload_too_large", None)
    if too_large:
        form.is_valid()
        form.add_error("photos", too_large_message(too_large))
        return _home(request, finding_form=form, status=413)
    if not form.is_valid():
        return _home(request, finding_form=form, status=400)
    data = form.cleaned_data
    decision = request.POST.get("decision", "")
    candidates = queries.nearby(
        data["category"], data["lon"], data["lat"], data["coordinate_system"]
    )
    support = _support_of(decision, candidates)
    kept = data["kept"]
    photos = data["photos"]
    if decision.startswith("support-") and support is None:
        form.add_error(None, _("The case chosen is no longer open nearby; look again."))
        return _home(request, finding_form=form, status=409)
    try:
        if candidates and not decision:
            # Keep the photos and ask first: the same problem may be a case already.
            kept = kept + do_keep_patrol_photos(patrol, photos, actor=request.user)
            shown = request.POST.copy()
            shown.setlist("kept", kept)
            offer_form = FindingForm(shown)
            offer_form.is_valid()
            return _home(
                request,
                finding_form=offer_form,
                offer={"candidates": candidates, "kept": kept},
            )
        finding = do_record_finding(
            patrol,
            actor=request.user,
            category=data["category"],
            lon=data["lon"],
            lat=data["lat"],
            coordinate_system=data["coordinate_system"],
            description=data["description"],
            address=data["address"],
            photos=photos,
            kept=kept,
            support=support,
        )
    except ValidationError as error:
        add_errors(form, error)
        return _home(request, finding_form=form, status=409 if is_stale(error) else 400)
    if finding.supported:
        message = _("Case {number} was already open here: your report is added to it.")
    else:
        message = _("Case {number} is registered; you will check it once the unit has handled it.")
    messages.success(request, message.format(number=finding.case.number))
    return redirect("citywork:patrol")


@login_required
def patrol_detail(request, pk):
    """A patrol's summary: when and where, the problems found, the cases and their states."""
    access.require_patrol(request.user)
    patrol = _patrol(request, pk)
    findings = queries.findings_of(patrol)
    return render(
        request,
        "citywork/patrol_detail.html",
        {
            "patrol": patrol,
            "findings": findings,
            "new_cases": sum(1 for f in findings if not f.supported),
            "supported": sum(1 for f in findings if f.supported),
            "closed": sum(1 for f in findings if f.case.state == "closed"),
            "may_end": patrol.is_open and access.may_end_patrol(request.user, patrol),
            "end_form": EndPatrolForm(),
            "may_read_originals": access.may_read_photo_originals(request.user),
        },
    )


def _check_forms(cases, bound=None):
    for case in cases:
        if bound is not None and bound[0] == case.pk:
            case.check_form = bound[1]
        else:
            case.check_form = CheckForm(
                initial={"version": case.version}, auto_id="id_c{}_%s".format(case.pk)
            )


def _checks(request, bound=None, status=200):
    mine, others = queries.checks_for(request.user)
    _check_forms(mine + others, bound)
    return render(
        request,
        "citywork/patrol_checks.html",
        {
            "mine": mine,
            "others": others,
            "may_read_originals": access.may_read_photo_originals(request.user),
        },
        status=status,
    )


@login_required
def patrol_checks(request):
    """My checks (核查): the handled cases whose checker I am, and others awaiting a check."""
    access.require_patrol(request.user)
    return _checks(request)


@login_required
@require_POST
def patrol_check(request, pk):
    """Pass or fail a handled case on site, with "after" photos."""
    access.require_patrol(request.user)
    case = get_object_or_404(queries.cases_for(request.user).select_related("unit"), pk=pk)
    access.require_check_case(request.user, case)
    form = CheckForm(request.POST, request.FILES, auto_id="id_c{}_%s".format(case.pk))
    too_large = getattr(request, "upload_too_large", None)
    if too_large:
        form.is_valid()
        form.add_error("photos", too_large_message(too_large))
        return _checks(request, (case.pk, form), status=413)
    if form.is_valid():
        data = form.cleaned_data
        try:
            do_record_check(
                case,
                actor=request.user,
                passed=data["result"] == "pass",
                note=data["note"],
                photos=data["photos"],
                version=data["version"],
            )
        except ValidationError as error:
            add_errors(form, error)
            return _checks(request, (case.pk, form), status=409 if is_stale(error) else 400)
        if data["result"] == "pass":
            messages.success(
                request,
                _("Case {number} passed its check and is closed.").format(number=case.number),
            )
        else:
            messages.warning(
                request,
                _("Case {number} failed its check and goes back to {unit}.").format(
                    number=case.number, unit=case.unit.name if case.unit else "—"
                ),
            )
        return redirect(reverse("citywork:patrol_checks"))
    return _checks(request, (case.pk, form), status=400)
