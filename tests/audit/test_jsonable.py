"""to_jsonable's fast path gives exactly what the JSON round trip gives."""

import datetime
import decimal
import json
import uuid

from vanguard.audit.log import _json_default, to_jsonable
from vanguard.org.choices import Role


def round_trip(data):
    return json.loads(json.dumps(data, default=_json_default, ensure_ascii=False))


def test_a_snapshot_of_field_values_converts_as_the_round_trip_would():
    at = datetime.datetime(2026, 3, 1, 8, 30, tzinfo=datetime.UTC)
    snapshots = [
        {
            "name": "海洋装备产业园",
            "investment_yuan": 1_200_000_000,
            "latitude": decimal.Decimal("35.960123"),
            "ratio": 0.25,
            "ok": True,
            "none": None,
            "planned": datetime.date(2026, 4, 30),
            "at": at,
            "time": datetime.time(9, 15),
            "token": uuid.UUID(int=7),
        },
        {"role": Role.OFFICE, "ids": [3, 1]},
        {1: "a number as a key"},
        {},
    ]
    for data in snapshots:
        converted = to_jsonable(data)
        assert converted == round_trip(data)
        assert json.dumps(converted, sort_keys=True) == json.dumps(round_trip(data), sort_keys=True)
        assert all(
            type(v) is type(w)
            for v, w in zip(converted.values(), round_trip(data).values(), strict=True)
        )
