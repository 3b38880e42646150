"""The inbox through the API: the caller's own notices, unread first asked, marked read."""

import pytest

from vanguard.notices.send import notify_unit

pytestmark = pytest.mark.django_db


def test_a_reporter_reads_and_marks_their_notices_through_the_api(
    client, login, fgj, fgj_reporter, hdjd, hdjd_reporter, campaign
):
    notify_unit(
        fgj.pk, kind="due_today", subject="今日到期：一号项目", key="api:1", campaign=campaign
    )
    notify_unit(
        fgj.pk, kind="due_today", subject="今日到期：二号项目", key="api:2", campaign=campaign
    )
    notify_unit(
        hdjd.pk, kind="due_today", subject="今日到期：黄岛项目", key="api:3", campaign=campaign
    )

    api = login(fgj_reporter)
    mine = api.get("/api/v1/notices?unread=true").json()
    subjects = {n["subject"] for n in mine["items"]}
    assert subjects == {"今日到期：一号项目", "今日到期：二号项目"}
    first = mine["items"][0]["id"]

    marked = api.post("/api/v1/notices/read", {"ids": [first]}, content_type="application/json")
    assert marked.json() == {"marked": 1}
    assert len(api.get("/api/v1/notices?unread=true").json()["items"]) == 1
    assert api.post("/api/v1/notices/read", {}, content_type="application/json").json() == {
        "marked": 1
    }
    assert api.get("/api/v1/notices?unread=true").json()["items"] == []
    # Another unit's notice is never among them, nor marked by them.
    assert len(api.get("/api/v1/notices").json()["items"]) == 2
