"""What supervision says about a list item is its battle's business, as the item is: the
orders, the ladder's proposals and the talks about an item are seen by the office and
leaders, by the task force of the item's battle and by the item's own unit, never by
another battle's task force, on the pages (list and detail) and in the API."""

import datetime

import pytest

from tests.lists.conftest import signed_in
from tests.lists.test_battle_scope import lit  # noqa: F401 (the fixture)
from vanguard.lists.models import ListItem
from vanguard.supervision.models import LightState, Proposal, SupervisionOrder, Talk
from vanguard.supervision.orders.ladder import run_ladder

pytestmark = pytest.mark.django_db

FGJ = "QD-FGJ-01"  # the development and reform bureau's, projects battle
HDJD = "QD-HDJD-01"  # Huangdao street's, city-work battle
BOTH = {FGJ, HDJD}

# Who sees the orders and talks about which item.
SEES = {
    "office": BOTH,
    "leader": BOTH,
    "tf_projects": {FGJ},
    "tf_citywork": {HDJD},
    "reporter_fgj": {FGJ},
    "reporter_hdjd": {HDJD},
}
# The ladder's proposals are the office's, the task forces' and the leaders' to read.
SEES_PROPOSALS = {who: SEES[who] for who in ("office", "leader", "tf_projects", "tf_citywork")}


@pytest.fixture
def matters(lit):  # noqa: F811
    """Both items red since January: the ladder proposes an order about each; the office
    then issues an order and proposes a talk about each through the API."""
    campaign = lit["campaign"]
    items = {code: ListItem.objects.get(code=code) for code in BOTH}
    LightState.objects.filter(
        campaign=campaign, kind="listitem", object_id__in=[i.pk for i in items.values()]
    ).update(light="red", since_date=datetime.date(2026, 1, 5))
    run_ladder(campaign, today=datetime.date(2026, 6, 15))
    office = signed_in(lit["office"])
    for code, unit in ((FGJ, "fgj"), (HDJD, "hdjd")):
        response = office.post(
            "/api/v1/orders",
            {
                "subject_kind": "listitem",
                "subject": code,
                "problem": "进度滞后",
                "requirement": "限期整改",
                "colour": "yellow",
            },
            content_type="application/json",
        )
        assert response.status_code == 201, response.content.decode()
        response = office.post(
            "/api/v1/talks",
            {
                "unit": unit,
                "kind": "listitem",
                "subject": code,
                "talk_type": "work",
                "reason": "清单事项连续亮红灯",
            },
            content_type="application/json",
        )
        assert response.status_code == 201, response.content.decode()
    ids = {code: item.pk for code, item in items.items()}
    assert {code for code in BOTH if Proposal.objects.filter(object_id=ids[code]).exists()} == BOTH
    return lit, ids


def _code(ids, object_id):
    return {pk: code for code, pk in ids.items()}.get(object_id)


@pytest.mark.parametrize("who", sorted(SEES))
def test_orders_about_an_item_are_seen_by_its_battle_only(matters, who):
    world, ids = matters
    client = signed_in(world[who])
    listed = client.get("/api/v1/orders?page_size=100")
    assert listed.status_code == 200
    seen = {_code(ids, o["object_id"]) for o in listed.json()["items"]}
    assert seen == SEES[who]
    page = client.get("/supervision/orders/").content.decode()
    for code, pk in ids.items():
        order = SupervisionOrder.objects.get(subject_kind="listitem", object_id=pk)
        assert (code in page) is (code in SEES[who]), code
        detail = client.get("/supervision/orders/{}/".format(order.pk))
        assert (detail.status_code == 200) is (code in SEES[who]), (code, detail.status_code)
        api = client.get("/api/v1/orders/{}".format(order.pk))
        assert (api.status_code == 200) is (code in SEES[who]), (code, api.status_code)


@pytest.mark.parametrize("who", sorted(SEES_PROPOSALS))
def test_proposals_about_an_item_are_seen_by_its_battle_only(matters, who):
    world, ids = matters
    client = signed_in(world[who])
    listed = client.get("/api/v1/proposals?page_size=100")
    assert listed.status_code == 200
    seen = {
        _code(ids, p["object_id"])
        for p in listed.json()["items"]
        if p["subject_kind"] == "listitem"
    }
    assert seen - {None} == SEES_PROPOSALS[who]
    for url in ("/supervision/proposals/", "/supervision/"):
        page = client.get(url).content.decode()
        for code in BOTH:
            assert (code in page) is (code in SEES_PROPOSALS[who]), (url, code)
    # Deciding one is the office's alone.
    for code, pk in ids.items():
        proposal = Proposal.objects.get(subject_kind="listitem", object_id=pk)
        response = client.post(
            "/api/v1/proposals/{}/dismiss".format(proposal.pk),
            {"reason": "已督促"},
            content_type="application/json",
        )
        if who != "office":
            assert response.status_code in (403, 404), (code, response.status_code)


@pytest.mark.parametrize("who", sorted(SEES))
def test_talks_about_an_item_are_seen_by_its_battle_only(matters, who):
    world, ids = matters
    client = signed_in(world[who])
    listed = client.get("/api/v1/talks?page_size=100")
    assert listed.status_code == 200
    seen = {_code(ids, t["object_id"]) for t in listed.json()["items"]}
    assert seen <= SEES[who]
    page = client.get("/supervision/talks/").content.decode()
    for code, pk in ids.items():
        talk = Talk.objects.get(kind="listitem", object_id=pk)
        visible = code in seen
        assert (code in page) is visible, code
        detail = client.get("/supervision/talks/{}/".format(talk.pk))
        assert (detail.status_code == 200) is visible, (code, detail.status_code)
        api = client.get("/api/v1/talks/{}".format(talk.pk))
        assert (api.status_code == 200) is visible, (code, api.status_code)
    if who.startswith(("tf_", "office", "leader")):
        assert seen == SEES[who]
