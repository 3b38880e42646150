"""Loading grids (网格) from a GeoJSON file: the office's way to enter the real grids."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.citywork.models import Grid
from vanguard.core import geo
from vanguard.maps import district
from vanguard.org import access
from vanguard.org.choices import Battle, UnitKind
from vanguard.org.models import Unit


def _check(index, feature, units):
    """The grid a feature describes, or the list of what is wrong with it (in words)."""
    where = _("Feature {n}").format(n=index + 1)
    if not isinstance(feature, dict):
        return None, [
            _("{where}: {errors}").format(where=where, errors=_("not a GeoJSON feature."))
        ]
    props = feature.get("properties") or {}
    code, name, unit_name = (str(props.get(k) or "").strip() for k in ("code", "name", "unit"))
    errors = []
    if code:
        where = _("Grid {code}").format(code=code)
    else:
        errors.append(_("the code is missing."))
    if not name:
        errors.append(_("the name is missing."))
    unit = units.get(unit_name)
    if unit is None:
        errors.append(_("no town or street office is named {unit}.").format(unit=unit_name or "—"))
    geometry = feature.get("geometry") or {}
    try:
        rings = geo.rings(geometry)
        closed = all(len(r) >= 4 and r[0] == r[-1] for polygon in rings for r in polygon)
    except (ValueError, TypeError, AttributeError, KeyError):
        rings, closed = [], False
    if not rings or not closed:
        errors.append(_("the geometry must be a Polygon or MultiPolygon of closed rings."))
    else:
        try:
            district.locate(*geo.centroid(geometry), field="geometry")
        except ValidationError:
            errors.append(
                _("the grid lies outside {district}.").format(district=district.district_name())
            )
    if errors:
        return None, [_("{where}: {errors}").format(where=where, errors=" ".join(errors))]
    return Grid(code=code, name=name, unit=unit, geometry=geometry), []


@transaction.atomic
def do_load_grids(collection, *, actor):
    """Create or update grids from a GeoJSON FeatureCollection (properties code, name and
    unit: the town or street office by name). All or nothing: any bad feature refuses the
    whole file, each error naming its feature. Returns (created, updated)."""
    access.require(
        access.manages_battle(actor, Battle.CITYWORK),
        _("Only the headquarters office or the city work task force may load grids."),
    )
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise ValidationError(_("The file must be a GeoJSON FeatureCollection."))
    units = {}
    for unit in Unit.objects.filter(kind=UnitKind.STREET):
        units[unit.name] = unit
        for other in unit.other_names():
            units.setdefault(other, unit)
    grids, errors = [], []
    for index, feature in enumerate(collection.get("features") or []):
        grid, problems = _check(index, feature, units)
        errors += problems
        if grid is not None:
            grids.append(grid)
    codes = [g.code for g in grids]
    if len(set(codes)) != len(codes):
        errors.append(_("A grid code appears more than once in the file."))
    if errors:
        raise ValidationError(errors)
    existing = {g.code: g for g in Grid.objects.select_for_update().filter(code__in=codes)}
    changes, created, updated = [], 0, 0
    for grid in grids:
        old = existing.get(grid.code)
        if old is None:
            grid.save()
            changes.append(Change(grid, ChangeAction.CREATE, after=snapshot(grid)))
            created += 1
            continue
        before = snapshot(old)
        old.name, old.unit, old.geometry = grid.name, grid.unit, grid.geometry
        old.save()
        after = snapshot(old)
        if after != before:
            changes.append(Change(old, ChangeAction.UPDATE, before=before, after=after))
            updated += 1
    record_changes(changes, actor=actor)
    return created, updated
