"""Grids (网格): the district divided into polygons, each under a town or street office."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from vanguard.core import geo


class GridQuerySet(models.QuerySet):
    def around(self, lon, lat):
        """Grids whose bounding box holds the point: the candidates for ``at``."""
        return self.filter(min_lon__lte=lon, max_lon__gte=lon, min_lat__lte=lat, max_lat__gte=lat)

    def at(self, lon, lat):
        """The grid that holds the point (WGS84), or None outside every grid."""
        for grid in self.around(lon, lat).order_by("code"):
            if geo.contains(grid.geometry, lon, lat):
                return grid
        return None


class Grid(models.Model):
    """A grid: a polygon in WGS84 (GeoJSON), looked after by one town or street office.

    The bounding box is kept beside the polygon so "which grid holds this point" is an
    indexed range query followed by an exact test on a handful of polygons.
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="grids",
        verbose_name=_("town or street office"),
    )
    geometry = models.JSONField(_("boundary (GeoJSON, WGS84)"))
    min_lon = models.FloatField(editable=False)
    min_lat = models.FloatField(editable=False)
    max_lon = models.FloatField(editable=False)
    max_lat = models.FloatField(editable=False)

    objects = GridQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["code"]
        indexes = [models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.min_lon, self.min_lat, self.max_lon, self.max_lat = geo.bbox(self.geometry)
        super().save(*args, **kwargs)
