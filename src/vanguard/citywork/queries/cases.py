"""Reading city cases: what each user sees, the filtered list, counts, one case's page.

Every read starts from ``cases_for`` (``org.access.restrict`` then ``narrow_cases``), so
a list, its export, the API and the work queue show a reporter their units' cases only.
"""

from django.db.models import BooleanField, Count, F, Q, Value, When
from django.db.models import Case as Cases
from django.shortcuts import get_object_or_404
from django.utils import timezone

from vanguard.citywork import routing
from vanguard.citywork.lights import CASE
from vanguard.citywork.models import Case, CaseCategory, CaseEvent, Grid
from vanguard.citywork.models.cases import OPEN_STATES, CaseSource, CaseState, pk_of_number
from vanguard.org import access
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import annotate_light

FILTERS = (
    "state",
    "main",
    "category",
    "unit",
    "source",
    "grid",
    "overdue",
    "light",
    "q",
    "postpone",
)
# The list's state filter also takes "open": every state in which a case is still worked.
OPEN = "open"


def cases_for(user, campaign):
    """The campaign's cases ``user`` may see."""
    return access.narrow_cases(access.restrict(Case.objects.filter(campaign=campaign), user), user)


def late_q(now=None):
    """A case past its time limit: not replied to in time, or closed late (超期)."""
    now = now or timezone.now()
    waiting = Q(state__in=[CaseState.DISPATCHED, CaseState.RETURNED], due_at__lt=now)
    replied_late = Q(state=CaseState.HANDLED, handled_at__gt=F("due_at"))
    return waiting | replied_late | Q(state=CaseState.CLOSED, closed_on_time=False)


def late_expression(now=None):
    return Cases(
        When(late_q(now), then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def with_facts(cases, campaign):
    """Cases with what a list shows: category, unit, grid, light and the late mark."""
    cases = annotate_light(cases, CASE, campaign=campaign)
    return cases.annotate(late=late_expression()).select_related("category__parent", "unit", "grid")


def clean_filters(values):
    """The list's filters from a query string (``values``), unknown values dropped."""
    filters = {key: (values.get(key) or "").strip()[:64] for key in FILTERS}
    if filters["state"] not in (*CaseState.values, OPEN):
        filters["state"] = ""
    if filters["source"] not in CaseSource.values:
        filters["source"] = ""
    if filters["light"] not in Light.values:
        filters["light"] = ""
    for flag in ("overdue", "postpone"):
        filters[flag] = "1" if filters[flag] in ("1", "true", "on") else ""
    return filters


def _narrowed(cases, filters, *, with_state=True):
    if with_state and filters.get("state") == OPEN:
        cases = cases.filter(state__in=OPEN_STATES)
    elif with_state and filters.get("state"):
        cases = cases.filter(state=filters["state"])
    if filters.get("main"):
        cases = cases.filter(category__parent__code=filters["main"])
    if filters.get("category"):
        cases = cases.filter(category__code=filters["category"])
    if filters.get("unit"):
        cases = cases.filter(unit__code=filters["unit"])
    if filters.get("source"):
        cases = cases.filter(source=filters["source"])
    if filters.get("grid"):
        cases = cases.filter(grid__code=filters["grid"])
    if filters.get("overdue"):
        cases = cases.filter(late_q())
    if filters.get("postpone"):
        cases = cases.filter(state=CaseState.DISPATCHED, postpone_until__isnull=False)
    if filters.get("q"):
        cases = cases.filter(search(filters["q"]))
    return cases


def search(text):
    """A case number (AJ00000042, 42), a 12345 ticket or a tracking code."""
    text = text.strip()
    found = Q(hotline_ticket=text) | Q(tracking_code=text.upper())
    pk = pk_of_number(text)
    return found | Q(pk=pk) if pk is not None else found


def filtered(user, campaign, filters):
    """The cases ``user`` sees narrowed by the list's filters, the latest report first."""
    cases = _narrowed(cases_for(user, campaign), filters)
    if filters.get("light"):
        cases = annotate_light(cases, CASE, campaign=campaign).filter(light=filters["light"])
    return cases.order_by("-reported_at", "-pk")


def listed(user, campaign, filters):
    """``filtered`` with the facts each row shows."""
    return with_facts(filtered(user, campaign, filters), campaign)


def state_counts(user, campaign, filters):
    """``{state: count}`` of the cases the other filters leave, in one query."""
    cases = _narrowed(cases_for(user, campaign), filters, with_state=False)
    if filters.get("light"):
        cases = annotate_light(cases, CASE, campaign=campaign).filter(light=filters["light"])
    rows = cases.order_by().values_list("state").annotate(n=Count("pk"))
    return dict(rows)


def summary(user, campaign):
    """Open cases, those overdue and those awaiting each office step, in one query."""
    now = timezone.now()
    cases = cases_for(user, campaign).filter(state__in=OPEN_STATES).order_by()
    late = Q(state__in=[CaseState.DISPATCHED, CaseState.RETURNED], due_at__lt=now)
    return cases.aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=late),
        reported=Count("pk", filter=Q(state=CaseState.REPORTED)),
        registered=Count("pk", filter=Q(state=CaseState.REGISTERED)),
        at_units=Count("pk", filter=Q(state__in=[CaseState.DISPATCHED, CaseState.RETURNED])),
        handled=Count("pk", filter=Q(state=CaseState.HANDLED)),
    )


