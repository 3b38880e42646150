"""The registry of map layers (一张网一张图): every app that has places plugs in here.

An app calls ``register(Layer(...))`` in its ``AppConfig.ready()``; the map page, the
GeoJSON API and the downloads read every registered layer and never import the app.
A layer says where its rows come from and how a row reads as a feature; the engine
(``maps.features``) does the rest the same way for every layer: the access module's
``restrict`` on the rows, the filters (category, unit), the visible box, clustering
in SQL when a box holds too many points, and the GeoJSON.

Two kinds:

- ``POINTS``: rows with a longitude and a latitude (WGS84), e.g. major projects, cases;
- ``SHAPES``: rows with a GeoJSON geometry and its bounding box in four columns
  (``min_lon``, ``min_lat``, ``max_lon``, ``max_lat``), e.g. grids, zones, roads.

A layer with no rows of a model (the shipped boundaries) gives ``shapes()`` instead:
a list of features, filtered by the box and seen by every participant.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

POINTS = "points"
SHAPES = "shapes"

# The light colours every layer uses: those of the status lights on every page (app.css).
LIGHT_COLOURS = {
    "red": "#d1242f",
    "yellow": "#f2c200",
    "green": "#2da44e",
    "grey": "#c8ccd0",
}


@dataclass(frozen=True)
class Layer:
    """One layer of the map.

    - ``name``: its code in URLs (``/api/v1/map/layers/NAME``); ``label``: its name shown.
    - ``rows(campaign)``: the queryset of its features, before access and filters; the
      engine passes it through ``org.access.restrict``, so the model must be registered
      with ``register_unit_field``.
    - ``fields``: the ``values()`` a feature reads; ``properties(row)`` turns one into
      the feature's properties: ``label`` and ``url`` (its page) at least, and
      ``light``, ``category``, ``unit`` where it has them.
    - ``lon``, ``lat`` (points) or ``geometry`` and ``box`` (shapes): where the place is.
    - ``light``: the field (or annotation) of ``rows`` holding a light, if it has one;
      clusters count their points by it, up to ``cluster_lights_up_to`` points in the box
      (None: always) when the light costs a lookup per row (an annotation).
    - ``category``: the field filtered by ``?category=``, with ``categories(campaign)``
      giving its choices as (code, label); ``category_filter(queryset, code)`` instead
      where a choice is not one field's value (a main category takes its subcategories);
      ``unit``: the path to the unit filtered by ``?unit=CODE``.
    - ``shapes()``: instead of ``rows``, a fixed list of features (the boundaries).
    - ``see(user)``: who may open the layer beyond taking part (default: everyone who
      takes part); rows are still restricted.
    - ``narrow(queryset, user)``: a further narrowing by the layer's own access rule,
      after ``restrict`` (e.g. a battle whose rows only its own task force sees whole).
    - ``colour``: drawn in this colour where a feature has no light; ``cluster``: the
      page clusters its points; ``shown``: on when the page opens; ``order``: its place
      in the list (boundaries first, points last, so points are drawn on top).
    """

    name: str
    label: Any
    kind: str
    rows: Callable | None = None
    fields: tuple = ()
    properties: Callable[[dict], dict] | None = None
    lon: str = "longitude"
    lat: str = "latitude"
    geometry: str = "geometry"
    box: tuple = ("min_lon", "min_lat", "max_lon", "max_lat")
    light: str | None = None
    cluster_lights_up_to: int | None = None
    category: str | None = None
    categories: Callable | None = None
    category_filter: Callable | None = None
    unit: str | None = None
    shapes: Callable[[], list] | None = None
    see: Callable | None = None
    narrow: Callable | None = None
    colour: str = "#0d6efd"
    cluster: bool = False
    shown: bool = True
    order: int = 100
    description: Any = ""
    extra: dict = field(default_factory=dict)


class UnknownLayer(KeyError):
    """No layer of that name is registered."""


_LAYERS: dict[str, Layer] = {}


def register(layer):
    """Add a layer to the map; a name is registered once."""
    if layer.kind not in (POINTS, SHAPES):
        raise ValueError("a layer is POINTS or SHAPES: {!r}".format(layer.kind))
    if (layer.rows is None) == (layer.shapes is None):
        raise ValueError("layer {} needs rows() or shapes(), not both".format(layer.name))
    if layer.rows is not None and layer.properties is None:
        raise ValueError("layer {} reads rows and needs properties()".format(layer.name))
    if layer.name in _LAYERS:
        raise ValueError("layer {} is registered twice".format(layer.name))
    _LAYERS[layer.name] = layer
    return layer


def unregister(name):
    """Remove a layer (tests register layers of their own)."""
    _LAYERS.pop(name, None)


def get(name):
    try:
        return _LAYERS[name]
    except KeyError:
        raise UnknownLayer(name) from None


def all_layers():
    """Every registered layer, in drawing order."""
    return sorted(_LAYERS.values(), key=lambda layer: (layer.order, layer.name))
