"""The map's layer requests at city scale (一张网一张图), in a generated city demo.

bench/run.py runs this in the city demo it generated (VANGUARD_VAR_DIR); it prints one
JSON line. Each case is one request a browser makes when the map shows an area: the
layer's GeoJSON for a box, through the real URL, middleware, access rules and view
(Django's test Client, logged in as ``leader``, who sees every unit), as the median of
repeated requests after two warm-ups. Each has two baselines:

- naive: every row of the layer read into Python, then boxed (and for points summed up
  per cell) there, as a page that loads the whole layer and filters it would;
- bare SQL: the engine's own statements (count, then rows or the GROUP BY), replayed
  and fetched whole, without the view, the JSON or the access module.

Target (issue 12): the open-case layer for the visible area under 300 ms (``cases``:
about 100,000 open cases in the city demo). A layer registered later (renewal projects,
zones) adds its cases to ``CASES``.

    python bench/maps.py
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

from city import Queries, median_ms  # noqa: E402

# (layer, the area's name, its box: west, south, east, north). The district view is
# what the map opens on; a street view is a zoom of about 14 on a laptop's screen.
DISTRICT = (119.45, 35.55, 120.35, 36.15)
STREET = (120.16, 35.94, 120.24, 35.99)  # 长江路街道 and around
CASES = [
    ("grids", "district", DISTRICT),
    ("grids", "street", STREET),
    ("projects", "district", DISTRICT),
    ("projects", "street", STREET),
    ("cases", "district", DISTRICT),
    ("cases", "street", STREET),
]
TARGET_MS = 300


def naive(layer, user, campaign, box):
    """The whole layer read into Python, boxed (and clustered) there."""
    from vanguard.core import geo
    from vanguard.maps import features
    from vanguard.maps.layers import POINTS

    rows = list(
        features.rows(layer, features.Query(user=user, campaign=campaign)).values(
            *features._values(layer)
        )
    )
    if layer.kind == POINTS:
        inside = [
            r
            for r in rows
            if box[0] <= float(r[layer.lon]) <= box[2] and box[1] <= float(r[layer.lat]) <= box[3]
        ]
        if len(inside) > features.POINT_LIMIT:
            cells = {}
            width = (box[2] - box[0]) / features.CLUSTER_COLUMNS
            height = (box[3] - box[1]) / features.CLUSTER_ROWS
            for r in inside:
                key = (
                    int((float(r[layer.lon]) - box[0]) // width),
                    int((float(r[layer.lat]) - box[1]) // height),
                )
                cells[key] = cells.get(key, 0) + 1
            return len(cells)
        return len([features._feature(layer, r) for r in inside])
    inside = [r for r in rows if geo.bboxes_meet(geo.bbox(r[layer.geometry]), box)]
    return len([features._feature(layer, r) for r in inside[: features.SHAPE_LIMIT + 1]])


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanguard.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    from vanguard.maps import features, layers
    from vanguard.org.queries import current_campaign

    campaign = current_campaign(None)
    user = get_user_model().objects.get(username="leader")
    client = Client()
    client.force_login(user)
    results = []
    for name, area, box in CASES:
        layer = layers.get(name)
        url = "/api/v1/map/layers/{}?bbox={}".format(name, ",".join(str(v) for v in box))
        answer = client.get(url).json()
        figure = median_ms(lambda url=url: client.get(url))
        with Queries() as queries:
            features.collect(layer, features.Query(user=user, campaign=campaign, bbox=box))
        naive_ms = median_ms(
            lambda layer=layer, box=box: naive(layer, user, campaign, box), repeat=3, warm=1
        )
        results.append(
            {
                "layer": name,
                "area": area,
                "rows": layer.rows(campaign).count(),
                "in_box": answer["count"],
                "features": len(answer["features"]),
                "clustered": answer["clustered"],
                "too_many": answer["too_many"],
                "ms": figure,
                "naive_ms": naive_ms,
                "sql_ms": queries.sql_ms,
                "queries": queries.count,
            }
        )
        print(results[-1], file=sys.stderr, flush=True)
    print(json.dumps({"maps": results}, ensure_ascii=False))


def report(found):
    """The section of docs/benchmarks.md (bench/run.py writes it)."""
    from figures import ratio, verdict

    lines = [
        "",
        "## City scale: the map's layers for the visible area (SQLite)",
        "",
        "One request of the map page for a layer in a box (`bench/maps.py`), through the",
        "API as the leader, median of 15. *district*: the whole district, as the map opens;",
        "*street*: about 7 × 5 km around 长江路街道. Points beyond 2,000 in the box come",
        "back summed up per cell (one GROUP BY); shapes beyond 1,500 as a count. Naive:",
        "the whole layer read into Python and boxed there. Bare SQL: the engine's own",
        "statements, fetched whole. The open-case layer's target is < {} ms.".format(TARGET_MS),
        "",
        "| layer | area | rows | in box | sent | figure (ms) | target | | naive (ms) | ratio"
        " | bare SQL (ms) |",
        "|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    if not found:
        lines.append("| | | | | | did not finish | | | | | |")
        return lines
    for row in found:
        sent = "{} clusters".format(row["features"]) if row["clustered"] else row["features"]
        if row["too_many"]:
            sent = "count only"
        lines.append(
            "| {} | {} | {} | {} | {} | {:.1f} | < {} | {} | {:.0f} | {} | {:.1f} |".format(
                row["layer"],
                row["area"],
                row["rows"],
                row["in_box"],
                sent,
                row["ms"],
                TARGET_MS,
                verdict(row["ms"], TARGET_MS),
                row["naive_ms"],
                ratio(row["naive_ms"], row["ms"]),
                row["sql_ms"],
            )
        )
    return lines


if __name__ == "__main__":
    main()
