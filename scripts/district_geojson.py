"""Writes the shipped boundaries of Qingdao West Coast New Area (青岛西海岸新区, 黄岛区)
and its towns and streets (镇街) as GeoJSON in WGS84:

    src/vanguard/maps/data/district.geojson   the district: the mainland and 灵山岛
    src/vanguard/maps/data/streets.geojson    its 23 towns, streets and 胶河经济区

These are approximations drawn from known coordinates, not surveyed boundaries: the
outline follows the coast of 胶州湾, 薛家岛, 唐岛湾, 灵山湾, 琅琊 and 董家口 and the land
border with 胶州, 诸城 and 五莲 through a few dozen points; each town or street is the part
of the outline nearer to its seed point (placed in its territory) than to any other
seed. A deployment replaces both files with the district's surveyed boundaries (same
properties, WGS84 or CGCS2000); nothing else changes.

    python scripts/district_geojson.py
"""

import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from vanguard.core.geo import clip  # noqa: E402

DATA = ROOT / "src" / "vanguard" / "maps" / "data"

# The mainland outline, from the border with 胶州 on 胶州湾 along the coast.
MAINLAND = [
    # 胶州湾 west shore: 红石崖, 海西湾, the old 黄岛, 前湾
    (120.075, 36.105),
    (120.110, 36.082),
    (120.150, 36.078),
    (120.185, 36.088),
    (120.215, 36.085),
    (120.245, 36.078),
    (120.262, 36.062),
    (120.252, 36.046),
    (120.228, 36.040),
    (120.208, 36.030),
    (120.215, 36.017),
    (120.245, 36.020),
    (120.270, 36.026),
    # 薛家岛 (凤凰岛) facing 团岛 across the bay mouth, then its south shore
    (120.288, 36.012),
    (120.290, 35.990),
    (120.276, 35.972),
    (120.255, 35.962),
    (120.232, 35.955),
    # 唐岛湾
    (120.212, 35.958),
    (120.195, 35.950),
    (120.200, 35.938),
    (120.182, 35.930),
    # 灵山卫, 灵山湾, the coast of old 胶南
    (120.160, 35.925),
    (120.135, 35.905),
    (120.110, 35.885),
    (120.080, 35.868),
    (120.055, 35.850),
    # 滨海, 大珠山
    (120.040, 35.820),
    (120.030, 35.790),
    (120.005, 35.760),
    (119.985, 35.730),
    # 琅琊台, 斋堂岛 strait, 琅琊
    (119.965, 35.700),
    (119.950, 35.668),
    (119.925, 35.645),
    (119.890, 35.630),
    (119.860, 35.620),
    # 泊里, 董家口
    (119.830, 35.608),
    (119.800, 35.595),
    (119.770, 35.585),
    (119.740, 35.583),
    # 大场, 海青, to the border with 日照
    (119.705, 35.580),
    (119.670, 35.578),
    (119.640, 35.582),
    # the land border: 五莲, 诸城, 胶州
    (119.600, 35.612),
    (119.560, 35.650),
    (119.530, 35.700),
    (119.520, 35.760),
    (119.540, 35.820),
    (119.575, 35.870),
    (119.610, 35.920),
    (119.650, 35.960),
    (119.710, 35.990),
    (119.780, 36.015),
    (119.850, 36.035),
    (119.910, 36.050),
    (119.960, 36.065),
    (120.010, 36.085),
    (120.045, 36.100),
]

# 灵山岛, the district's largest island, 10 km off 灵山湾.
LINGSHAN_ISLAND = [
    (120.155, 35.757),
    (120.176, 35.760),
    (120.183, 35.772),
    (120.175, 35.786),
    (120.160, 35.783),
    (120.152, 35.770),
]

