"""Units and people pages, and the people directory export; all through org.access."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from vanguard.audit.log import history_of
from vanguard.exchange.xlsx import xlsx_response
from vanguard.org.access import restrict
from vanguard.org.models import Person, Unit
from vanguard.org.queries import people_rows


def get_unit_for_view(request, code):
    """The unit named by ``code`` if the user may see it, else 404 (no hint that it exists)."""
    return get_object_or_404(restrict(Unit.objects.all(), request.user), code=code)


@login_required
def unit_list(request):
    """The units the user may see, with their people counts."""
    units = restrict(Unit.objects.select_related("parent"), request.user).order_by("kind", "code")
    page = Paginator(units, 50).get_page(request.GET.get("page"))
    return render(request, "org/unit_list.html", {"page": page})


# What higher apps add to a unit's page (its list of what it owes, from supervision):
# ``build(request, unit)`` returns ``(template name, context)`` or None, in the order
# registered. Registered in their ``AppConfig.ready()``, so org imports none of them.
UNIT_PARTS = []


def register_unit_part(build):
    """Add a part to every unit's page, below its name."""
    UNIT_PARTS.append(build)


@login_required
def unit_detail(request, code):
    """One unit: what higher apps add (what it owes), its people and its change history."""
    unit = get_unit_for_view(request, code)
    people = restrict(unit.people.select_related("user"), request.user)
    history = history_of(unit, limit=50)
    parts = [part for build in UNIT_PARTS if (part := build(request, unit)) is not None]
    return render(
        request,
        "org/unit_detail.html",
        {"unit": unit, "people": people, "history": history, "parts": parts},
    )


@login_required
def person_list(request):
    """The people directory (通讯录) the user may see."""
    people = restrict(Person.objects.select_related("unit", "user"), request.user).order_by(
        "unit__code", "name"
    )
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(request, "org/person_list.html", {"page": page})


@login_required
def person_export(request):
    """The same directory as an Excel workbook."""
    headers, rows = people_rows(request.user)
    return xlsx_response(_("Phone directory") + ".xlsx", [(_("Phone directory"), headers, rows)])
