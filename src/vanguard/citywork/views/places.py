"""Demonstration zones and model roads: the list, a place's page, inspections, acceptance.

Reads go through ``citywork.queries`` (``org.access``), writes through
``citywork.actions.places``. An inspection's photos go through the one photo store of
city work (``citywork.photos``); the page shows their thumbnails.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vanguard.audit.log import history_of
from vanguard.citywork.actions.places import (
    do_accept_place,
    do_add_criterion,
    do_apply_acceptance,
    do_create_place,
    do_record_inspection,
    do_return_place,
    do_set_criterion_active,
    do_update_place,
)
from vanguard.citywork.choices import PlaceKind, PlaceState
from vanguard.citywork.forms.campaigns import person_of
from vanguard.citywork.forms.places import InspectionForm, PlaceForm
from vanguard.citywork.forms.reports import ReturnForm, VersionForm
from vanguard.citywork.lights import PLACE
from vanguard.citywork.models import Criterion
from vanguard.citywork.queries import places as queries
from vanguard.citywork.queries.scope import places_for
from vanguard.citywork.views.common import add_errors, as_of, campaign_of, page_url, seen_or_404
from vanguard.core.preconditions import is_stale
from vanguard.exchange.files import too_large_message
from vanguard.org import access
from vanguard.supervision.lights import lights_for


def _detail_url(place):
    return page_url("citywork:place_detail", place)


def place_for_view(request, code):
    return seen_or_404(
        request,
        places_for,
        code,
        "lead_unit",
        "responsible_person",
        "campaign",
        "accepted_by__person",
    )


@login_required
def place_list(request):
    """The zones and roads the user sees: light, state, latest inspection."""
    access.require_participant(request.user)
    campaign = campaign_of(request)
    kind = request.GET.get("kind", "")
    kind = kind if kind in PlaceKind.values else ""
    context = {
        "campaign": campaign,
        "places": queries.listed(request.user, campaign, kind),
        "kind": kind,
        "kinds": PlaceKind.choices,
        "may_manage": access.may_manage_weekly_work(request.user),
        **as_of(campaign),
    }
    return render(request, "citywork/place_list.html", context)


@login_required
def place_detail(request, code, *, inspection_form=None, status=200):
    """One place: its shape, checklist, inspections, state and light."""
    access.require_participant(request.user)
    place = place_for_view(request, code)
    criteria = queries.checklist(place.kind)
    may_inspect = access.may_inspect_places(request.user, place)
    if inspection_form is None and may_inspect:
        inspection_form = InspectionForm(
            criteria=criteria, initial={"inspected_on": timezone.localdate()}
        )
    state = lights_for(PLACE, [place.pk], campaign=place.campaign)
    context = {
        "place": place,
        "campaign": place.campaign,
        "light": state.get(place.pk),
        "criteria": criteria,
        "inspections": list(queries.inspections_of(place)),
        "geometry": json.dumps(place.geometry, ensure_ascii=False),
        "may_inspect": may_inspect,
        "may_read_originals": access.may_read_photo_originals(request.user),
        "may_apply": access.may_report_weekly(request.user, place)
        and place.state == PlaceState.CREATING,
        "may_accept": access.may_verify_weekly(request.user, place)
        and place.state == PlaceState.APPLIED,
        "may_manage": access.may_manage_weekly_work(request.user),
        "own_unit": access.reports_for(request.user, place.lead_unit_id),
        "inspection_form": inspection_form,
        "history": history_of(place)[:20],
        **as_of(place.campaign),
    }
    return render(request, "citywork/place_detail.html", context, status=status)


@login_required
@require_POST
def place_inspect(request, code):
    """The task force (or the office) records an inspection of a place."""
    access.require_participant(request.user)
    place = place_for_view(request, code)
    access.require_inspect_places(request.user, place)
    form = InspectionForm(request.POST, request.FILES, criteria=queries.checklist(place.kind))
    too_large = getattr(request, "upload_too_large", None)
    if too_large:
        # The body was cut off past the site-wide limit: nothing of it is recorded.
        form.is_valid()
        form.add_error("photos", too_large_message(too_large))
        return place_detail(request, code, inspection_form=form, status=413)
    if form.is_valid():
        data = form.cleaned_data
        try:
            inspection = do_record_inspection(
                place,
                inspected_on=data["inspected_on"],
                inspectors=data["inspectors"],
                met=data["met"],
                remarks=data["remarks"],
                photos=data["photos"],
                actor=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Inspection recorded: {met} of {total} criteria met.").format(
                    met=inspection.met_count, total=inspection.total_count
                )
                + (
                    _(" {count} photos kept.").format(count=inspection.photo_attachments.count())
                    if data["photos"]
                    else ""
                ),
            )
            return redirect(_detail_url(place))
    return place_detail(request, code, inspection_form=form, status=400)


def _step(request, code, act, done, **kwargs):
    place = place_for_view(request, code)
    form = VersionForm(request.POST)
    version = form.cleaned_data.get("version") if form.is_valid() else None
    try:
        act(place, actor=request.user, version=version, **kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return place_detail(request, code, status=409 if is_stale(error) else 400)
    messages.success(request, done.format(code=place.code))
    return redirect(_detail_url(place))


@login_required
@require_POST
def place_apply(request, code):
    """The lead unit applies for acceptance."""
    access.require_participant(request.user)
    return _step(request, code, do_apply_acceptance, _("{code} is applied for acceptance."))


@login_required
@require_POST
def place_accept(request, code):
    """The task force accepts a place (验收)."""
    access.require_participant(request.user)
    return _step(request, code, do_accept_place, _("{code} is accepted."))


@login_required
@require_POST
def place_return(request, code):
    """The task force sends an application back with a reason."""
    access.require_participant(request.user)
    form = ReturnForm(request.POST)
    reason = form.data.get("reason", "")
    return _step(
        request,
        code,
        do_return_place,
        _("The application of {code} is sent back."),
        reason=reason,
    )


def _place_fields(form):
    data = dict(form.cleaned_data)
    for name in ("code", "kind", "version"):
        data.pop(name, None)
    data["responsible_person"] = person_of(form)
    return data


@login_required
def place_new(request):
    """The office (or the city-work task force) adds a zone or a road."""
    access.require_manage_weekly_work(request.user)
    campaign = campaign_of(request)
    form = PlaceForm(request.POST or None, initial={"kind": request.GET.get("kind", "zone")})
    if request.method == "POST" and form.is_valid():
        fields = _place_fields(form)
        if form.is_valid():
            try:
                place = do_create_place(
                    campaign,
                    code=form.cleaned_data["code"],
                    kind=form.cleaned_data["kind"],
                    actor=request.user,
                    **fields,
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("{name} is added.").format(name=place.name))
                return redirect(_detail_url(place))
    return render(
        request,
        "citywork/place_form.html",
        {"form": form, "campaign": campaign, "place": None},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def place_edit(request, code):
    """Change a place's name, owner, shape or planned acceptance."""
    access.require_manage_weekly_work(request.user)
    place = place_for_view(request, code)
    initial = {
        "code": place.code,
        "kind": place.kind,
        "name": place.name,
        "lead_unit": place.lead_unit,
        "responsible_person": place.responsible_person.name,
        "geometry": json.dumps(place.geometry, ensure_ascii=False),
        "planned_acceptance": place.planned_acceptance,
        "description": place.description,
        "version": place.version,
    }
    form = PlaceForm(request.POST or None, initial=initial, editing=True)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            fields = _place_fields(form)
            if form.is_valid():
                try:
                    do_update_place(
                        place, actor=request.user, version=form.cleaned_data["version"], **fields
                    )
                except ValidationError as error:
                    add_errors(form, error)
                    status = 409 if is_stale(error) else 400
                else:
                    messages.success(request, _("{name} is saved.").format(name=place.name))
                    return redirect(_detail_url(place))
    return render(
        request,
        "citywork/place_form.html",
        {"form": form, "campaign": place.campaign, "place": place},
        status=status,
    )


@login_required
def criteria_page(request):
    """The acceptance checklists of zones and roads; the office adds or retires criteria."""
    access.require_participant(request.user)
    error = None
    if request.method == "POST":
        access.require_manage_weekly_work(request.user)
        try:
            if request.POST.get("criterion"):
                criterion = get_object_or_404(Criterion, pk=request.POST["criterion"])
                do_set_criterion_active(
                    criterion, active=request.POST.get("active") == "1", actor=request.user
                )
            else:
                do_add_criterion(
                    kind=request.POST.get("kind"), text=request.POST.get("text"), actor=request.user
                )
            return redirect("citywork:criteria")
        except ValidationError as exc:
            error = " ".join(exc.messages)
    criteria = Criterion.objects.order_by("kind", "sort_order", "code")
    return render(
        request,
        "citywork/criteria.html",
        {
            "groups": [
                (label, [c for c in criteria if c.kind == k]) for k, label in PlaceKind.choices
            ],
            "kinds": PlaceKind.choices,
            "may_manage": access.may_manage_weekly_work(request.user),
            "error": error,
        },
        status=400 if error else 200,
    )
