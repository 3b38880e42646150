"""The open-problems page and one problem's page: dispatch, follow up, resolve.

One page for the problems of every source (dekad reports, enterprise visits); each
row names where it was raised. Reads go through ``blockers.queries`` (``org.access``),
writes through ``blockers.actions``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vanguard.audit.log import history_of
from vanguard.blockers import queries
from vanguard.blockers.actions import do_dispatch_blocker, do_follow_up_blocker, do_resolve_blocker
from vanguard.blockers.forms import DispatchForm, FollowUpForm, ResolveForm
from vanguard.blockers.sources import SOURCES, attach_sources
from vanguard.org import access
from vanguard.org.queries import current_campaign

PAGE_SIZE = 50


def _campaign(request):
    return current_campaign(request.POST.get("campaign") or request.GET.get("campaign"))


def get_blocker_for_view(request, pk):
    """The current campaign's problem ``pk`` if the user may see it, else 404."""
    return get_object_or_404(
        queries.blockers_for(request.user, _campaign(request)).select_related(
            "unit", "raised_by__person"
        ),
        pk=pk,
    )


@login_required
def problem_list(request, source=""):
    """Every open problem the user sees, oldest first, with its source and days open."""
    access.require_participant(request.user)
    campaign = _campaign(request)
    today = timezone.localdate()
    filters = {key: request.GET.get(key, "").strip() for key in queries.FILTERS}
    if source:
        filters["source"] = source
    paginator = Paginator(queries.open_problems(request.user, campaign, filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    problems = attach_sources(queries.with_days_open(page.object_list, today))
    for blocker in problems:
        blocker.may_resolve = access.may_handle_blocker(request.user, blocker)
    pager = request.GET.copy()
    pager.pop("page", None)
    context = {
        "campaign": campaign,
        "filters": filters,
        "fixed_source": source,
        "sources": [(s.key, s.label) for s in SOURCES.values()],
        "owners": queries.owner_choices(request.user, campaign),
        "page": page,
        "problems": problems,
        "pager_qs": pager.urlencode(),
        "today": today,
    }
    return render(request, "blockers/problem_list.html", context)


@login_required
def problem_detail(request, pk, *, dispatch_form=None, follow_up_form=None, resolve_form=None):
    """One problem: where it was raised, who owns it, every dispatch and follow-up."""
    access.require_participant(request.user)
    blocker = get_blocker_for_view(request, pk)
    today = timezone.localdate()
    blocker.days_open = queries.days_open(blocker, today)
    is_open = blocker.state == "open"
    failed = any(f is not None for f in (dispatch_form, follow_up_form, resolve_form))
    context = {
        "blocker": blocker,
        "steps": queries.steps_of(blocker),
        "source_details": blocker.source.details(blocker) if blocker.source else "",
        "may_dispatch": is_open and access.may_dispatch_blocker(request.user, blocker),
        "may_handle": is_open and access.may_handle_blocker(request.user, blocker),
        "dispatch_form": dispatch_form or DispatchForm(),
        "follow_up_form": follow_up_form or FollowUpForm(),
        "resolve_form": resolve_form or ResolveForm(),
        "history": history_of(blocker)[:20],
    }
    return render(request, "blockers/problem_detail.html", context, status=400 if failed else 200)


def _form_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, found in error.message_dict.items():
            for message in found:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _posted(request, pk, form_class, act, done_message, form_name, may=access.may_handle_blocker):
    access.require_participant(request.user)
    blocker = get_blocker_for_view(request, pk)
    access.require(may(request.user, blocker))
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(blocker, form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, done_message.format(title=blocker.title))
            back = request.POST.get("next", "")
            if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                back = ""
            return redirect(back or reverse("blockers:detail", args=[blocker.pk]))
    return problem_detail(request, pk, **{form_name: form})


@login_required
@require_POST
def dispatch_problem(request, pk):
    """Give a problem to another unit (the office or the problem's task force)."""
    return _posted(
        request,
        pk,
        DispatchForm,
        lambda b, data: do_dispatch_blocker(
            b, unit=data["unit"], note=data["note"], actor=request.user
        ),
        _("Problem “{title}” dispatched."),
        "dispatch_form",
        may=access.may_dispatch_blocker,
    )


@login_required
@require_POST
def follow_up_problem(request, pk):
    """Add a follow-up note to a problem."""
    return _posted(
        request,
        pk,
        FollowUpForm,
        lambda b, data: do_follow_up_blocker(b, note=data["note"], actor=request.user),
        _("Follow-up of “{title}” recorded."),
        "follow_up_form",
    )


@login_required
@require_POST
def resolve_problem(request, pk):
    """Close a problem with its resolution (owner unit, the problem's task force, office)."""
    return _posted(
        request,
        pk,
        ResolveForm,
        lambda b, data: do_resolve_blocker(b, resolution=data["resolution"], actor=request.user),
        _("Problem “{title}” resolved."),
        "resolve_form",
    )
