"""A key node is named as people name it (its project and 用地手续办理), not by its codes
("XHA-0001/land_use"): in the ladder's proposals, the orders made from them and talks,
on pages, in the API and in the order's link to the node's page."""

import datetime

import pytest

from tests.orders.test_ladder import TODAY
from vanguard.projects.models import Milestone
from vanguard.supervision.models import LightState, Proposal, SupervisionOrder, Talk
from vanguard.supervision.orders.ladder import run_ladder

pytestmark = pytest.mark.django_db

NAME = "XHA-0001 海洋装备产业园 用地手续办理"
SLUG = "XHA-0001/land_use"


@pytest.fixture
def node_proposal(lit):
    milestone = Milestone.objects.get(project__code="XHA-0001", node__code="land_use")
    LightState.objects.filter(campaign=lit, kind="milestone", object_id=milestone.pk).update(
        light="red", since_date=datetime.date(2026, 5, 1)
    )
    run_ladder(lit, today=TODAY)
    return Proposal.objects.get(subject_kind="milestone")


def test_the_proposal_names_the_key_node_on_the_pages_and_in_the_api(
    node_proposal, login, api, office_clerk
):
    office = login(office_clerk)
    for url in ("/supervision/", "/supervision/proposals/"):
        page = office.get(url).content.decode()
        assert NAME in page and SLUG not in page, url
    listed = api(office_clerk).get("/api/v1/proposals").json()["items"]
    assert [p["subject"] for p in listed if p["subject_kind"] == "milestone"] == [NAME]


def test_the_order_confirmed_from_it_names_and_links_the_key_node(
    node_proposal, login, office_clerk, hdjd_reporter, fgj_reporter
):
    office = login(office_clerk)
    response = office.post(
        "/supervision/proposals/{}/confirm/".format(node_proposal.pk), {"reason": "滞后属实"}
    )
    assert response.status_code == 302
    order = SupervisionOrder.objects.get(subject_kind="milestone")
    assert order.subject_label == NAME and NAME in order.problem and SLUG not in order.problem
    page = office.get("/supervision/orders/{}/".format(order.pk)).content.decode()
    assert NAME in page and SLUG not in page
    link = "/projects/nodes/{}/".format(order.object_id)
    assert link in page
    node_page = office.get(link, follow=True)
    assert node_page.redirect_chain[-1][0] == "/projects/p/XHA-0001/nodes/land_use/"
    assert "用地手续办理" in node_page.content.decode()
    # The unit's reporter follows the link to its node; another unit's gets nothing.
    office.logout()
    own = login(fgj_reporter)
    assert own.get(link, follow=True).status_code == 200
    own.logout()
    assert login(hdjd_reporter).get(link).status_code == 404


def test_a_talk_about_the_key_node_names_it(node_proposal, login, office_clerk, fgj):
    response = login(office_clerk).post(
        "/supervision/talks/new/",
        {
            "unit": fgj.code,
            "kind": "milestone",
            "subject": SLUG,
            "talk_type": "work",
            "reason": "用地手续滞后",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    talk = Talk.objects.get()
    assert NAME in talk.subject_label and SLUG not in talk.subject_label


UNIT_NAME = "区发展和改革局"


@pytest.fixture
def unit_proposal(lit, fgj):
    """The development and reform bureau red since March: the ladder proposes an order."""
    LightState.objects.filter(campaign=lit, kind="unit", object_id=fgj.pk).update(
        light="red", since_date=datetime.date(2026, 3, 2)
    )
    run_ladder(lit, today=TODAY)
    return Proposal.objects.get(subject_kind="unit", kind="order")


def test_a_unit_is_named_by_its_name_in_the_ladders_proposal(
    unit_proposal, login, api, office_clerk, projects_member, leader
):
    # The ladder stores the name people read, not the unit's code.
    assert unit_proposal.facts["label"] == UNIT_NAME
    for user in (office_clerk, projects_member, leader):
        page = login(user).get("/supervision/proposals/").content.decode()
        assert UNIT_NAME in page, user.username
        listed = api(user).get("/api/v1/proposals").json()["items"]
        assert [p["subject"] for p in listed if p["subject_kind"] == "unit"] == [UNIT_NAME]


def test_an_order_about_a_unit_names_it_and_links_its_page(
    unit_proposal, login, api, office_clerk, fgj_reporter, leader
):
    office = login(office_clerk)
    response = office.post(
        "/supervision/proposals/{}/confirm/".format(unit_proposal.pk), {"reason": "滞后属实"}
    )
    assert response.status_code == 302
    order = SupervisionOrder.objects.get(subject_kind="unit")
    assert order.subject_label == UNIT_NAME
    made = api(office_clerk).post(
        "/api/v1/orders",
        {
            "subject_kind": "unit",
            "subject": "hdjd",
            "problem": "滞后",
            "requirement": "整改",
            "colour": "blue",
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content.decode()
    assert made.json()["subject"] == "黄岛街道"
    for user in (office_clerk, fgj_reporter, leader):
        client = login(user)
        page = client.get("/supervision/orders/{}/".format(order.pk)).content.decode()
        assert UNIT_NAME in page and "/org/units/fgj/" in page, user.username
        assert UNIT_NAME in client.get("/supervision/orders/").content.decode(), user.username
        detail = api(user).get("/api/v1/orders/{}".format(order.pk)).json()
        assert detail["subject"] == UNIT_NAME, user.username
        client.logout()


def test_a_talk_about_a_unit_names_it(lit, login, api, office_clerk, fgj):
    response = login(office_clerk).post(
        "/supervision/talks/new/",
        {"unit": fgj.code, "kind": "unit", "talk_type": "work", "reason": "连续亮红灯"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    talk = Talk.objects.get()
    assert UNIT_NAME in talk.subject_label and talk.subject_label != "fgj"
    page = login(office_clerk).get("/supervision/talks/{}/".format(talk.pk)).content.decode()
    assert UNIT_NAME in page
    read = api(office_clerk).get("/api/v1/talks/{}".format(talk.pk)).json()
    assert UNIT_NAME in read["matter"]
