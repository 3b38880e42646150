"""The third battle's world: the West Coast plan, a street office and two bureaus, the cast,
and the doors the office uses to set up renewal projects, campaigns, zones and roads."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import Workbook

from tests.conftest import PASSWORD, make_person
from vanguard.citywork.defaults import ensure_defaults
from vanguard.org.choices import Battle, Role, UnitKind
from vanguard.org.models import Campaign, RoleAssignment, Unit

RENEWAL_HEADERS = [
    "项目编号",
    "项目名称",
    "项目类型",
    "主责单位",
    "责任人",
    "项目位置",
    "经度",
    "纬度",
    "空间范围",
    "计划开工日期",
    "计划竣工日期",
]
SQUARE = (
    '{"type": "Polygon", "coordinates": [[[120.18, 35.95], [120.19, 35.95], [120.19, 35.96],'
    " [120.18, 35.96], [120.18, 35.95]]]}"
)
# Two projects of Huangdao street (a point and a polygon), one of the housing bureau.
RENEWAL_ROWS = [
    [
        "GX-HD-01",
        "黄岛路片区老旧小区改造",
        "老旧小区改造",
        "黄岛街道",
        "孙书记",
        "黄岛路",
        120.1912,
        35.9601,
        None,
        datetime.date(2026, 3, 2),
        datetime.date(2026, 9, 30),
    ],
    [
        "GX-HD-02",
        "海军路背街小巷整治",
        "背街小巷",
        "黄岛街道",
        "孙书记",
        "海军路",
        None,
        None,
        SQUARE,
        datetime.date(2026, 4, 6),
        datetime.date(2026, 7, 31),
    ],
    [
        "GX-ZJ-01",
        "薛家岛片区供水管网更新",
        "管网更新",
        "区住房和城乡建设局",
        "钱局长",
        "薛家岛",
        120.2301,
        36.0102,
        None,
        datetime.date(2026, 2, 16),
        datetime.date(2026, 11, 30),
    ],
]


@pytest.fixture
def plan(db, settings):
    call_command("loadplan", str(settings.PROJECT_DIR / "plans" / "xihaian.yaml"), verbosity=0)
    return Campaign.objects.get(code="xihaian-2026")


@pytest.fixture
def cast(plan):
    """Everyone who touches the weekly work, each by role."""
    # The kinds and checklists a migration adds, again: a test that flushes the database
    # (transaction=True) takes them away from the tests that run after it.
    ensure_defaults()
    hdjd = Unit.objects.create(code="hdjd", name="黄岛街道", kind=UnitKind.STREET)
    zjj = Unit.objects.create(code="zjj", name="区住房和城乡建设局", kind=UnitKind.DEPARTMENT)
    zfj = Unit.objects.create(code="zfj", name="区综合行政执法局", kind=UnitKind.DEPARTMENT)
    forces = {tf.battle: tf for tf in plan.task_forces.all()}
    make_person("sun", "孙书记", hdjd)
    make_person("qian", "钱局长", zjj)
    make_person("li_zf", "李大队长", zfj)
    dual = make_person(
        "dual", "吴兼职", hdjd, Role.TASK_FORCE_MEMBER, task_force=forces[Battle.CITYWORK]
    )
    RoleAssignment.objects.create(person=dual.person, role=Role.UNIT_REPORTER, unit=hdjd)
    return {
        "campaign": plan,
        "hdjd": hdjd,
        "zjj": zjj,
        "zfj": zfj,
        "office": make_person("office", "王办公", role=Role.OFFICE),
        "leader": make_person("leader", "周领导", role=Role.LEADER),
        "inspector": make_person("inspector", "吴纪检", role=Role.DISCIPLINE_INSPECTOR),
        "tf_citywork": make_person(
            "tf_citywork", "郑专班", zjj, Role.TASK_FORCE_MEMBER, forces[Battle.CITYWORK]
        ),
        "tf_citywork_2": make_person(
            "tf_citywork_2", "冯专班", zfj, Role.TASK_FORCE_MEMBER, forces[Battle.CITYWORK]
        ),
        "tf_projects": make_person(
            "tf_projects", "李专班", zjj, Role.TASK_FORCE_MEMBER, forces[Battle.PROJECTS]
        ),
        "reporter_hdjd": make_person(
            "reporter_hdjd", "赵街道", hdjd, Role.UNIT_REPORTER, reporter_unit=hdjd
        ),
        "reporter_zjj": make_person(
            "reporter_zjj", "钱填报", zjj, Role.UNIT_REPORTER, reporter_unit=zjj
        ),
        "reporter_zfj": make_person(
            "reporter_zfj", "刘填报", zfj, Role.UNIT_REPORTER, reporter_unit=zfj
        ),
        "dual": dual,
    }


ROLES = (
    "office",
    "leader",
    "inspector",
    "tf_citywork",
    "tf_projects",
    "reporter_hdjd",
    "reporter_zjj",
    "dual",
)


def signed_in(user):
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:300]
    return client


def token_client(user):
    from vanguard.accounts.tokens import do_create_token

    return Client(HTTP_AUTHORIZATION="Bearer " + do_create_token(user.username))


def renewal_book(rows=RENEWAL_ROWS, *, extra=None):
    """The office's renewal workbook: a title row, the header, the rows."""
    book = Workbook()
    sheet = book.active
    sheet.title = "城市更新项目"
    sheet.append(["西海岸新区2026年城市更新项目清单"])
    sheet.append(RENEWAL_HEADERS)
    for row in rows:
        sheet.append(row)
    if extra:
        extra(book)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "城市更新.xlsx"
    return buffer


