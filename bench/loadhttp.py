"""The HTTP side of bench/load.py: signed-in people, requests timed and judged, records.

Plain threads over urllib3 (no browser, no Django). Outcomes of a request:

- ``ok``: the answer the door gives when it did what was asked (a page 200, a form's 302,
  the API's 200/201);
- ``refused``: the door said no in words because someone else changed the report first
  (the API's 409/422 without ``retry``; a report form shown again with its error);
- ``error``: anything else: a 5xx, a 409 asking to send again (a broken deadlock), a 503
  (a busy database), an unexpected status, a timeout or a broken connection.
"""

import http.cookies
import json
import re
import threading
import time
from urllib.parse import urlencode, urlsplit

import urllib3

REFUSED = "refused"
OK = "ok"
ERROR = "error"
# Kept of each kind of error and refusal, to show what they were.
KEEP_DETAILS = 5

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_FORM = re.compile(r'<form method="post".*?</form>', re.S)
_INPUT = re.compile(r"<input\b([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_SELECTED = re.compile(
    r'<select[^>]*name="([^"]+)"[^>]*>(?:(?!</select>).)*?<option value="([^"]*)"[^>]*selected',
    re.S,
)
_FORM_ERROR = re.compile(
    r"alert-danger[^>]*>(.*?)</div>\s*</div>|invalid-feedback[^>]*>(.*?)<", re.S
)
_TAG = re.compile(r"<[^>]+>")


class Failed(Exception):
    """A request of an action failed; the action stops (the failure is recorded)."""


class Identity:
    """One signed-in person: the session cookies of a browser, or an API token."""

    KEPT = ("sessionid", "csrftoken", "django_language")

    def __init__(self, username, *, token=None, cookies=None):
        self.username = username
        self.token = token
        self.cookies = dict(cookies or {})
        self._lock = threading.Lock()

    def cookie_header(self, extra=None):
        with self._lock:
            jar = dict(self.cookies)
        jar.update(extra or {})
        return "; ".join("{}={}".format(k, v) for k, v in jar.items())

    def take(self, response):
        """Keep the session's cookies from ``response``; return the others (its messages)."""
        others = {}
        for header in response.headers.getlist("Set-Cookie"):
            jar = http.cookies.SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                gone = morsel["max-age"] == "0" or not morsel.value
                if name in self.KEPT:
                    with self._lock:
                        if gone:
                            self.cookies.pop(name, None)
                        else:
                            self.cookies[name] = morsel.value
                elif not gone:
                    others[name] = morsel.value
        return others


class Recorder:
    """Every request's kind, outcome and latency; every write's claim, for the verifier."""

    def __init__(self):
        self.samples = []
        self.writes = []
        self.details = {}
        self._lock = threading.Lock()

    def add(self, kind, outcome, seconds, detail=None):
        self.samples.append((kind, outcome, seconds))
        if detail is not None and outcome != OK:
            with self._lock:
                kept = self.details.setdefault((kind, outcome), [])
                if len(kept) < KEEP_DETAILS:
                    kept.append(detail)

    def write(self, **claim):
        self.writes.append(claim)
        return claim


def loopback_only(url):
    """Refuse a server that is not on this machine: a load test is no thing to aim elsewhere."""
    import ipaddress
    import socket

    host = urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror as error:
        raise SystemExit("load: cannot resolve {}: {}".format(host, error)) from None
    if not addresses or not all(ipaddress.ip_address(a).is_loopback for a in addresses):
        raise SystemExit(
            "load: {} is not a loopback address; the load benchmark runs only against a"
            " server on this machine (127.0.0.1, ::1, localhost).".format(host)
        )


