"""Open city cases on the one map: points coloured by their clock, filtered, linked.

Every open case (reported, awaiting dispatch, at its unit, awaiting its check) is a
point. Its colour is its time limit read from its own columns, as the case light rules
judge it (``lights.cases``), so no light is looked up per row and a district-wide view
of 100,000 open cases is one GROUP BY of the engine: red past its time limit without a
reply in time, yellow after its warning time, green within it, grey before dispatch
(no clock yet). Filtered by category (a main category takes its subcategories) and by
responsible unit; each point links to its case's page. Rows pass through
``org.access.restrict`` and ``narrow_cases``.
"""

from django.db.models import Case as When_
from django.db.models import CharField, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanguard.citywork.models import Case, CaseCategory
from vanguard.citywork.models.cases import OPEN_STATES, CaseState, number_of
from vanguard.citywork.queries.case_figures import case_url
from vanguard.maps.layers import POINTS, Layer, register
from vanguard.org.access import may_see_cases, narrow_cases
from vanguard.supervision.choices import Light


def clock_light(now):
    """An open case's light at ``now`` from its time limit (the module docstring)."""
    handled = Q(state=CaseState.HANDLED)
    return When_(
        When(handled & Q(handled_at__gt=F("due_at")), then=Value(Light.RED.value)),
        When(handled, then=Value(Light.GREEN.value)),
        When(due_at__lt=now, then=Value(Light.RED.value)),
        When(warn_at__lte=now, then=Value(Light.YELLOW.value)),
        When(due_at__isnull=False, then=Value(Light.GREEN.value)),
        default=Value(Light.GREY.value),
        output_field=CharField(),
    )


def _rows(campaign):
    return Case.objects.filter(campaign=campaign, state__in=OPEN_STATES).annotate(
        light=clock_light(timezone.now())
    )


def _properties(row):
    number = number_of(row["id"])
    return {
        "label": "{} {}".format(number, row["category__name"]),
        "url": case_url(number),
        "light": row["light"],
        "light_label": str(Light(row["light"]).label),
        "category": row["category__name"],
        "state": str(CaseState(row["state"]).label),
        "unit": row["unit__name"] or "",
    }


def _categories(campaign):
    """Each main category, then its subcategories: (code, label)."""
    found = []
    children = {}
    for code, name, parent, parent_name in CaseCategory.objects.filter(active=True).values_list(
        "code", "name", "parent__code", "parent__name"
    ):
        if parent is None:
            found.append((code, name))
        else:
            children.setdefault(parent, []).append((code, "{} / {}".format(parent_name, name)))
    return [item for main in found for item in [main, *children.get(main[0], [])]]


def _by_category(queryset, code):
    """The cases of a subcategory, or of every subcategory of a main category."""
    ids = list(
        CaseCategory.objects.filter(Q(code=code) | Q(parent__code=code)).values_list(
            "pk", flat=True
        )
    )
    return queryset.filter(category_id__in=ids)


def register_case_layer():
    register(
        Layer(
            name="cases",
            label=_("Open cases"),
            kind=POINTS,
            rows=_rows,
            fields=("id", "category__name", "state", "unit__name", "light"),
            properties=_properties,
            lon="lon",
            lat="lat",
            light="light",
            category="category__code",
            categories=_categories,
            category_filter=_by_category,
            unit="unit",
            see=may_see_cases,
            narrow=narrow_cases,
            colour="#dc3545",
            cluster=True,
            order=60,
            description=_(
                "Open city cases, coloured by their time limit: red overdue, yellow nearly"
                " due, green in time, grey not dispatched yet."
            ),
        )
    )
