"""China's three coordinate systems, and conversion to WGS84 at the edge.

Everything is stored in WGS84 (which CGCS2000, the national datum used by 天地图, agrees
with to within centimetres). Phones and Chinese map services hand over other systems:

- **GCJ-02** (国测局坐标): WeChat's ``wx.getLocation`` when asked for it, Gaode (高德),
  Tencent maps. WGS84 shifted by the published obfuscation formula (a few hundred metres
  in Qingdao); outside China the two are the same.
- **BD-09** (百度坐标): Baidu maps; GCJ-02 shifted once more by Baidu's formula.

The forward formulas (WGS84 → GCJ-02, GCJ-02 → BD-09) are the published ones. GCJ-02 has
no closed inverse: ``gcj02_to_wgs84`` solves ``wgs84_to_gcj02(x) = point`` by fixed-point
iteration, which converges to well under a millimetre in a few steps, since the shift
changes slowly with position; Baidu's published inverse is refined the same way. A point is converted where it is entered, and the system
it came in is recorded beside it (``CoordinateSystem``).
"""

import math

from django.db import models
from django.utils.translation import gettext_lazy as _


class CoordinateSystem(models.TextChoices):
    """The system a point was entered in (stored beside it; the point itself is WGS84)."""

    WGS84 = "wgs84", _("WGS84 (GPS, Tianditu)")
    GCJ02 = "gcj02", _("GCJ-02 (WeChat, Gaode, Tencent)")
    BD09 = "bd09", _("BD-09 (Baidu)")


# Krasovsky 1940 ellipsoid, as the GCJ-02 formula uses it.
_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0
# Convergence of the inverse: 1e-10 degrees is about 0.01 mm.
_TOLERANCE_DEG = 1e-10
_MAX_STEPS = 30


def out_of_china(lon, lat):
    """True where GCJ-02 leaves coordinates alone (the formula's own bounding box)."""
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _shift_lat(x, y):
    value = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    value += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2 / 3
    value += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2 / 3
    value += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2 / 3
    return value


def _shift_lon(x, y):
    value = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    value += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2 / 3
    value += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2 / 3
    value += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2 / 3
    return value


def wgs84_to_gcj02(lon, lat):
    """WGS84 → GCJ-02 (the published forward formula)."""
    if out_of_china(lon, lat):
        return lon, lat
    d_lat = _shift_lat(lon - 105.0, lat - 35.0)
    d_lon = _shift_lon(lon - 105.0, lat - 35.0)
    rad_lat = math.radians(lat)
    magic = 1 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return lon + d_lon, lat + d_lat


def gcj02_to_wgs84(lon, lat):
    """GCJ-02 → WGS84: the WGS84 point whose GCJ-02 image is the given point (iterated)."""
    if out_of_china(lon, lat):
        return lon, lat
    guess_lon, guess_lat = lon, lat
    for _step in range(_MAX_STEPS):
        shifted_lon, shifted_lat = wgs84_to_gcj02(guess_lon, guess_lat)
        error_lon, error_lat = shifted_lon - lon, shifted_lat - lat
        guess_lon -= error_lon
        guess_lat -= error_lat
        if abs(error_lon) < _TOLERANCE_DEG and abs(error_lat) < _TOLERANCE_DEG:
            break
    return guess_lon, guess_lat


def gcj02_to_bd09(lon, lat):
    """GCJ-02 → BD-09 (Baidu's published formula)."""
    z = math.hypot(lon, lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _X_PI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def bd09_to_gcj02(lon, lat):
    """BD-09 → GCJ-02: Baidu's published inverse (good to a few centimetres), then refined
    by the same iteration as ``gcj02_to_wgs84`` to a fraction of a millimetre."""
    x, y = lon - 0.0065, lat - 0.006
    z = math.hypot(x, y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    guess_lon, guess_lat = z * math.cos(theta), z * math.sin(theta)
    for _step in range(_MAX_STEPS):
        shifted_lon, shifted_lat = gcj02_to_bd09(guess_lon, guess_lat)
        error_lon, error_lat = shifted_lon - lon, shifted_lat - lat
        guess_lon -= error_lon
        guess_lat -= error_lat
        if abs(error_lon) < _TOLERANCE_DEG and abs(error_lat) < _TOLERANCE_DEG:
            break
    return guess_lon, guess_lat


def bd09_to_wgs84(lon, lat):
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def wgs84_to_bd09(lon, lat):
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


_TO_WGS84 = {
    CoordinateSystem.WGS84: lambda lon, lat: (lon, lat),
    CoordinateSystem.GCJ02: gcj02_to_wgs84,
    CoordinateSystem.BD09: bd09_to_wgs84,
}
_FROM_WGS84 = {
    CoordinateSystem.WGS84: lambda lon, lat: (lon, lat),
    CoordinateSystem.GCJ02: wgs84_to_gcj02,
    CoordinateSystem.BD09: wgs84_to_bd09,
}


def to_wgs84(lon, lat, system=CoordinateSystem.WGS84):
    """A point entered in ``system``, as WGS84 (lon, lat). Unknown systems raise ValueError."""
    try:
        convert = _TO_WGS84[CoordinateSystem(system)]
    except ValueError:
        raise ValueError("unknown coordinate system: {!r}".format(system)) from None
    return convert(float(lon), float(lat))


def from_wgs84(lon, lat, system):
    """A stored WGS84 point as ``system`` shows it (for a link into that system's map)."""
    return _FROM_WGS84[CoordinateSystem(system)](float(lon), float(lat))
