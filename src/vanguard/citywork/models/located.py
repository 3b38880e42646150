"""What every located thing of the weekly work keeps: its geometry and where to find it fast."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from vanguard.citywork import geo
from vanguard.citywork.locations import anchor


class Located(models.Model):
    """A GeoJSON geometry in WGS84, with its bounding box and a point to put a marker at.

    The bounding box makes "what lies in the map's view" an indexed range query; the
    anchor is the point itself or the centre of the bounds.
    """

    geometry = models.JSONField(_("location (GeoJSON, WGS84)"))
    lon = models.FloatField(_("longitude"), editable=False)
    lat = models.FloatField(_("latitude"), editable=False)
    min_lon = models.FloatField(editable=False)
    min_lat = models.FloatField(editable=False)
    max_lon = models.FloatField(editable=False)
    max_lat = models.FloatField(editable=False)

    class Meta:
        abstract = True

    def place_at(self, geometry):
        """Set the geometry (already checked by ``locations.clean_geometry``) and its bounds."""
        self.geometry = geometry
        self.min_lon, self.min_lat, self.max_lon, self.max_lat = geo.bbox(geometry)
        self.lon, self.lat = anchor(geometry)

    # The fields ``place_at`` sets, for ``save(update_fields=...)``.
    LOCATION_FIELDS = ("geometry", "lon", "lat", "min_lon", "min_lat", "max_lon", "max_lat")
