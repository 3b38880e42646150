"""The shipped boundaries as map layers: the district, and its towns and streets."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vanguard.maps import district
from vanguard.maps.layers import SHAPES, Layer, register


def _district_features():
    feature = district.district()
    properties = feature["properties"]
    return [
        {
            "type": "Feature",
            "geometry": feature["geometry"],
            "properties": {"label": properties["name"], "code": properties["code"], "url": ""},
        }
    ]


def _street_features():
    from vanguard.org.models import Unit

    names = [f["properties"]["name"] for f in district.streets()]
    units = dict(Unit.objects.filter(name__in=names).values_list("name", "code"))
    features = []
    for feature in district.streets():
        properties = feature["properties"]
        code = units.get(properties["name"])
        features.append(
            {
                "type": "Feature",
                "geometry": feature["geometry"],
                "properties": {
                    "label": properties["name"],
                    "kind": properties["kind"],
                    "unit": properties["name"] if code else "",
                    "url": reverse("org:unit_detail", args=[code]) if code else "",
                },
            }
        )
    return features


def register_layers():
    register(
        Layer(
            name="district",
            label=_("District boundary"),
            kind=SHAPES,
            shapes=_district_features,
            colour="#1d3557",
            order=0,
            description=_("The boundary of the district (shipped with the platform)."),
        )
    )
    register(
        Layer(
            name="streets",
            label=_("Towns and streets"),
            kind=SHAPES,
            shapes=_street_features,
            colour="#457b9d",
            order=1,
            description=_("The towns and streets of the district, each linked to its office."),
        )
    )
