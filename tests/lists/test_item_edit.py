"""The office (or the item's task force) edits a list item: requirement, responsible person,
deadline, cadence, target and checkpoints, on the item's edit page or with PATCH; errors
in Chinese change nothing; of two editors the second is told who was first (409)."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from tests.conftest import make_person
from tests.lists.conftest import signed_in
from vanguard.audit.models import ChangeEntry
from vanguard.lists.models import Checkpoint, ListItem
from vanguard.org.models import Person

pytestmark = pytest.mark.django_db

CODE = "QD-FGJ-01"
EDIT = "/lists/i/{}/edit/".format(CODE)
API = "/api/v1/list-items/{}".format(CODE)


def _token_client(user):
    from vanguard.accounts.tokens import do_create_token

    return Client(HTTP_AUTHORIZATION="Bearer " + do_create_token(user.username))


def _form(item, **changes):
    """The edit form as the page fills it, then ``changes``; checkpoints as rows."""
    points = list(Checkpoint.objects.filter(item=item).order_by("period_start"))
    rows = [
        {"period": p.period, "due": p.due_date.isoformat(), "planned_quantity": p.planned_quantity}
        for p in points
    ]
    rows += changes.pop("extra_rows", [])
    for index, edit in changes.pop("row_edits", {}).items():
        rows[index].update(edit)
    data = {
        "campaign": "xihaian-2026",
        "version": item.version,
        "requirement": item.requirement,
        "responsible_person": item.responsible_person_id,
        "deadline": item.deadline.isoformat(),
        "cadence": item.cadence,
        "target_quantity": item.target_quantity,
        "measuring_unit": item.measuring_unit,
        "reason": "",
        "checkpoints-TOTAL_FORMS": len(rows),
        "checkpoints-INITIAL_FORMS": len(points),
        "checkpoints-MIN_NUM_FORMS": 0,
        "checkpoints-MAX_NUM_FORMS": 1000,
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            if key == "remove":
                if value:
                    data["checkpoints-{}-remove".format(i)] = "on"
            elif value is not None:
                data["checkpoints-{}-{}".format(i, key)] = value
    data.update(changes)
    return data


def test_the_office_edits_an_item_and_its_plan_from_the_item_page(loaded):
    office = signed_in(loaded["office"])
    page = office.get("/lists/i/{}/".format(CODE)).content.decode()
    assert 'id="edit-item"' in page and EDIT in page
    assert office.get(EDIT).status_code == 200
    item = ListItem.objects.get(code=CODE)
    qian = Person.objects.get(name="钱主任")
    other = make_person("li", "李科长", loaded["fgj"]).person
    assert qian.unit_id == other.unit_id
    response = office.post(
        EDIT,
        _form(
            item,
            requirement="新开工项目入库120个",
            responsible_person=other.pk,
            deadline="2026-11-30",
            target_quantity="120",
            reason="区委常委会调整目标",
            row_edits={1: {"planned_quantity": "60"}, 2: {"remove": True}},
            extra_rows=[{"period": "2026年7月", "planned_quantity": "70"}],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    item.refresh_from_db()
    assert item.requirement == "新开工项目入库120个" and item.responsible_person == other
    assert item.deadline == datetime.date(2026, 11, 30) and item.target_quantity == 120
    assert item.version == 2
    plan = dict(Checkpoint.objects.filter(item=item).values_list("period", "planned_quantity"))
    assert plan == {
        "2026-03": Decimal(20),
        "2026-06": Decimal(60),
        "2026-07": Decimal(70),
        "2026-12": Decimal(100),
    }
    detail = office.get("/lists/i/{}/".format(CODE)).content.decode()
    assert "新开工项目入库120个" in detail and "李科长" in detail
    assert "区委常委会调整目标" in detail  # the change log, with the reason
    entry = ChangeEntry.objects.filter(content_type__model="listitem").order_by("-seq").first()
    assert "2026-09" in entry.reason and entry.actor.username == "office"


def test_bad_input_is_named_in_chinese_and_changes_nothing(loaded):
    office = signed_in(loaded["office"])
    item = ListItem.objects.get(code=CODE)
    before = ChangeEntry.objects.count()
    response = office.post(
        EDIT,
        _form(
            item,
            requirement="   ",
            row_edits={0: {"planned_quantity": "500"}},
            extra_rows=[{"period": "2026年13月", "planned_quantity": "10"}],
        ),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "这个字段是必填项" in text
    # Fix the requirement: the rows are checked and each error is named on its row.
    response = office.post(
        EDIT,
        _form(
            item,
            row_edits={0: {"planned_quantity": "500"}},
            extra_rows=[{"period": "2026年13月", "planned_quantity": "10"}],
        ),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert 'data-error-row="0"' in text and "高于事项目标" in text
    assert 'data-error-row="4"' in text
    item.refresh_from_db()
    assert item.version == 1 and item.requirement == "新开工项目入库100个"
    assert Checkpoint.objects.get(item=item, period="2026-03").planned_quantity == 20
    assert not Checkpoint.objects.filter(item=item, period__startswith="2026-13").exists()
    assert ChangeEntry.objects.count() == before


def test_of_two_editors_the_second_is_told_and_nothing_is_overwritten(loaded):
    item = ListItem.objects.get(code=CODE)
    office, task_force = signed_in(loaded["office"]), signed_in(loaded["tf_projects"])
    # Both opened the page at version 1.
    first = _form(item, requirement="第一位编辑的要求")
    second = _form(item, requirement="第二位编辑的要求")
    assert office.post(EDIT, first).status_code == 302
    response = task_force.post(EDIT, second)
    assert response.status_code == 409
    text = response.content.decode()
    assert "王办公" in text and "未保存" in text
    item.refresh_from_db()
    assert item.requirement == "第一位编辑的要求" and item.version == 2


@pytest.mark.parametrize(
    "who,status",
    [
        ("office", 200),
        ("tf_projects", 200),
        ("leader", 403),
        ("reporter_fgj", 403),
        ("dual", 403),  # the projects task force, but also a reporter of the unit
        ("tf_citywork", 404),
        ("reporter_hdjd", 404),
        ("inspector", 404),
    ],
)
def test_who_may_edit_through_the_page_and_the_api(loaded, who, status):
    client = signed_in(loaded[who])
    assert client.get(EDIT).status_code == status
    detail = client.get("/lists/i/{}/".format(CODE))
    if detail.status_code == 200:
        assert ('id="edit-item"' in detail.content.decode()) is (status == 200)
    response = _token_client(loaded[who]).patch(
        API,
        {"deadline": "2026-10-31", "version": 1},
        content_type="application/json",
    )
    assert response.status_code == status, response.content.decode()
    changed = ListItem.objects.get(code=CODE).deadline == datetime.date(2026, 10, 31)
    assert changed is (status == 200)


def test_the_api_patches_at_the_version_read(loaded):
    api = _token_client(loaded["office"])
    response = api.patch(
        API,
        {
            "requirement": "新开工项目入库110个",
            "responsible_person": "钱主任",
            "checkpoints": [
                {"period": "2026年6月", "planned_quantity": "55"},
                {"period": "2026-09", "remove": True},
            ],
            "reason": "调整",
        },
        content_type="application/json",
        HTTP_IF_MATCH='"listitem-1"',
    )
    assert response.status_code == 200, response.content.decode()
    assert response.json()["requirement"] == "新开工项目入库110个"
    assert response.json()["version"] == 2
    points = api.get(API + "/checkpoints").json()["items"]
    assert [(p["period"], p["planned_quantity"]) for p in points] == [
        ("2026-03", "20.00"),
        ("2026-06", "55.00"),
        ("2026-12", "100.00"),
    ]
    stale = api.patch(API, {"requirement": "旧页面", "version": 1}, content_type="application/json")
    assert stale.status_code == 409 and "王办公" in stale.json()["message"]
    unnamed = api.patch(API, {"requirement": "未说明版本"}, content_type="application/json")
    assert unnamed.status_code == 409
    stranger = api.patch(
        API, {"responsible_person": "赵街道", "version": 2}, content_type="application/json"
    )
    assert stranger.status_code == 422 and "赵街道" in stranger.json()["message"]
    bad_row = api.patch(
        API,
        {"checkpoints": [{"period": "2026年6月", "planned_quantity": "999"}], "version": 2},
        content_type="application/json",
    )
    assert bad_row.status_code == 422 and "第1行" in bad_row.json()["message"]
    assert ListItem.objects.get(code=CODE).requirement == "新开工项目入库110个"
