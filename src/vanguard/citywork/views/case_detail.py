"""One city case: its facts, map point, clock, flow record, nearby cases, and the forms of
the steps the viewer may take now.

Which step shows for whom follows ``org.access.cases``: the office and the city-work task
force register, dispatch and decide; the responsible unit's reporters sign, return,
handle and ask for more time while the case is at their door; someone other than the
handler checks. Every form carries the version read: a step taken on a page someone else
changed meanwhile answers 409 and says so, and changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from vanguard.calendar.worktime import TimeUnit
from vanguard.citywork import routing
from vanguard.citywork.actions import case_support
from vanguard.citywork.actions import cases as actions
from vanguard.citywork.choices import PhotoRole, PhotoSource
from vanguard.citywork.forms import cases as forms
from vanguard.citywork.lights import CASE
from vanguard.citywork.models.cases import CaseState, pk_of_number
from vanguard.citywork.queries import cases as queries
from vanguard.citywork.queries.patrols import photos_of_cases
from vanguard.citywork.views.cases import case_url, require_see_cases
from vanguard.citywork.views.common import as_of, campaign_of
from vanguard.core.forms import add_action_errors
from vanguard.core.preconditions import is_stale
from vanguard.exchange.files import too_large_message
from vanguard.maps import district
from vanguard.org import access
from vanguard.supervision.reasons import reason_text

KEEPING = {CaseState.REPORTED, CaseState.REGISTERED}


def _require_unit(user, case):
    """Only the responsible unit's reporters come this far; the action checks the rest."""
    if not access.reports_for(user, case.unit_id):
        access.require_handle_case(user, case)


def _require_keep(user, case):
    access.require_keep_cases(user)


def _merge(case, data, actor):
    target = (
        queries.cases_for(actor, case.campaign).filter(pk=pk_of_number(data["into"]) or 0).first()
    )
    if target is None:
        raise ValidationError({"into": _("No case {number}.").format(number=data["into"])})
    return case_support.do_merge(case, into=target, actor=actor, version=data["version"])


@dataclass(frozen=True)
class Step:
    """A step of the flow as the case's page offers it."""

    name: str
    title: str
    form: type
    # Who may take it at all, checked before the form is read: a refusal is 403.
    require: Callable
    act: Callable  # (case, cleaned data, actor) -> the case
    done: str  # what the page says once done, with {number}


STEPS = {
    step.name: step
    for step in (
        Step(
            "register",
            gettext_lazy("Register"),
            forms.StepForm,
            _require_keep,
            lambda c, d, a: actions.do_register(c, actor=a, version=d["version"]),
            gettext_lazy("Case {number} is registered."),
        ),
        Step(
            "discard",
            gettext_lazy("Do not register"),
            forms.ReasonForm,
            _require_keep,
            lambda c, d, a: actions.do_discard(
                c, actor=a, reason=d["reason"], version=d["version"]
            ),
            gettext_lazy("Case {number} is not registered; the reporter sees why."),
        ),
        Step(
            "dispatch",
            pgettext_lazy("case", "Dispatch"),
            forms.DispatchForm,
            _require_keep,
            lambda c, d, a: actions.do_dispatch(
                c, actor=a, unit=d["unit"], checker=d["checker"], version=d["version"]
            ),
            gettext_lazy("Case {number} is dispatched; its time limit runs."),
        ),
        Step(
            "sign",
            gettext_lazy("Sign for it"),
            forms.StepForm,
            _require_unit,
            lambda c, d, a: actions.do_sign(c, actor=a, version=d["version"]),
            gettext_lazy("Case {number} is signed for."),
        ),
        Step(
            "handle",
            gettext_lazy("Reply: handled"),
            forms.HandleForm,
            _require_unit,
            lambda c, d, a: case_support.with_photos(
                lambda: actions.do_handle(c, actor=a, reply=d["reply"], version=d["version"]),
                d["photos"],
                actor=a,
                source=PhotoSource.CASE_PAGE,
            ),
            gettext_lazy("Case {number} is handled; it waits for the check."),
        ),
        Step(
            "return",
            gettext_lazy("Return: not our unit's"),
            forms.ReasonForm,
            _require_unit,
            lambda c, d, a: actions.do_return(c, actor=a, reason=d["reason"], version=d["version"]),
            gettext_lazy("Case {number} is returned; the task force decides."),
        ),
        Step(
            "postpone",
            gettext_lazy("Ask for more time"),
            forms.PostponeForm,
            _require_unit,
            lambda c, d, a: actions.do_ask_postponement(
                c, actor=a, until=d["until"], reason=d["reason"], version=d["version"]
            ),
            gettext_lazy("More time is asked for case {number}."),
        ),
        Step(
            "decide-return",
            gettext_lazy("Decide the return"),
            forms.DecideReturnForm,
            _require_keep,
            lambda c, d, a: actions.do_decide_return(
                c,
                actor=a,
                uphold=d["decision"] == forms.UPHOLD,
                unit=d["unit"],
                note=d["note"],
                version=d["version"],
            ),
            gettext_lazy("The return of case {number} is decided."),
        ),
        Step(
            "decide-postponement",
            gettext_lazy("Decide the postponement"),
            forms.DecidePostponementForm,
            _require_keep,
            lambda c, d, a: actions.do_decide_postponement(
                c,
                actor=a,
                approve=d["decision"] == forms.APPROVE,
                note=d["note"],
                version=d["version"],
            ),
            gettext_lazy("The postponement of case {number} is decided."),
        ),
        Step(
            "check",
            gettext_lazy("Check on site"),
            forms.CheckForm,
            access.require_check_case,
            lambda c, d, a: case_support.with_photos(
                lambda: actions.do_check(
                    c,
                    actor=a,
                    passed=d["result"] == forms.PASSED,
                    note=d["note"],
                    version=d["version"],
                ),
                d["photos"],
                actor=a,
                source=PhotoSource.CASE_PAGE,
            ),
            gettext_lazy("The check of case {number} is recorded."),
        ),
        Step(
            "merge",
            gettext_lazy("Merge"),
            forms.MergeForm,
            _require_keep,
            _merge,
            gettext_lazy("Case {number} is merged as the same problem."),
        ),
    )
}


