"""The 12345 sheet through the import page: tickets become cases once, errors name their
cell, nothing is half-written."""

import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from tests.citywork.conftest import signed_in
from vanguard.citywork.models import Case
from vanguard.core.coords import wgs84_to_bd09

pytestmark = pytest.mark.django_db

HEADERS = [
    "工单编号",
    "受理时间",
    "问题类别",
    "诉求内容",
    "事发地址",
    "经度",
    "纬度",
    "坐标系",
    "来电人",
    "联系电话",
]
BD = wgs84_to_bd09(120.1912, 35.9601)
ROWS = [
    [
        "QD001",
        datetime.datetime(2026, 12, 1, 9, 15),
        "市容环境/暴露垃圾",
        "路口垃圾无人清运",
        "黄岛路12号",
        120.1912,
        35.9601,
        "WGS84",
        "张先生",
        "13800000000",
    ],
    [
        "QD002",
        "2026-12-01 10:30",
        "占道经营",
        "早市摊贩占用人行道",
        "黄岛街道海军路菜市场门口",
        None,
        None,
        None,
        "李女士",
        "13900000000",
    ],
    [
        "QD003",
        "2026/12/1 11:00",
        "illegal-parking",
        "车辆长期占用消防通道",
        "黄岛路",
        round(BD[0], 7),
        round(BD[1], 7),
        "百度",
        None,
        None,
    ],
]


def sheet(rows, hidden_title=True):
    book = Workbook()
    ws = book.active
    ws.title = "12345工单"
    ws.append(["12345热线转办工单（2026年12月1日）"])
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "12345.xlsx"
    return buffer


def load(client, book):
    preview = client.post("/city/cases/hotline/import/", {"campaign": "xihaian-2026", "file": book})
    assert preview.status_code == 200, preview.content.decode()[:2000]
    applied = client.post(
        "/city/cases/hotline/import/apply/",
        {"campaign": "xihaian-2026", "token": preview.context["token"], "filename": "12345.xlsx"},
    )
    return preview, applied


def test_tickets_become_cases_awaiting_registration_once(cast, grid):
    office = signed_in(cast["office"])
    preview, applied = load(office, sheet(ROWS))
    assert preview.context["counts"]["create"] == 3, preview.context["counts"]
    assert applied.status_code == 302, applied.content.decode()[:2000]
    cases = {c.hotline_ticket: c for c in Case.objects.all()}
    assert set(cases) == {"QD001", "QD002", "QD003"}
    first = cases["QD001"]
    assert first.source == "hotline" and first.state == "reported" and first.grid == grid
    assert first.reported_at.astimezone(datetime.timezone(datetime.timedelta(hours=8))).hour == 9
    assert first.reporter_phone == "13800000000"
    # Only an address: the street's centre, said to be approximate.
    assert (
        "黄岛" in cases["QD002"].address
        and "约" in cases["QD002"].address
        or "approximate" in cases["QD002"].address
    )
    # Baidu coordinates converted to WGS84 and the system kept.
    third = cases["QD003"]
    assert third.coordinate_system == "bd09" and abs(third.lon - 120.1912) < 1e-5
    # The same sheet again takes nothing new in.
    preview, applied = load(office, sheet(ROWS))
    assert preview.context["counts"]["unchanged"] == 3
    assert Case.objects.count() == 3


def test_bad_rows_are_named_by_cell_and_nothing_is_saved(cast, grid):
    rows = [list(r) for r in ROWS]
    rows[0][2] = "暴露垃坂"  # a typo of a category
    rows[1][4] = "某小区门口"  # an address naming no town or street, no coordinates
    rows[2][5], rows[2][6], rows[2][7] = 116.39, 39.91, "WGS84"  # Beijing
    preview, applied = load(signed_in(cast["office"]), sheet(rows))
    text = preview.content.decode()
    for cell in ("12345工单!C3", "12345工单!E4", "12345工单!F5"):
        assert cell in text, cell
    assert "暴露垃圾" in text  # the closest category is named
    assert applied.status_code == 400
    assert Case.objects.count() == 0


def test_only_those_who_keep_cases_load_tickets(cast, grid):
    for role in ("reporter_hdjd", "leader", "tf_projects"):
        response = signed_in(cast[role]).get("/city/cases/hotline/import/")
        assert response.status_code == 403, role
    template = signed_in(cast["tf_citywork"]).get("/city/cases/hotline/template.xlsx")
    assert template.status_code == 200
    ws = load_workbook(io.BytesIO(template.content)).active
    assert [c.value for c in ws[2]][:3] == ["工单编号", "受理时间", "问题类别"] or "工单编号" in [
        c.value for row in ws.iter_rows(max_row=3) for c in row
    ]
