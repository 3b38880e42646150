"""The map page (一张网一张图): one Leaflet map of every layer the user may open."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from vanguard.core.middleware import CONTENT_SECURITY_POLICY
from vanguard.maps import district, features
from vanguard.maps.api import layer_out
from vanguard.maps.layers import LIGHT_COLOURS
from vanguard.org import access
from vanguard.org.models import Unit
from vanguard.org.queries import current_campaign


def tiles():
    """The configured base map, or None: then the map draws vectors only."""
    if not settings.MAP_TILE_URL:
        return None
    return {
        "url": settings.MAP_TILE_URL.replace("{key}", settings.MAP_TILE_KEY),
        "labels": settings.MAP_LABEL_URL.replace("{key}", settings.MAP_TILE_KEY),
        "subdomains": settings.MAP_TILE_SUBDOMAINS,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "max_zoom": settings.MAP_TILE_MAX_ZOOM,
        "approval": settings.MAP_APPROVAL_NUMBER,
    }


def _origin(url):
    """The CSP source of a tile URL: ``https://t{s}.host`` allows ``https://*.host``."""
    parts = urlsplit(url)
    host = re.sub(r"^[^.]*\{s\}[^.]*\.", "*.", parts.netloc)
    return "{}://{}".format(parts.scheme, host)


def policy_with_tiles(found):
    """The site's Content-Security-Policy, letting images come from the tile servers too."""
    origins = sorted({_origin(u) for u in (found["url"], found["labels"]) if u})
    return CONTENT_SECURITY_POLICY.replace(
        "img-src 'self' data: blob:", "img-src 'self' data: blob: " + " ".join(origins)
    )


@login_required
def map_page(request):
    """The map: boundaries, grids, projects and every registered layer, with filters."""
    access.require(access.may_see_map(request.user), _("You may not see the map."))
    campaign = current_campaign(request.GET.get("campaign"))
    layers = [layer_out(layer, campaign) for layer in features.visible_layers(request.user)]
    units = list(
        access.restrict(Unit.objects.all(), request.user)
        .order_by("kind", "code")
        .values("code", "name")
    )
    found = tiles()
    west, south, east, north = district.district_bbox()
    config = {
        "layers": layers,
        "units": units,
        "bounds": [[south, west], [north, east]],
        "tiles": found,
        "lights": LIGHT_COLOURS,
        "locate_url": reverse("api:map_locate"),
        "texts": {
            "open": _("Open"),
            "points": _("{count} in view"),
            "clustered": _("{count} in view, summed up by area: zoom in for each one"),
            "too_many": _("{count} in view: zoom in to draw them"),
            "cluster": _("{count} here: click to zoom in"),
            "failed": _("This layer could not be loaded."),
            "all": _("All"),
        },
    }
    response = render(
        request,
        "maps/map.html",
        {"config": config, "layers": layers, "tiles": found, "units": units},
    )
    if found:
        response["Content-Security-Policy"] = policy_with_tiles(found)
    return response