class Client:
    """Sends requests for the actions, times and classifies them."""

    def __init__(self, base_url, recorder, *, timeout=30.0, maxsize=1024):
        loopback_only(base_url)
        parts = urlsplit(base_url)
        self.pool = urllib3.HTTPConnectionPool(
            parts.hostname,
            parts.port or 80,
            maxsize=maxsize,
            block=False,
            retries=False,
            timeout=urllib3.Timeout(connect=10.0, read=timeout),
        )
        self.recorder = recorder

    def close(self):
        """Close the kept connections (a server's thread may hold a database connection)."""
        self.pool.close()

    def send(self, method, path, who, *, form=None, data=None, messages=None):
        headers = {"Accept-Language": "zh-CN,zh", "User-Agent": "vanguard-load"}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif data is not None:
            body = json.dumps(data).encode()
            headers["Content-Type"] = "application/json"
        if who.token and path.startswith("/api/"):
            headers["Authorization"] = "Bearer " + who.token
        else:
            cookie = who.cookie_header(messages)
            if cookie:
                headers["Cookie"] = cookie
        return self.pool.urlopen(
            method, path, body=body, headers=headers, redirect=False, retries=False
        )

    def call(self, kind, method, path, who, *, judge, due=None, **kwargs):
        """Send a request and record it as ``kind``; return (response, outcome, other cookies).

        ``judge(response)`` says ok, refused or error (with a detail); an error stops the
        action (Failed).
        """
        due = time.perf_counter() if due is None else due
        try:
            response = self.send(method, path, who, **kwargs)
        except Exception as error:  # noqa: BLE001 - a timeout or a reset connection
            self.recorder.add(kind, ERROR, time.perf_counter() - due, repr(error)[:200])
            raise Failed(kind) from None
        elapsed = time.perf_counter() - due
        outcome, detail = judge(response)
        self.recorder.add(kind, outcome, elapsed, detail)
        others = who.take(response)
        if outcome == ERROR:
            raise Failed(kind)
        return response, outcome, others


def text_of(response, limit=300):
    return response.data.decode("utf-8", "replace")[:limit]


def status_is(*codes):
    def judge(response):
        if response.status in codes:
            return OK, None
        return ERROR, "{} {}".format(response.status, text_of(response))

    return judge


def api_write(ok_code):
    """The API's answer to a write: ok_code, or a refusal in words (409/422 without retry)."""

    def judge(response):
        if response.status == ok_code:
            return OK, None
        if response.status in (409, 422):
            try:
                body = json.loads(response.data)
            except ValueError:
                body = {}
            if "message" in body and not body.get("retry"):
                return REFUSED, body["message"][:200]
        return ERROR, "{} {}".format(response.status, text_of(response))

    return judge


def page_write(taken):
    """A form's answer: a 302 to where ``taken(path)`` says a taken form leads (a refusal
    may redirect too, elsewhere, with a message), or the form again with its error."""

    def judge(response):
        if response.status == 302:
            where = urlsplit(response.headers.get("Location", "")).path
            if taken(where):
                return OK, None
            return REFUSED, "sent on to {}".format(where)
        if response.status == 200:
            found = _FORM_ERROR.search(response.data.decode("utf-8", "replace"))
            if found:
                words = _TAG.sub(" ", found.group(1) or found.group(2) or "")
                return REFUSED, " ".join(words.split())[:200]
            return ERROR, "200 without the form's error"
        return ERROR, "{} {}".format(response.status, text_of(response))

    return judge


def form_fields(html):
    """The fields of the page's POST form as a browser would send them unchanged."""
    found = _FORM.search(html)
    if not found:
        return {}
    form = found.group(0)
    fields = {}
    for attributes in _INPUT.findall(form):
        attrs = dict(_ATTR.findall(attributes))
        if "name" in attrs and attrs.get("type") not in ("checkbox", "submit"):
            fields[attrs["name"]] = attrs.get("value", "")
    for name, value in _SELECTED.findall(form):
        fields[name] = value
    return fields


def sign_in(client, username, password):
    """Sign in through the login page, as a browser does; returns the session's cookies."""
    who = Identity(username)
    response, _o, _m = client.call("sign in: page", "GET", "/login/", who, judge=status_is(200))
    csrf = CSRF.search(response.data.decode("utf-8", "replace")).group(1)
    form = {"csrfmiddlewaretoken": csrf, "username": username, "password": password, "next": "/"}
    client.call("sign in", "POST", "/login/", who, judge=status_is(302), form=form)
    if "sessionid" not in who.cookies:
        raise SystemExit("load: {} could not sign in".format(username))
    return dict(who.cookies)
