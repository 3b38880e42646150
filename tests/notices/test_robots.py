"""The office keeps the group robots: what an address may be, and what each kind receives.

Addresses are typed into the office's page; a robot that is not http(s), or that points
into the intranet or at this machine, is refused in Chinese, naming the field, and
nothing is stored. 钉钉 robots with a secret get their timestamp signed.
"""

import base64
import hashlib
import hmac
import json
import urllib.parse

import pytest
from django.utils import timezone

from tests.notices.conftest import hook_url
from vanguard.notices.delivery import send_pending
from vanguard.notices.models import Delivery, Webhook
from vanguard.notices.send import robot_delivery

pytestmark = pytest.mark.django_db


def add_robot(client, unit, url, kind="wecom", **extra):
    return client.post(
        "/notices/robots/", {"name": "工作群", "kind": kind, "url": url, "unit": unit.code, **extra}
    )


@pytest.mark.parametrize(
    "url, says",
    [
        ("ftp://robot.example.cn/send", "必须以 http:// 或 https:// 开头"),
        ("javascript:alert(1)", "必须以 http:// 或 https:// 开头"),
        ("http://10.1.2.3/send", "内网或本机地址"),
        ("http://192.168.0.8:8080/send", "内网或本机地址"),
        ("http://127.0.0.1:9/send", "内网或本机地址"),
        ("http://localhost/send", "内网或本机地址"),
        ("http://[::1]/send", "内网或本机地址"),
        ("http://169.254.169.254/latest/meta-data", "内网或本机地址"),
    ],
)
def test_the_office_may_not_point_a_robot_anywhere_but_a_public_http_address(
    client, login, office_clerk, fgj, url, says
):
    login(office_clerk)
    response = add_robot(client, fgj, url)
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not Webhook.objects.exists()


def test_the_operator_may_allow_a_local_receiver(client, login, office_clerk, fgj, settings):
    settings.NOTICE_WEBHOOK_ALLOW_HOSTS = ["127.0.0.1"]
    login(office_clerk)
    assert add_robot(client, fgj, "http://127.0.0.1:9/send").status_code == 302
    hook = Webhook.objects.get()
    assert hook.unit == fgj
    assert "工作群" in client.get("/notices/robots/").content.decode()
    # The change log holds no robot key.
    from vanguard.audit.models import ChangeEntry

    logged = json.dumps(list(ChangeEntry.objects.values_list("after", flat=True)))
    assert "127.0.0.1:9" not in logged


def test_only_the_office_keeps_robots(client, login, fgj_reporter, fgj, settings):
    settings.NOTICE_WEBHOOK_ALLOW_HOSTS = ["127.0.0.1"]
    login(fgj_reporter)
    assert add_robot(client, fgj, "http://127.0.0.1:9/send").status_code == 403
    assert client.get("/notices/robots/").status_code == 403
    assert client.get("/notices/deliveries/").status_code == 403
    assert not Webhook.objects.exists()


def test_a_signed_dingtalk_robot_gets_its_timestamp_and_signature(
    client, login, office_clerk, fgj, receiver
):
    login(office_clerk)
    url = hook_url(receiver, "/robot/send?access_token=tok")
    assert add_robot(client, fgj, url, kind="dingtalk", secret="SECabc123").status_code == 302
    hook = Webhook.objects.get()
    robot_delivery(hook, "k1", "先锋提醒", ["XHA-0300 将于 2026-06-22 到期"], [], timezone.now())
    assert send_pending() == (1, 0)

    post = receiver.posts[0]
    assert post["query"]["access_token"] == "tok"
    timestamp = post["query"]["timestamp"]
    expected = base64.b64encode(
        hmac.new(b"SECabc123", "{}\nSECabc123".format(timestamp).encode(), hashlib.sha256).digest()
    ).decode()
    assert post["query"]["sign"] == expected
    assert post["body"] == {
        "msgtype": "markdown",
        "markdown": {"title": "先锋提醒", "text": "### 先锋提醒\n- XHA-0300 将于 2026-06-22 到期"},
    }


def test_a_json_webhook_gets_the_items(client, login, office_clerk, fgj, receiver):
    login(office_clerk)
    assert add_robot(client, fgj, hook_url(receiver, "/hook"), kind="webhook").status_code == 302
    hook = Webhook.objects.get()
    item = {"subject": "今日到期：XHA-0300", "due": "2026-06-22", "url": "/projects/p/XHA-0300/"}
    robot_delivery(hook, "k1", "先锋提醒", ["今日到期：XHA-0300"], [item], timezone.now())
    send_pending()
    assert receiver.posts[0]["body"] == {
        "subject": "先锋提醒",
        "text": "今日到期：XHA-0300",
        "items": [item],
    }


def test_a_robot_that_refuses_is_tried_again_later_and_the_office_sees_it(
    client, login, office_clerk, fgj, receiver
):
    login(office_clerk)
    add_robot(client, fgj, hook_url(receiver))
    hook = Webhook.objects.get()
    receiver.answer = (200, {"errcode": 93000, "errmsg": "invalid webhook url"})
    now = timezone.now()
    robot_delivery(hook, "k1", "先锋提醒", ["今日到期"], [], now)
    assert send_pending(now=now) == (0, 1)

    delivery = Delivery.objects.get()
    assert delivery.state == "pending" and delivery.attempts == 1
    assert "93000" in delivery.last_error and delivery.next_attempt_at > now
    page = client.get("/notices/deliveries/").content.decode()
    assert "93000" in page and "企业微信群机器人" in page
    # Not before its time; then it goes through.
    assert send_pending(now=now) == (0, 0)
    receiver.answer = (200, {"errcode": 0, "errmsg": "ok"})
    assert send_pending(now=delivery.next_attempt_at) == (1, 0)
    assert Delivery.objects.get().state == "sent"


def test_a_robot_moved_to_a_private_address_is_refused_when_posting(
    client, login, office_clerk, fgj, receiver, settings
):
    login(office_clerk)
    add_robot(client, fgj, hook_url(receiver))
    settings.NOTICE_WEBHOOK_ALLOW_HOSTS = []
    robot_delivery(Webhook.objects.get(), "k1", "先锋提醒", ["今日到期"], [], timezone.now())
    assert send_pending() == (0, 1)
    assert receiver.posts == []
    assert "内网或本机地址" in Delivery.objects.get().last_error


def test_the_signature_matches_the_documented_example():
    from vanguard.notices.robots import dingtalk_sign

    # timestamp + "\n" + secret, HMAC-SHA256 keyed with the secret, Base64, URL-encoded.
    digest = hmac.new(b"SEC000", b"1700000000000\nSEC000", hashlib.sha256).digest()
    assert dingtalk_sign("SEC000", 1700000000000) == urllib.parse.quote_plus(
        base64.b64encode(digest)
    )
