"""The tracking page (进度查询): a case's progress by its tracking code, and the reporter's word.

The tracking code is the only key: whoever holds it sees the case's public steps with
their times, the unit's reply and the photos before and after, and once the case is
closed says "fixed" or "not fixed" (which sends it back to the unit as rework). Reads
are counted per address, and unknown codes more strictly, so codes cannot be guessed.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from vanguard.citywork.actions.case_support import do_citizen_feedback
from vanguard.citywork.forms.public import FeedbackForm, TrackForm, normal_code
from vanguard.citywork.models import Case
from vanguard.citywork.queries.public import public_progress, public_state
from vanguard.citywork.views.public.doors import (
    miss_allowed,
    post_allowed,
    private,
    public_door,
    read_allowed,
    recent_codes,
    too_many,
)
from vanguard.core.forms import add_action_errors


def _recent(request):
    """This phone's recent reports, newest first, with their state."""
    codes = recent_codes(request)
    found = {
        c.tracking_code: c
        for c in Case.objects.filter(tracking_code__in=codes).select_related("category")
    }
    recent = [found[code] for code in codes if code in found]
    for case in recent:
        case.public_state = public_state(case)
    return recent


@public_door
@require_GET
def track_lookup(request):
    """Type a tracking code; the phone's own recent reports are listed beneath."""
    verdict = read_allowed(request)
    if not verdict.allowed:
        return too_many(request, verdict)
    form = TrackForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("report:track", code=form.cleaned_data["code"])
    return private(
        render(
            request,
            "citywork/public/track_lookup.html",
            {"form": form, "recent": _recent(request)},
            status=400 if form.is_bound else 200,
        )
    )


def _not_found(request, code):
    verdict = miss_allowed(request)
    if not verdict.allowed:
        return too_many(request, verdict)
    form = TrackForm({"code": code})
    form.is_valid()
    form.add_error(
        None, _("No report has the tracking code {code}: check it and try again.").format(code=code)
    )
    return private(
        render(
            request,
            "citywork/public/track_lookup.html",
            {"form": form, "recent": _recent(request)},
            status=404,
        )
    )


@public_door
@require_http_methods(["GET", "POST"])
def track(request, code):
    """A case's progress; a closed case takes the reporter's "fixed" or "not fixed"."""
    verdict = read_allowed(request) if request.method == "GET" else post_allowed(request)
    if not verdict.allowed:
        return too_many(request, verdict)
    wanted = normal_code(code)
    if wanted is None:
        return _not_found(request, code[:40])
    if wanted != code:
        return redirect("report:track", code=wanted)
    case = Case.objects.select_related("category", "unit").filter(tracking_code=wanted).first()
    if case is None:
        return _not_found(request, wanted)
    form = FeedbackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                do_citizen_feedback(
                    case, fixed=form.cleaned_data["fixed"], note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Thank you: the fix is confirmed.")
                    if form.cleaned_data["fixed"]
                    else _("Thank you: the case goes back to the unit to be handled again."),
                )
                return redirect("report:track", code=wanted)
        status = 400
        case.refresh_from_db()
    context = {"progress": public_progress(case), "form": form, "code": wanted}
    return private(render(request, "citywork/public/track.html", context, status=status))
