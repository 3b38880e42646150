"""A grid's page: its polygon on a small map, its town or street office and its size."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from vanguard.citywork.models import Grid
from vanguard.core import geo
from vanguard.maps import district
from vanguard.org import access


@login_required
def grid_detail(request, code):
    """One grid, as those who may see its office's data see it."""
    access.require_participant(request.user)
    grid = get_object_or_404(
        access.restrict(Grid.objects.select_related("unit"), request.user), code=code
    )
    shape = {
        "grid": {"type": "Feature", "geometry": grid.geometry, "properties": {}},
        "district": district.district()["geometry"],
    }
    return render(
        request,
        "citywork/grid_detail.html",
        {"grid": grid, "area_km2": geo.area_m2(grid.geometry) / 1e6, "shape": shape},
    )
