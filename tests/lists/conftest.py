"""The lists' world: two units with a responsible person each, the task forces, the cast,
and a workbook the office loads through the import page."""

import datetime
import io

import pytest
from openpyxl import Workbook

from tests.conftest import PASSWORD, make_person
from vanguard.org.choices import Battle, Role

ITEM_HEADERS = [
    "事项编号",
    "责任单位",
    "攻坚战",
    "工作要求",
    "责任人",
    "完成时限",
    "调度频次",
    "计量方式",
    "目标数量",
    "计量单位",
]
CHECKPOINT_HEADERS = ["事项编号", "期次", "报送截止日期", "计划累计数量", "节点目标"]

# Unit A's quantity item (monthly, 100 个) and milestone item (dekad); unit B's item.
ITEMS = [
    [
        "QD-FGJ-01",
        "区发展和改革局",
        "招引开工重大项目",
        "新开工项目入库100个",
        "钱主任",
        datetime.date(2026, 12, 31),
        "每月",
        "数量",
        100,
        "个",
    ],
    [
        "QD-FGJ-02",
        "区发展和改革局",
        "招引开工重大项目",
        "完成重大项目用地报批",
        "钱主任",
        datetime.date(2026, 6, 30),
        "每旬",
        "节点",
        None,
        None,
    ],
    [
        "QD-HDJD-01",
        "黄岛街道",
        "城市更新管理重要工作",
        "老旧小区改造12个",
        "孙书记",
        datetime.date(2026, 12, 31),
        "每月",
        "数量",
        12,
        "个",
    ],
]
CHECKPOINTS = [
    ["QD-FGJ-01", "2026年3月", None, 20, None],
    ["QD-FGJ-01", "2026年6月", None, 50, None],
    ["QD-FGJ-01", "2026年9月", None, 80, None],
    ["QD-FGJ-01", "2026年12月", None, 100, None],
    ["QD-FGJ-02", "2026年3月上旬", None, None, "完成用地预审"],
    ["QD-FGJ-02", "2026年4月中旬", None, None, "取得用地批复"],
    ["QD-HDJD-01", "2026年3月", None, 3, None],
    ["QD-HDJD-01", "2026年6月", None, 6, None],
]


def workbook(items=ITEMS, checkpoints=CHECKPOINTS, *, title=True, extra=None):
    """The office's workbook: a title row, the header, the rows; ``extra(book)`` edits it."""
    book = Workbook()
    sheet = book.active
    sheet.title = "清单事项"
    if title:
        sheet.append(["西海岸新区一单位一清单"])
    sheet.append(ITEM_HEADERS)
    for row in items:
        sheet.append(row)
    points = book.create_sheet("节点计划")
    points.append(CHECKPOINT_HEADERS)
    for row in checkpoints:
        points.append(row)
    if extra:
        extra(book)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "清单.xlsx"
    return buffer


@pytest.fixture
def cast(campaign, task_forces, fgj, hdjd):
    """Everyone who touches a list, each by role."""
    make_person("qian", "钱主任", fgj)
    make_person("sun", "孙书记", hdjd)
    dual = make_person(
        "dual", "吴兼职", fgj, Role.TASK_FORCE_MEMBER, task_force=task_forces[Battle.PROJECTS]
    )
    from vanguard.org.models import RoleAssignment

    RoleAssignment.objects.create(person=dual.person, role=Role.UNIT_REPORTER, unit=fgj)
    return {
        "campaign": campaign,
        "fgj": fgj,
        "hdjd": hdjd,
        "office": make_person("office", "王办公", role=Role.OFFICE),
        "leader": make_person("leader", "周领导", role=Role.LEADER),
        "inspector": make_person("inspector", "吴纪检", role=Role.DISCIPLINE_INSPECTOR),
        "tf_projects": make_person(
            "tf_projects", "李专班", fgj, Role.TASK_FORCE_MEMBER, task_forces[Battle.PROJECTS]
        ),
        "tf_projects_2": make_person(
            "tf_projects_2", "陈专班", hdjd, Role.TASK_FORCE_MEMBER, task_forces[Battle.PROJECTS]
        ),
        "tf_citywork": make_person(
            "tf_citywork", "郑专班", hdjd, Role.TASK_FORCE_MEMBER, task_forces[Battle.CITYWORK]
        ),
        "reporter_fgj": make_person(
            "reporter_fgj", "张填报", fgj, Role.UNIT_REPORTER, reporter_unit=fgj
        ),
        "reporter_hdjd": make_person(
            "reporter_hdjd", "赵街道", hdjd, Role.UNIT_REPORTER, reporter_unit=hdjd
        ),
        "dual": dual,
    }


def signed_in(user):
    from django.test import Client

    client = Client()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:300]
    return client


def load(client, book, campaign="xihaian-2026"):
    """Upload ``book`` for a dry run, then apply it; return (preview, applied) responses."""
    preview = client.post("/lists/import/", {"campaign": campaign, "file": book})
    assert preview.status_code == 200, preview.content.decode()[:2000]
    token = preview.context["token"]
    applied = client.post(
        "/lists/import/apply/", {"campaign": campaign, "token": token, "filename": "清单.xlsx"}
    )
    return preview, applied


@pytest.fixture
def loaded(cast):
    """The office has loaded the standard workbook through the import page."""
    client = signed_in(cast["office"])
    _preview, applied = load(client, workbook())
    assert applied.status_code == 302, applied.content.decode()[:2000]
    return cast
