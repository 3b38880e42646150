"""What the weekly work's pages share: the campaign asked for, an object's page, as-of lines,
form errors."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from vanguard.citywork.weeks import week_of
from vanguard.org.access import restrict
from vanguard.org.models import Unit
from vanguard.org.queries import current_campaign
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import last_recompute

PAGE_SIZE = 50


def campaign_of(request):
    return current_campaign(request.POST.get("campaign") or request.GET.get("campaign"))


def page_url(view_name, obj):
    """The page of ``obj`` (a campaign, a place, a project) in the campaign it belongs to."""
    return "{}?campaign={}".format(reverse(view_name, args=[obj.code]), obj.campaign.code)


def seen_or_404(request, seen_by, code, *related):
    """The current campaign's object ``code`` among ``seen_by(user, campaign)``, with
    ``related`` joined, if the user may see it, else 404."""
    return get_object_or_404(
        seen_by(request.user, campaign_of(request)).select_related(*related), code=code
    )


def as_of(campaign):
    recomputed = last_recompute(campaign)
    return {
        "data_at": timezone.now(),
        "with_lights": True,
        "lights_at": recomputed.at if recomputed else None,
    }


def light_options():
    return [(Light.RED, _("Red")), (Light.YELLOW, _("Yellow")), (Light.GREEN, _("Green"))]


def unit_options(user, unit_ids, chosen):
    """The unit filter's options as HTML, one query however many units."""
    units = restrict(Unit.objects.filter(pk__in=unit_ids), user).order_by("code")
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (code, " selected" if code == chosen else "", name)
            for code, name in units.values_list("code", "name")
        ),
    )


def add_errors(form, error):
    """Put an action's ValidationError on the form's fields (or on the form)."""
    if hasattr(error, "error_dict"):
        for field, found in error.message_dict.items():
            for message in found:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def report_weeks(first_day, last_day):
    """The weeks a unit may report, the latest first, from ``last_day`` back to ``first_day``."""
    week = week_of(last_day)
    weeks = []
    while week.end >= first_day:
        weeks.append((week.label, week.display_label))
        week = week.previous()
    return weeks


def pager_qs(request):
    pager = request.GET.copy()
    pager.pop("page", None)
    return pager.urlencode()
