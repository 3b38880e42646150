"""API of the map (一张网一张图): its layers as GeoJSON, and the location check.

Every layer the caller may open is listed under ``/map/layers``; its features for a box
come from ``/map/layers/{name}?bbox=W,S,E,N`` (filters ``category`` and ``unit``), and
the whole layer as a GeoJSON file from ``/map/layers/{name}/export``. Rows go through
``org.access``: a reporter's layers hold their own units' places only. ``/map/locate``
converts a point from GCJ-02 or BD-09 to WGS84 and says where in the district it lies.
"""

import json

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from vanguard.core.coords import CoordinateSystem
from vanguard.maps import district, features
from vanguard.maps.layers import UnknownLayer
from vanguard.org import access
from vanguard.org.queries import current_campaign

router = Router(tags=["map"])

GEOJSON = "application/geo+json"


class ChoiceOut(Schema):
    code: str
    label: str


class LayerOut(Schema):
    name: str
    label: str
    kind: str = Field(description="points or shapes.")
    description: str
    colour: str = Field(description="The colour of features that have no light.")
    cluster: bool = Field(description="Whether the page clusters its points.")
    shown: bool = Field(description="Whether the page shows it when it opens.")
    filters: list[str] = Field(description="The filters it takes: category, unit.")
    categories: list[ChoiceOut]
    features_url: str
    export_url: str


class FeatureOut(Schema):
    type: str = "Feature"
    geometry: dict = Field(description="A GeoJSON geometry in WGS84 (RFC 7946).")
    properties: dict = Field(
        description="label, url (the feature's page), light, category, unit and layer;"
        " a cluster has cluster=true, count and lights (count per light) instead."
    )


class FeatureCollectionOut(Schema):
    type: str = "FeatureCollection"
    layer: str
    features: list[FeatureOut]
    count: int = Field(description="How many features of the layer lie in the box.")
    clustered: bool = Field(
        description="True when the box held more points than are sent one by one: each"
        " feature is then a cluster summing up a cell of the box."
    )
    too_many: bool = Field(
        description="True when the box held more shapes than are sent: zoom in (features"
        " is then empty)."
    )


class PlacementOut(Schema):
    longitude: float = Field(description="WGS84.")
    latitude: float = Field(description="WGS84.")
    system: str = Field(description="The system the point was given in: wgs84, gcj02, bd09.")
    inside: bool = Field(description="Inside the district's outline.")
    flagged: bool = Field(description="Just outside the outline: accepted, to be looked at.")
    outside_m: float = Field(description="Metres outside the outline (0 inside).")
    street: str | None = Field(description="The town or street (镇街) holding the point.")


def layer_out(layer, campaign):
    filters = [name for name, used in (("category", layer.category), ("unit", layer.unit)) if used]
    categories = layer.categories(campaign) if layer.categories else []
    return {
        "name": layer.name,
        "label": str(layer.label),
        "kind": layer.kind,
        "description": str(layer.description),
        "colour": layer.colour,
        "cluster": layer.cluster,
        "shown": layer.shown,
        "filters": filters,
        "categories": [{"code": str(code), "label": str(label)} for code, label in categories],
        "features_url": reverse("api:map_layer", args=[layer.name]),
        "export_url": reverse("api:map_layer_export", args=[layer.name]),
    }


def _layer(user, name):
    access.require(access.may_see_map(user))
    try:
        return features.layer_for(user, name)
    except UnknownLayer:
        raise Http404 from None


def _query(request, campaign, bbox, category, unit):
    return features.Query(
        user=request.user,
        campaign=current_campaign(campaign),
        bbox=features.parse_bbox(bbox),
        category=category or None,
        unit=unit or None,
    )


@router.get("/map/layers", response=list[LayerOut], url_name="map_layers")
def list_layers(request, campaign: str | None = None):
    """The layers of the map the caller may open, in drawing order."""
    access.require(access.may_see_map(request.user))
    found = current_campaign(campaign)
    return [layer_out(layer, found) for layer in features.visible_layers(request.user)]


@router.get("/map/layers/{name}", response=FeatureCollectionOut, url_name="map_layer")
def layer_features(
    request,
    name: str,
    bbox: str | None = None,
    category: str | None = None,
    unit: str | None = None,
    campaign: str | None = None,
):
    """A layer's features in a box (``bbox=west,south,east,north``, WGS84), filtered by
    category and unit (its code). Points beyond 2,000 in the box come back as clusters;
    shapes beyond 1,500 as a count with ``too_many``."""
    layer = _layer(request.user, name)
    found = features.collect(layer, _query(request, campaign, bbox, category, unit))
    return HttpResponse(
        json.dumps(found, ensure_ascii=False, separators=(",", ":")), content_type=GEOJSON
    )


@router.get(
    "/map/layers/{name}/export",
    response={200: FeatureCollectionOut},
    url_name="map_layer_export",
)
def export_layer(
    request,
    name: str,
    bbox: str | None = None,
    category: str | None = None,
    unit: str | None = None,
    campaign: str | None = None,
):
    """The whole layer as a GeoJSON file: every feature the caller may see, unclustered."""
    layer = _layer(request.user, name)
    return geojson_download(layer, _query(request, campaign, bbox, category, unit))


def geojson_download(layer, query):
    response = StreamingHttpResponse(features.stream(layer, query), content_type=GEOJSON)
    response["Content-Disposition"] = 'attachment; filename="{}.geojson"'.format(layer.name)
    return response


@router.get("/map/locate", response=PlacementOut, url_name="map_locate")
def locate(
    request,
    longitude: str,
    latitude: str,
    system: CoordinateSystem = CoordinateSystem.WGS84,
):
    """Convert a point given in WGS84, GCJ-02 (WeChat, Gaode) or BD-09 (Baidu) to WGS84
    and say where it lies: inside the district, just outside it (flagged), or refused
    (422, saying why)."""
    access.require(access.may_see_map(request.user), _("You may not see the map."))
    placement = district.locate(longitude, latitude, system, field="location")
    return {
        "longitude": placement.lon,
        "latitude": placement.lat,
        "system": placement.system,
        "inside": placement.inside,
        "flagged": placement.flagged,
        "outside_m": round(placement.outside_m, 1),
        "street": placement.street,
    }
