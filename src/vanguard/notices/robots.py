"""Group robots: what 企业微信, 钉钉 and a plain JSON webhook are sent, and how.

企业微信 (WeCom) robot: POST ``{"msgtype": "markdown", "markdown": {"content": ...}}`` to
its address (which carries the robot's key); markdown content at most 4096 bytes.
钉钉 (DingTalk) robot: POST ``{"msgtype": "markdown", "markdown": {"title", "text"}}``;
with a signing secret the address gets ``timestamp`` (milliseconds) and ``sign``: the
HMAC-SHA256 of ``timestamp + "\\n" + secret`` keyed with the secret, Base64, URL-encoded.
Both answer ``{"errcode": 0, "errmsg": "ok"}``; any other errcode is a failure.
A JSON webhook gets ``{"subject", "text", "items": [...]}`` and must answer 2xx.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request

from vanguard.notices.addresses import check_webhook_url
from vanguard.notices.choices import Channel

TIMEOUT_SECONDS = 10
WECOM_MAX_BYTES = 4096


class RobotError(Exception):
    """A post the robot refused or that never arrived; the delivery is tried again later."""


def markdown(subject, lines):
    """The message as markdown: a heading and one line per item."""
    return "\n".join(["### " + subject, *("- " + line for line in lines)])


def _clip(text, limit):
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode("utf-8", "ignore") + "…"


def payload(kind, subject, lines, items=()):
    """The JSON body for a robot of ``kind`` carrying ``subject`` and ``lines``."""
    if kind == Channel.WECOM:
        return {
            "msgtype": "markdown",
            "markdown": {"content": _clip(markdown(subject, lines), WECOM_MAX_BYTES)},
        }
    if kind == Channel.DINGTALK:
        return {
            "msgtype": "markdown",
            "markdown": {"title": subject, "text": markdown(subject, lines)},
        }
    return {"subject": subject, "text": "\n".join(lines), "items": list(items)}


def dingtalk_sign(secret, timestamp_ms):
    """The ``sign`` parameter of a signed DingTalk robot for ``timestamp_ms``."""
    to_sign = "{}\n{}".format(timestamp_ms, secret).encode("utf-8")
    digest = hmac.new(secret.encode("utf-8"), to_sign, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def signed_url(url, secret, timestamp_ms=None):
    """``url`` with DingTalk's ``timestamp`` and ``sign`` added."""
    timestamp_ms = timestamp_ms or int(time.time() * 1000)
    joiner = "&" if urllib.parse.urlsplit(url).query else "?"
    return "{}{}timestamp={}&sign={}".format(
        url, joiner, timestamp_ms, dingtalk_sign(secret, timestamp_ms)
    )


def post(webhook, body):
    """Post ``body`` (a dict) to ``webhook``; raise RobotError unless the robot took it."""
    from django.core.exceptions import ValidationError

    try:
        url = check_webhook_url(webhook.url)
    except ValidationError as exc:
        raise RobotError("; ".join(exc.messages)) from None
    if webhook.kind == Channel.DINGTALK and webhook.secret:
        url = signed_url(url, webhook.secret)
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    # Redirects are not followed: a robot's address answers itself, and a redirect could
    # lead past the address check.
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            status, text = response.status, response.read(65536).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        raise RobotError("HTTP {}".format(exc.code)) from None
    except (urllib.error.URLError, OSError) as exc:
        raise RobotError(str(getattr(exc, "reason", exc))[:300]) from None
    if not 200 <= status < 300:
        raise RobotError("HTTP {}".format(status))
    if webhook.kind in (Channel.WECOM, Channel.DINGTALK):
        try:
            answer = json.loads(text or "{}")
        except ValueError:
            raise RobotError("not JSON: " + text[:200]) from None
        if answer.get("errcode", 0) != 0:
            raise RobotError(
                "errcode {}: {}".format(answer.get("errcode"), answer.get("errmsg", ""))[:300]
            )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
