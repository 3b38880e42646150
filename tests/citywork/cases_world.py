"""A grid over Huangdao street, a route, and reports made through the case actions."""

from vanguard.citywork.models import CaseCategory

# Around 黄岛路 (120.1912, 35.9601), inside the district.
GRID = {
    "type": "Polygon",
    "coordinates": [
        [[120.18, 35.95], [120.20, 35.95], [120.20, 35.97], [120.18, 35.97], [120.18, 35.95]]
    ],
}
HERE = (120.1912, 35.9601)


def category(code):
    return CaseCategory.objects.get(code=code)