def load_renewal(client, book, campaign="xihaian-2026"):
    """Upload ``book`` for a dry run, then apply it; return (preview, applied)."""
    preview = client.post("/city/renewal/import/", {"campaign": campaign, "file": book})
    assert preview.status_code == 200, preview.content.decode()[:2000]
    token = preview.context["token"]
    applied = client.post(
        "/city/renewal/import/apply/",
        {"campaign": campaign, "token": token, "filename": "城市更新.xlsx"},
    )
    return preview, applied


@pytest.fixture
def renewal(cast):
    """The office has loaded the renewal workbook through the import page."""
    _preview, applied = load_renewal(signed_in(cast["office"]), renewal_book())
    assert applied.status_code == 302, applied.content.decode()[:3000]
    return cast


CAMPAIGN_FORM = {
    "campaign": "xihaian-2026",
    "code": "cwzz",
    "name": "拆违治乱攻坚行动",
    "lead_unit": "zfj",
    "responsible_person": "李大队长",
    "measure": "拆除违法建设面积",
    "measuring_unit": "平方米",
    "weekly_target": "1000",
    "start_date": "2026-03-02",
    "end_date": "2026-06-28",
}


@pytest.fixture
def city_campaign(cast):
    """The office has defined the illegal-construction campaign through its form."""
    response = signed_in(cast["office"]).post("/city/campaigns/new/", CAMPAIGN_FORM)
    assert response.status_code == 302, response.content.decode()[:3000]
    return cast


ZONE = (
    '{"type": "Polygon", "coordinates": [[[120.17, 35.95], [120.2, 35.95], [120.2, 35.97],'
    " [120.17, 35.97], [120.17, 35.95]]]}"
)
ROAD = '{"type": "LineString", "coordinates": [[120.18, 35.96], [120.19, 35.965], [120.2, 35.97]]}'


@pytest.fixture
def places(cast):
    """The office has added a zone of Huangdao street and a road of the housing bureau."""
    office = signed_in(cast["office"])
    for data in (
        {
            "code": "SFQ-01",
            "kind": "zone",
            "name": "黄岛老城区城市管理示范区",
            "lead_unit": "hdjd",
            "responsible_person": "孙书记",
            "geometry": ZONE,
            "planned_acceptance": "2026-06-30",
        },
        {
            "code": "JPDL-01",
            "kind": "road",
            "name": "长江中路精品道路",
            "lead_unit": "zjj",
            "responsible_person": "钱局长",
            "geometry": ROAD,
            "planned_acceptance": "2026-05-31",
        },
    ):
        response = office.post("/city/places/new/", {"campaign": "xihaian-2026", **data})
        assert response.status_code == 302, response.content.decode()[:3000]
    return cast


@pytest.fixture
def grid(cast):
    """A grid over 黄岛路, looked after by Huangdao street."""
    from tests.citywork.cases_world import GRID
    from vanguard.citywork.models import Grid

    return Grid.objects.create(code="hd-01", name="黄岛路网格", unit=cast["hdjd"], geometry=GRID)
