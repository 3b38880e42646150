"""The public page of volunteer activities: residents see what is coming and sign up.

No account is needed. The page shows an activity's title, kind, time, place, organiser,
description and the places left, never who signed up. A signup is a name and a mobile
number; it is refused in words when the activity is full, closed, or the phone has
signed up already. Abuse control: a rate limit per address (``core.ratelimit``), a
hidden field robots fill in (their signup is dropped without telling them), and the
activity locked while its places are counted.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from vanguard.accounts.throttle import client_address
from vanguard.citywork.actions.volunteers import do_sign_up
from vanguard.citywork.choices import ActivityState
from vanguard.citywork.forms.volunteers import SignupForm
from vanguard.citywork.queries import volunteers as queries
from vanguard.core.forms import add_action_errors
from vanguard.core.preconditions import is_stale
from vanguard.core.ratelimit import Limit, allow_all


def _limits():
    return (
        Limit(settings.VOLUNTEER_SIGNUPS_PER_HOUR, 3600),
        Limit(settings.VOLUNTEER_SIGNUPS_PER_DAY, 86400),
    )


@never_cache
def upcoming(request):
    """Planned activities still to come, the soonest first, with the places left."""
    return render(
        request,
        "citywork/volunteer_public.html",
        {"activities": list(queries.upcoming())},
    )


def _page(request, activity, form, status=200):
    open_now = activity.state == ActivityState.PLANNED and activity.starts_at > timezone.now()
    left = max(activity.capacity - activity.signed_up, 0)
    return render(
        request,
        "citywork/volunteer_signup.html",
        {
            "activity": activity,
            "form": form,
            "show_form": open_now and left > 0,
            "open_now": open_now,
            "left": left,
        },
        status=status,
    )


@never_cache
def signup(request, pk):
    """One activity and its signup form; a signup posted here."""
    activity = get_object_or_404(queries.public_activities(), pk=pk)
    if request.method != "POST":
        return _page(request, activity, SignupForm())
    address = client_address(request)
    hour, day = _limits()
    verdict = allow_all(
        [("volunteer-signup-hour", address, hour), ("volunteer-signup-day", address, day)]
    )
    form = SignupForm(request.POST)
    if not verdict.allowed:
        form.is_valid()
        form.add_error(
            None,
            _("Too many signups from your network; try again in {minutes} minutes.").format(
                minutes=max(1, verdict.retry_after // 60)
            ),
        )
        response = _page(request, activity, form, status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    if not form.is_valid():
        return _page(request, activity, form, status=400)
    done = _("You have signed up for “{title}”. The organiser may call you about it.").format(
        title=activity.title
    )
    if form.cleaned_data["website"]:
        # A robot filled in the field people never see: tell it nothing, keep nothing.
        messages.success(request, done)
        return redirect("citywork:volunteer_signup", pk=activity.pk)
    try:
        do_sign_up(activity, name=form.cleaned_data["name"], phone=form.cleaned_data["phone"])
    except ValidationError as error:
        add_action_errors(form, error)
        activity = queries.public_activities().get(pk=activity.pk)
        return _page(request, activity, form, status=409 if is_stale(error) else 400)
    messages.success(request, done)
    return redirect("citywork:volunteer_signup", pk=activity.pk)