def case_for_view(request, number):
    return queries.case_of(request.user, campaign_of(request), number)


def clock_of(case, now):
    """The case's time limit as its page shows it: working time left (or over), in the
    category's unit; stopped at the unit's reply."""
    if case.due_at is None:
        return None
    unit = TimeUnit(case.category.time_unit)
    stopped = case.handled_at is not None and case.state in (CaseState.HANDLED, CaseState.CLOSED)
    end = case.handled_at if stopped else now
    left = actions.work_time().between(end, case.due_at, unit)
    return {
        "left": round(abs(left), 1),
        "over": left < 0,
        "unit": unit.label,
        "stopped": stopped,
    }


ROUTE_WHY = {
    "route": gettext_lazy("a route of the category for this place"),
    "department": gettext_lazy("the category's responsible department"),
    "grid": gettext_lazy("the grid's town or street office (属地管理)"),
    "none": gettext_lazy("no rule matches this place: choose the unit"),
}


def _suggestion(case):
    found = routing.route(case.category, case.lon, case.lat, grid=case.grid)
    return {"unit": found.unit, "why": ROUTE_WHY[found.why]}


def step_url(step, case):
    return "{}?campaign={}".format(
        reverse("citywork:case_" + step.replace("-", "_"), args=[case.number]), case.campaign.code
    )


def _forms_of(user, case, given, suggestion):
    """The forms of the steps the viewer may take now, each with where it posts: the one
    given back with its errors, a fresh one for the others."""
    shown = []
    allowed = queries.open_steps(user, case)
    for step in STEPS.values():
        if step.name == "merge":
            continue  # offered beside each nearby case
        if step.name in given:
            form = given[step.name]
        elif step.name in allowed:
            initial = {}
            if step.name == "dispatch":
                if suggestion and suggestion["unit"] is not None:
                    initial["unit"] = suggestion["unit"].code
                if case.checker_id:
                    initial["checker"] = case.checker.get_username()
            form = step.form(case=case, initial=initial)
        else:
            continue
        shown.append((step, form, step_url(step.name, case)))
    return shown


def _map_data(case):
    return {
        "district": district.district()["geometry"],
        "grid": case.grid.geometry if case.grid_id else None,
        "point": [case.lon, case.lat],
        "label": case.number,
    }


@login_required
def case_detail(request, number, *, forms_given=None, status=200):
    """One case as the viewer may see it, with the steps they may take now."""
    require_see_cases(request.user)
    case = case_for_view(request, number)
    user = request.user
    keeps = access.may_keep_cases(user)
    wants_unit = case.state in (CaseState.REGISTERED, CaseState.RETURNED)
    suggestion = _suggestion(case) if keeps and wants_unit else None
    nearby = []
    if keeps and case.is_open:
        nearby = queries.nearby(
            user, case.campaign, case.category, case.lon, case.lat, exclude=case.pk
        )
    photos = photos_of_cases([case.pk]).get(case.pk, {})
    context = {
        "case": case,
        "campaign": case.campaign,
        "photos": [
            (role.value, role.label, photos[role.value]) for role in PhotoRole if role in photos
        ],
        "may_read_originals": access.may_read_photo_originals(user),
        "events": list(queries.flow_of(case)),
        "clock": clock_of(case, timezone.now()),
        "light_reason": reason_text(CASE, case.light_reason, {}) if case.light_reason else "",
        "suggestion": suggestion,
        "nearby": nearby,
        "may_merge": keeps and case.state in KEEPING,
        "keeps": keeps,
        "own_unit": access.reports_for(user, case.unit_id),
        "steps": _forms_of(user, case, forms_given or {}, suggestion),
        "merge_form": (forms_given or {}).get("merge"),
        "map_data": _map_data(case),
        **as_of(case.campaign),
    }
    return render(request, "citywork/case_detail.html", context, status=status)


@login_required
@require_POST
def case_step(request, number, step):
    """Take one step of the flow, posted from the case's page."""
    require_see_cases(request.user)
    spec = STEPS[step]
    case = case_for_view(request, number)
    # Refused before the form is read: a role that may not act is told so, not "invalid".
    spec.require(request.user, case)
    form = spec.form(request.POST, request.FILES, case=case)
    status = 400
    too_large = getattr(request, "upload_too_large", None)
    if too_large:
        form.is_valid()
        form.add_error("photos" if "photos" in form.fields else None, too_large_message(too_large))
        status = 413
    elif form.is_valid():
        try:
            done = spec.act(case, form.cleaned_data, request.user)
        except ValidationError as error:
            add_action_errors(form, error)
            if is_stale(error):
                status = 409
                messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, str(spec.done).format(number=done.number))
            return redirect(case_url(done))
    return case_detail(request, number, forms_given={step: form}, status=status)
