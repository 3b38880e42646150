"""The display board: a hall screen opens it by a signed, revocable kiosk link that shows
no personal data; a reader of every unit opens it signed in; nobody else does."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.conftest import make_person
from vanguard.board.models import ScreenLink
from vanguard.org.choices import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(settings, db):
    from vanguard.org.models import Campaign

    call_command("loadplan", str(settings.PROJECT_DIR / "plans" / "xihaian.yaml"), verbosity=0)
    return Campaign.objects.get(code="xihaian-2026")


def issue(*args):
    out = io.StringIO()
    call_command("board", "link", *args, stdout=out)
    return out.getvalue().strip()


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def test_a_kiosk_link_opens_the_board_and_its_data_without_an_account(client, plan, fgj):
    person = make_person("reporter_x", "张三丰", fgj, Role.UNIT_REPORTER, reporter_unit=fgj)
    url = issue("--screen", "hall-1", "--rotate", "15")
    assert "/board/screen/?k=" in url
    page = client.get(path_of(url))
    assert page.status_code == 200
    assert "screen-config" in page.content.decode()
    data = client.get(path_of(url).replace("/board/screen/", "/board/screen/data/"))
    assert data.status_code == 200
    body = data.content.decode()
    ids = [p["id"] for p in data.json()["pages"]]
    assert ids[0] == "overview" and {"charts", "ranking", "map"} <= set(ids)
    assert "battle-projects" in ids
    # No personal data: no person's name or account.
    assert "张三丰" not in body and person.username not in body
    assert ScreenLink.objects.get(name="hall-1").last_seen_at is not None


def test_a_revoked_or_replaced_link_stops_and_says_so(client, plan):
    first = path_of(issue("--screen", "hall-1"))
    second = path_of(issue("--screen", "hall-1"))
    refused = client.get(first)
    assert refused.status_code == 403 and "已撤销" in refused.content.decode()
    assert client.get(second).status_code == 200
    call_command("board", "revoke", "--screen", "hall-1", stdout=io.StringIO())
    assert client.get(second).status_code == 403
    data = client.get(second.replace("/board/screen/", "/board/screen/data/"))
    assert data.status_code == 403 and "已撤销" in data.json()["detail"]


def test_an_expired_or_forged_link_is_refused(client, plan):
    url = path_of(issue("--screen", "hall-2", "--days", "1"))
    ScreenLink.objects.filter(name="hall-2").update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    expired = client.get(url)
    assert expired.status_code == 403 and "已过期" in expired.content.decode()
    forged = client.get(url[:-3] + "xyz")
    assert forged.status_code == 403 and "无效" in forged.content.decode()


def test_the_command_refuses_bad_input_in_words(plan):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="屏幕名称"):
        call_command("board", "link", "--screen", "大厅 1", stdout=io.StringIO())
    with pytest.raises(CommandError, match="正整数"):
        call_command("board", "link", "--screen", "hall", "--days", "0", stdout=io.StringIO())
    with pytest.raises(CommandError, match="没有"):
        call_command("board", "revoke", "--screen", "nowhere", stdout=io.StringIO())


def test_signed_in_only_readers_of_every_unit_open_the_board(
    login, client, plan, leader, fgj_reporter
):
    assert client.get("/board/screen/").status_code == 302
    assert login(leader).get("/board/screen/").status_code == 200
    assert client.get("/board/screen/data/").json()["pages"]
    client.logout()
    assert login(fgj_reporter).get("/board/screen/").status_code == 403
    assert client.get("/board/screen/data/").status_code == 403
