"""Places on the map: two grids and three projects of two units, and a layer's light."""

from decimal import Decimal

import pytest
from django.utils import timezone

from vanguard.citywork.actions.grids import do_load_grids
from vanguard.core.money import YI
from vanguard.org.choices import UnitKind
from vanguard.org.models import Unit
from vanguard.projects.actions import do_create_project
from vanguard.projects.lights import SubjectKind
from vanguard.supervision.models import LightState

# WGS84 points in the district.
HUANGDAO = (120.228, 36.060)  # 黄岛街道
XUEJIADAO = (120.255, 35.990)  # 薛家岛街道
JIAONAN = (120.035, 35.875)  # 珠海街道


def square(lon, lat, size=0.004):
    ring = [
        [lon, lat],
        [lon + size, lat],
        [lon + size, lat + size],
        [lon, lat + size],
        [lon, lat],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def grid_file(*grids):
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": code, "name": name, "unit": unit},
                "geometry": square(*point),
            }
            for code, name, unit, point in grids
        ],
    }


@pytest.fixture
def xjd(db):
    return Unit.objects.create(code="xjdjd", name="薛家岛街道", kind=UnitKind.STREET)


@pytest.fixture
def places(campaign, task_forces, fgj, hdjd, xjd, office_clerk):
    do_load_grids(
        grid_file(
            ("hd-01", "黄岛一号网格", "黄岛街道", HUANGDAO),
            ("xjd-01", "薛家岛一号网格", "薛家岛街道", XUEJIADAO),
        ),
        actor=office_clerk,
    )
    made = {}
    for code, unit, point, stage in [
        ("XHA-0001", fgj, JIAONAN, "negotiating"),
        ("XHA-0002", hdjd, HUANGDAO, "started"),
        ("XHA-0003", fgj, None, "negotiating"),
    ]:
        made[code] = do_create_project(
            campaign=campaign,
            code=code,
            name="项目" + code[-1],
            lead_unit=unit,
            investment_yuan=2 * YI,
            actor=office_clerk,
            stage=stage,
            longitude=Decimal(str(point[0])) if point else None,
            latitude=Decimal(str(point[1])) if point else None,
        )
    LightState.objects.create(
        campaign=campaign,
        kind=SubjectKind.PROJECT,
        object_id=made["XHA-0002"].pk,
        unit=hdjd,
        light="red",
        reason="behind",
        since=timezone.now(),
        since_date=timezone.localdate(),
    )
    return made


@pytest.fixture
def login(client):
    """Log in as a user, leaving whoever was logged in before (the login page would keep
    them)."""
    from tests.conftest import PASSWORD

    def _login(user):
        client.logout()
        response = client.post("/login/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302
        return client

    return _login
