"""Writes of the case categories (大类/小类) and their routes (category × grid → unit).

The office and the city-work task force keep them as data: a category's time limit
applies to cases dispatched from then on (a case keeps the due time it got); a route
sends a category's cases in a grid (or in every grid) to a unit rather than to the
grid's own town or street office. Every write is in the change log.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.calendar.worktime import TimeUnit
from vanguard.citywork.actions.common import field_errors
from vanguard.citywork.models import Case, CaseCategory, CaseRoute
from vanguard.citywork.models.cases import CaseKind
from vanguard.org import access

CATEGORY_FIELDS = (
    "name",
    "parent",
    "kind",
    "time_limit",
    "time_unit",
    "unit",
    "duplicate_radius_m",
    "close_condition",
    "public",
    "active",
    "sort_order",
)
# A longer limit is a typing error, not a time limit (999 working days is four years).
MOST_TIME_LIMIT = Decimal("999")
MOST_RADIUS_M = 5000


def _limit(value, errors):
    try:
        limit = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, TypeError, ValueError):
        errors["time_limit"] = _("Give the time limit as a number.")
        return None
    if not Decimal(0) < limit <= MOST_TIME_LIMIT:
        errors["time_limit"] = _("The time limit lies between 0.1 and {most}.").format(
            most=MOST_TIME_LIMIT
        )
    return limit


def check_category(fields, current=None):
    """Refuse what a category cannot be, naming the field; the cleaned fields."""
    errors = {}
    fields["name"] = " ".join((fields.get("name") or "").split())[:100]
    if not fields["name"]:
        errors["name"] = _("Give the category's name.")
    parent = fields.get("parent")
    if parent is not None:
        if parent.parent_id is not None:
            errors["parent"] = _("“{name}” is a subcategory: choose a main category.").format(
                name=parent.name
            )
        elif current is not None and parent.pk == current.pk:
            errors["parent"] = _("A category cannot be its own main category.")
        elif current is not None and current.children.exists():
            errors["parent"] = _("{name} has subcategories: it stays a main category.").format(
                name=current.name
            )
    elif (
        current is not None and current.parent_id and Case.objects.filter(category=current).exists()
    ):
        errors["parent"] = _("{name} has cases: it stays a subcategory.").format(name=current.name)
    if fields.get("kind") not in CaseKind.values:
        errors["kind"] = _("Choose event (事件) or component (部件).")
    fields["time_limit"] = _limit(fields.get("time_limit"), errors)
    if fields.get("time_unit") not in TimeUnit._value2member_map_:
        errors["time_unit"] = _("Choose working hours, working days or emergency hours.")
    radius = fields.get("duplicate_radius_m")
    if radius is None or not 0 <= int(radius) <= MOST_RADIUS_M:
        errors["duplicate_radius_m"] = _(
            "The duplicate radius lies between 0 and {most} m."
        ).format(most=MOST_RADIUS_M)
    fields["close_condition"] = " ".join((fields.get("close_condition") or "").split())[:300]
    fields["public"] = bool(fields.get("public"))
    fields["active"] = bool(fields.get("active", True))
    fields["sort_order"] = max(0, int(fields.get("sort_order") or 0))
    field_errors(errors)
    return fields


def do_create_case_category(*, code, actor, **fields):
    """Add a main category or a subcategory with its time limit."""
    access.require_keep_cases(actor)
    code = slugify(code or "")[:64]
    if not code:
        raise ValidationError({"code": _("Give a code of letters, digits and hyphens.")})
    fields = check_category({name: fields.get(name) for name in CATEGORY_FIELDS})
    with transaction.atomic():
        if CaseCategory.objects.filter(code=code).exists():
            raise ValidationError(
                {"code": _("A category with the code {code} exists already.").format(code=code)}
            )
        category = CaseCategory.objects.create(code=code, **fields)
        record_changes(
            [Change(category, ChangeAction.CREATE, after=snapshot(category))], actor=actor
        )
    return category


def do_update_case_category(category, *, actor, **fields):
    """Change a category; its new time limit counts for cases dispatched from now on."""
    access.require_keep_cases(actor)
    with transaction.atomic():
        current = CaseCategory.objects.select_for_update().get(pk=category.pk)
        merged = {name: fields.get(name, getattr(current, name)) for name in CATEGORY_FIELDS}
        cleaned = check_category(merged, current)
        before = snapshot(current)
        for name, value in cleaned.items():
            setattr(current, name, value)
        after = snapshot(current)
        if after == before:
            return current
        current.save(update_fields=list(CATEGORY_FIELDS))
        record_changes([Change(current, ChangeAction.UPDATE, before, after)], actor=actor)
    return current


def do_add_case_route(*, category, grid, unit, actor):
    """Send ``category``'s cases in ``grid`` (None: every grid) to ``unit``."""
    access.require_keep_cases(actor)
    errors = {}
    if not isinstance(category, CaseCategory):
        errors["category"] = _("Choose a category.")
    if unit is None:
        errors["unit"] = _("Choose the unit the cases go to.")
    field_errors(errors)
    with transaction.atomic():
        # A route "for every grid" has no grid, and NULLs never clash in a unique index.
        if CaseRoute.objects.filter(category=category, grid=grid).exists():
            where = grid.name if grid is not None else _("every grid")
            raise ValidationError(
                {
                    "grid": _(
                        "{category} has a route for {where} already: remove it first."
                    ).format(category=category.name, where=where)
                }
            )
        route = CaseRoute.objects.create(category=category, grid=grid, unit=unit)
        record_changes([Change(route, ChangeAction.CREATE, after=snapshot(route))], actor=actor)
    return route


def do_remove_case_route(route, *, actor):
    """Remove a route: the category's cases there go by the next rule again."""
    access.require_keep_cases(actor)
    with transaction.atomic():
        before = snapshot(route)
        record_changes([Change(route, ChangeAction.DELETE, before=before)], actor=actor)
        CaseRoute.objects.filter(pk=route.pk).delete()
