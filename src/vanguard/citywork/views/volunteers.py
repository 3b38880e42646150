"""Volunteer activities (志愿服务) for their organisers and the office: the list, plan and
change one, record it held with its photos and the problems found, cancel it; the weekly
count per organising unit as a page and a workbook.

Reads go through ``citywork.queries.volunteers`` (``org.access``), writes through
``citywork.actions.volunteers``. The public signup page is ``volunteer_public``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.citywork.actions.volunteers import (
    do_cancel_activity,
    do_create_activity,
    do_record_activity_problem,
    do_record_held,
    do_update_activity,
)
from vanguard.citywork.choices import ActivityState
from vanguard.citywork.forms.patrols import CaseReportForm
from vanguard.citywork.forms.volunteers import ActivityForm, CancelForm, HeldForm
from vanguard.citywork.queries import volunteers as queries
from vanguard.citywork.views.battle import _week, _weeks
from vanguard.citywork.views.common import PAGE_SIZE, campaign_of, pager_qs
from vanguard.citywork.views.patrols import add_errors
from vanguard.core.asof import as_of_line
from vanguard.core.preconditions import is_stale
from vanguard.exchange.files import too_large_message
from vanguard.exchange.xlsx import Sheet, xlsx_response
from vanguard.org import access


def _activity(request, pk):
    return get_object_or_404(
        queries.activities_for(request.user, campaign_of(request)).select_related(
            "unit", "campaign", "created_by__person"
        ),
        pk=pk,
    )


def _detail_url(activity):
    return "{}?campaign={}".format(
        reverse("citywork:activity_detail", args=[activity.pk]), activity.campaign.code
    )


@login_required
def activity_list(request):
    """The activities the user sees, by state and unit, with places taken and problems found."""
    access.require_participant(request.user)
    campaign = campaign_of(request)
    state = request.GET.get("state", "")
    state = state if state in ActivityState.values else ""
    unit = request.GET.get("unit", "")[:64]
    # A city holds thousands of activities a year: a page at a time, the newest first.
    page = Paginator(
        queries.listed(request.user, campaign, state=state, unit=unit), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "citywork/activity_list.html",
        {
            "campaign": campaign,
            "activities": page.object_list,
            "page": page,
            "pager_qs": pager_qs(request),
            "state": state,
            "states": ActivityState.choices,
            "may_organise": access.may_organise_activities(request.user),
        },
    )


def _fields(form):
    data = dict(form.cleaned_data)
    data.pop("version", None)
    return data


@login_required
def activity_new(request):
    """A unit's reporter (or the office) plans an activity."""
    access.require_organise_activities(request.user)
    campaign = campaign_of(request)
    form = ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            activity = do_create_activity(campaign, actor=request.user, **_fields(form))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("“{title}” is planned.").format(title=activity.title))
            return redirect(_detail_url(activity))
    return render(
        request,
        "citywork/activity_form.html",
        {"form": form, "campaign": campaign, "activity": None},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def activity_edit(request, pk):
    """Change a planned activity: its time, place, places, description."""
    access.require_participant(request.user)
    activity = _activity(request, pk)
    access.require_change_activity(request.user, activity)
    initial = {
        "title": activity.title,
        "kind": activity.kind,
        "starts_at": timezone.localtime(activity.starts_at),
        "ends_at": timezone.localtime(activity.ends_at) if activity.ends_at else None,
        "address": activity.address,
        "lon": activity.lon,
        "lat": activity.lat,
        "coordinate_system": "wgs84",
        "unit": activity.unit,
        "capacity": activity.capacity,
        "description": activity.description,
        "version": activity.version,
    }
    form = ActivityForm(request.POST or None, initial=initial, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                do_update_activity(
                    activity,
                    actor=request.user,
                    version=form.cleaned_data["version"],
                    **_fields(form),
                )
            except ValidationError as error:
                add_errors(form, error)
                status = 409 if is_stale(error) else 400
            else:
                messages.success(request, _("“{title}” is saved.").format(title=activity.title))
                return redirect(_detail_url(activity))
    return render(
        request,
        "citywork/activity_form.html",
        {"form": form, "campaign": activity.campaign, "activity": activity},
        status=status,
    )


@login_required
def activity_detail(request, pk, *, held_form=None, problem_form=None, status=200):
    """One activity: plan, places taken, who signed up (for its organisers), photos, the
    problems it found and their cases' states."""
    access.require_participant(request.user)
    activity = _activity(request, pk)
    may_change = access.may_change_activity(request.user, activity)
    page = queries.activity_page(activity, with_signups=may_change)
    started = timezone.localdate(activity.starts_at) <= timezone.localdate()
    may_hold = may_change and started and activity.state != ActivityState.CANCELLED
    context = {
        "activity": activity,
        "campaign": activity.campaign,
        "may_change": may_change,
        "may_edit": may_change and activity.state == ActivityState.PLANNED,
        "may_hold": may_hold,
        "may_report": may_change and activity.state == ActivityState.HELD,
        "held_form": held_form
        or HeldForm(
            initial={
                "participants": activity.participants,
                "summary": activity.summary,
                "version": activity.version,
            }
        ),
        "problem_form": problem_form or CaseReportForm(),
        "cancel_form": CancelForm(initial={"version": activity.version}),
        "signed_up": activity.signups.count(),
        "may_read_originals": access.may_read_photo_originals(request.user),
        **page,
    }
    return render(request, "citywork/activity_detail.html", context, status=status)


def _upload_refused(request, form, field):
    too_large = getattr(request, "upload_too_large", None)
    if too_large:
        form.is_valid()
        form.add_error(field, too_large_message(too_large))
    return bool(too_large)


@login_required
def activity_held(request, pk):
    """Record the activity as held: participants, what was done, photos."""
    access.require_participant(request.user)
    activity = _activity(request, pk)
    access.require_change_activity(request.user, activity)
    if request.method != "POST":
        return redirect(_detail_url(activity))
    form = HeldForm(request.POST, request.FILES)
    if _upload_refused(request, form, "photos"):
        return activity_detail(request, pk, held_form=form, status=413)
    if form.is_valid():
        data = form.cleaned_data
        try:
            do_record_held(
                activity,
                actor=request.user,
                participants=data["participants"],
                summary=data["summary"],
                photos=data["photos"],
                version=data["version"],
            )
        except ValidationError as error:
            add_errors(form, error)
            return activity_detail(
                request, pk, held_form=form, status=409 if is_stale(error) else 400
            )
        messages.success(
            request,
            _("“{title}” is recorded as held, {count} took part.").format(
                title=activity.title, count=data["participants"]
            ),
        )
        return redirect(_detail_url(activity))
    return activity_detail(request, pk, held_form=form, status=400)


@login_required
def activity_problem(request, pk):
    """Report a problem the activity found: it becomes a case from the volunteers."""
    access.require_participant(request.user)
    activity = _activity(request, pk)
    access.require_change_activity(request.user, activity)
    if request.method != "POST":
        return redirect(_detail_url(activity))
    form = CaseReportForm(request.POST, request.FILES)
    if _upload_refused(request, form, "photos"):
        return activity_detail(request, pk, problem_form=form, status=413)
    if form.is_valid():
        data = form.cleaned_data
        try:
            finding = do_record_activity_problem(activity, actor=request.user, **data)
        except ValidationError as error:
            add_errors(form, error)
            return activity_detail(
                request, pk, problem_form=form, status=409 if is_stale(error) else 400
            )
        messages.success(
            request,
            _("Case {number} is reported and waits for registration.").format(
                number=finding.case.number
            ),
        )
        return redirect(_detail_url(activity))
    return activity_detail(request, pk, problem_form=form, status=400)


@login_required
def activity_cancel(request, pk):
    """Call off a planned activity with a reason."""
    access.require_participant(request.user)
    activity = _activity(request, pk)
    access.require_change_activity(request.user, activity)
    if request.method != "POST":
        return redirect(_detail_url(activity))
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the activity is cancelled."))
        return activity_detail(request, pk, status=400)
    try:
        do_cancel_activity(
            activity,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return activity_detail(request, pk, status=409 if is_stale(error) else 400)
    messages.success(request, _("“{title}” is cancelled.").format(title=activity.title))
    return redirect(_detail_url(activity))


def _weekly(request):
    if access.data_scope(request.user) == access.SCOPE_NONE:
        raise PermissionDenied
    campaign = campaign_of(request)
    week, today = _week(request, campaign)
    rows, total = queries.weekly_count(request.user, campaign, week)
    return campaign, week, today, rows, total


@login_required
def activity_weekly(request):
    """The week's volunteer activities per organising unit: held, participants, problems."""
    campaign, week, today, rows, total = _weekly(request)
    return render(
        request,
        "citywork/activity_weekly.html",
        {
            "campaign": campaign,
            "week": week,
            "weeks": _weeks(campaign, today),
            "previous": week.previous(),
            "next": week.next() if week.next().start <= today else None,
            "rows": rows,
            "total": total,
            "data_at": timezone.now(),
        },
    )


@login_required
def activity_weekly_export(request):
    """The same week as a workbook."""
    campaign, week, _today, rows, total = _weekly(request)
    sheet = Sheet(
        title=_("Volunteer activities"),
        caption=[
            _("{campaign}: volunteer activities of {week}").format(
                campaign=campaign.name, week=week.display_label
            )
        ],
        headers=[
            _("Organising unit"),
            _("Activities held"),
            _("Participants"),
            _("Problems found"),
        ],
        rows=[(r.name, r.held, r.participants, r.problems) for r in rows]
        + [(_("Total"), total.held, total.participants, total.problems)],
    )
    notes = Sheet(title=_("Notes"), headers=[_("Note")], rows=[(as_of_line(timezone.now()),)])
    return xlsx_response(
        _("Volunteer activities {week}.xlsx").format(week=week.label), [sheet, notes]
    )
