"""Grids (网格) on the map: each grid's polygon, filtered by its town or street office."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vanguard.citywork.models import Grid
from vanguard.maps.layers import SHAPES, Layer, register


def _properties(row):
    return {
        "label": "{} {}".format(row["code"], row["name"]),
        "url": reverse("citywork:grid", args=[row["code"]]),
        "unit": row["unit__name"],
    }


def register_layers():
    register(
        Layer(
            name="grids",
            label=_("Grids"),
            kind=SHAPES,
            rows=lambda campaign: Grid.objects.all(),
            fields=("code", "name", "unit__name"),
            properties=_properties,
            unit="unit",
            colour="#2a9d8f",
            order=10,
            description=_("The grids of the district, each under its town or street office."),
        )
    )