def case_of(user, campaign, number):
    """The case a number names if ``user`` sees it, with what its page shows, else 404."""
    pk = pk_of_number(number)
    cases = cases_for(user, campaign).select_related(
        "campaign",
        "category__parent",
        "category__unit",
        "unit",
        "grid__unit",
        "reported_by__person",
        "handled_by__person",
        "checker__person",
        "merged_into",
    )
    return get_object_or_404(annotate_light(cases, CASE, campaign=campaign), pk=pk or 0)


def nearby(user, campaign, category, lon, lat, *, exclude=None):
    """Open cases of ``category`` within its duplicate radius that ``user`` sees, nearest
    first: [(case, metres)] with their unit and category (two queries)."""
    found = routing.nearby_open(category, lon, lat, exclude=exclude)
    if not found:
        return []
    shown = cases_for(user, campaign).filter(pk__in=[case.pk for case, _m in found])
    by_pk = {case.pk: case for case in shown.select_related("unit", "category")}
    return [(by_pk[case.pk], metres) for case, metres in found if case.pk in by_pk]


def open_steps(user, case):
    """The steps of the flow ``user`` may take on ``case`` now, by name (``org.access.cases``)."""
    keeps = access.may_keep_cases(user)
    state = case.state
    steps = []
    if keeps and state == CaseState.REPORTED:
        steps += ["register", "discard"]
    if keeps and state == CaseState.REGISTERED:
        steps.append("dispatch")
    if keeps and state in (CaseState.REPORTED, CaseState.REGISTERED):
        steps.append("merge")
    if state == CaseState.DISPATCHED and access.may_handle_case(user, case):
        steps += ([] if case.signed_at else ["sign"]) + ["handle", "return"]
        if case.postpone_until is None:
            steps.append("postpone")
    if keeps and state == CaseState.RETURNED:
        steps.append("decide-return")
    if keeps and state == CaseState.DISPATCHED and case.postpone_until is not None:
        steps.append("decide-postponement")
    if state == CaseState.HANDLED and access.may_check_case(user, case):
        steps.append("check")
    return steps


def flow_of(case):
    """The case's flow record (流转记录), oldest first."""
    return CaseEvent.objects.filter(case=case).select_related("by__person", "unit")


def categories():
    """Every category, 大类 first then their 小类, in their order, in one query."""
    rows = list(CaseCategory.objects.select_related("unit").order_by("sort_order", "code"))
    mains = [c for c in rows if c.parent_id is None]
    children = {}
    for row in rows:
        if row.parent_id is not None:
            children.setdefault(row.parent_id, []).append(row)
    return [(main, children.get(main.pk, [])) for main in mains]


def grid_options(user):
    """The grids the user sees, as (code, name)."""
    return list(access.restrict(Grid.objects.order_by("code"), user).values_list("code", "name"))