# (code, name, kind, seed): the seed lies in the town's or street's territory; the codes
# are those of the demo's units.
STREETS = [
    ("hdjd", "黄岛街道", "街道", (120.228, 36.060)),
    ("xjdjd", "薛家岛街道", "街道", (120.255, 35.990)),
    ("xajd", "辛安街道", "街道", (120.160, 36.020)),
    ("cjljd", "长江路街道", "街道", (120.192, 35.968)),
    ("hsyjd", "红石崖街道", "街道", (120.095, 36.070)),
    ("lzsjd", "灵珠山街道", "街道", (120.125, 35.965)),
    ("lswjd", "灵山卫街道", "街道", (120.130, 35.925)),
    ("zsjd", "珠山街道", "街道", (120.060, 35.945)),
    ("yzjd", "隐珠街道", "街道", (119.990, 35.880)),
    ("zhjd", "珠海街道", "街道", (120.055, 35.875)),
    ("bhjd", "滨海街道", "街道", (120.000, 35.790)),
    ("tsjd", "铁山街道", "街道", (120.045, 36.040)),
    ("zjljd", "张家楼街道", "街道", (119.925, 35.900)),
    ("wtz", "王台镇", "镇", (119.975, 36.010)),
    ("lwz", "六汪镇", "镇", (119.850, 35.985)),
    ("dcz2", "大村镇", "镇", (119.810, 35.860)),
    ("bsz", "宝山镇", "镇", (119.875, 35.790)),
    ("cnz", "藏南镇", "镇", (119.740, 35.790)),
    ("hqz", "海青镇", "镇", (119.600, 35.700)),
    ("dcz", "大场镇", "镇", (119.710, 35.670)),
    ("blz", "泊里镇", "镇", (119.800, 35.680)),
    ("lyz", "琅琊镇", "镇", (119.915, 35.700)),
    ("jhjjq", "胶河经济区", "经济区", (119.660, 35.910)),
]
# Islands go to the street that looks after them, whatever seed is nearest.
ISLANDS = {"lswjd": [LINGSHAN_ISLAND]}


def _closed(points):
    ring = [list(p) for p in points]
    if _polygon_area(ring) < 0:  # RFC 7946: outer rings counter-clockwise
        ring.reverse()
    return ring + [ring[0]]


def cell(seed, others, outline):
    """The parts of ``outline`` nearer to ``seed`` than to any of ``others``."""
    parts = [outline]
    for other in others:
        origin = ((seed[0] + other[0]) / 2, (seed[1] + other[1]) / 2)
        # Distances in metres: a degree of longitude is shorter than one of latitude.
        scale = math.cos(math.radians(origin[1]))
        normal = ((seed[0] - other[0]) * scale * scale, seed[1] - other[1])
        parts = [piece for part in parts for piece in clip(part, origin, normal)]
    return parts


def _rounded(ring):
    out = []
    for lon, lat in ring:
        point = [round(lon, 6), round(lat, 6)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def _polygon_area(ring):
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:] + ring[:1], strict=True))


def _multipolygon(parts):
    polygons = []
    for part in parts:
        ring = _rounded(part)
        if len(ring) < 3 or abs(_polygon_area(ring)) < 1e-8:
            continue
        if _polygon_area(ring) < 0:  # RFC 7946: outer rings counter-clockwise
            ring.reverse()
        polygons.append([ring + [ring[0]]])
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def _write(name, collection):
    path = DATA / name
    path.write_text(json.dumps(collection, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print("wrote", path)


def main():
    DATA.mkdir(parents=True, exist_ok=True)
    outline = [list(p) for p in MAINLAND]
    district = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "code": "370211",
                    "name": "青岛西海岸新区",
                    "other_name": "黄岛区",
                    "approximate": True,
                },
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [[_closed(MAINLAND)], [_closed(LINGSHAN_ISLAND)]],
                },
            }
        ],
    }
    _write("district.geojson", district)
    features = []
    for code, name, kind, seed in STREETS:
        others = [s[3] for s in STREETS if s[0] != code]
        parts = cell(seed, others, outline) + ISLANDS.get(code, [])
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name": name, "kind": kind},
                "geometry": _multipolygon(parts),
            }
        )
    _write("streets.geojson", {"type": "FeatureCollection", "features": features})


if __name__ == "__main__":
    main()
