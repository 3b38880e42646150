"""The deadline mix of bench/load.py and its two load models, closed and open.

Each write is remembered with what it said (its progress text carries a unique mark), so
loadcheck.verify can prove after the run that every acknowledged write is stored once
with its values and that every refused one left nothing. The requests go through
loadhttp.Client, which times and judges them.

Latency of a request is counted from when it was due: in the open model the first
request of an action is due at its scheduled arrival, whether or not a thread was free
to send it then (so a slow server cannot hide its backlog, "coordinated omission"); a
later request of the same action is due when the answer it depends on arrived.
"""

import contextlib
import itertools
import json
import random
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from loadhttp import (
    CSRF,
    ERROR,
    OK,
    Failed,
    Identity,
    api_write,
    form_fields,
    page_write,
    status_is,
)

# The deadline mix: (action, weight, requests it makes on its usual path). Reporters file
# and revise (or, once the dekad is certified, correct) by page and by API; readers open
# the overview, the node matrix, the project list and pages, and the API's list; the
# projects task force certifies in batches by page and by API.
MIX = (
    ("file by page", 24, 2),
    ("file by API", 24, 2),
    ("overview", 10, 1),
    ("node matrix", 8, 1),
    ("project list", 10, 1),
    ("project page", 10, 1),
    ("projects API", 6, 1),
    ("certify by page", 4, 3),
    ("certify by API", 4, 2),
)
# An action of the open model that found no free thread before its schedule ended.
NOT_SENT = "(not sent: no thread free)"
# Seconds an arrival may still wait for a thread after the schedule's end.
START_GRACE = 2.0
# The most reports one certification names.
BATCH = 10

_CORRECTION_LINK = re.compile(r'href="/projects/reports/(\d+)/correction/"')
_REPORT_PAGE = re.compile(r"/projects/reports/(\d+)/")
_CORRECTION_PAGE = re.compile(r"/projects/reports/(\d+)/correction/")
_QUEUE_ITEM = re.compile(r'name="report" value="(\d+)"')
_SUCCESS = re.compile(r'alert-success" role="alert">([^<]*)<')
_WARNING = re.compile(r'alert-warning" role="alert">([^<]*)<')
# How a refusal names the report it did not certify (旬报 123 / report 123).
_NAMED = re.compile(r"(?:旬报|[Rr]eport) (\d+)")
_NUMBER = re.compile(r"\d+")


def _new_report(corrected):
    """A correction taken leads to its own page; a refused one back to a report's page,
    or to the correction of the report certified in the meantime."""

    def taken(path):
        shown = _REPORT_PAGE.fullmatch(path)
        return bool(shown) and int(shown.group(1)) != corrected

    return taken


def expected_requests_per_action():
    """Requests an action of the mix makes on average (its usual path)."""
    total = sum(weight for _name, weight, _n in MIX)
    return sum(weight * n for _name, weight, n in MIX) / total


class World:
    """What the setup prepared (see loadcheck.setup): people, projects, the dekad."""

    def __init__(self, prepared, sessions):
        self.run = prepared["run"]
        self.dekad = prepared["dekad"]
        self.page_reporters = [
            (Identity(r["username"], cookies=sessions[r["username"]]), r["projects"])
            for r in prepared["page_reporters"]
        ]
        self.api_reporters = [
            (Identity(r["username"], token=r["token"]), r["projects"])
            for r in prepared["api_reporters"]
        ]
        self.leader = Identity(prepared["leader"], cookies=sessions[prepared["leader"]])
        self.office = Identity(prepared["office"], cookies=sessions[prepared["office"]])
        self.reader_token = Identity(prepared["leader"], token=prepared["tokens"]["leader"])
        tf = prepared["task_force"]
        self.task_force = Identity(tf, cookies=sessions[tf])
        self.task_force_token = Identity(tf, token=prepared["tokens"]["task_force"])
        self.project_pages = prepared["list_pages"]
        self._seq = itertools.count(1)

    def mark(self):
        """A unique mark for a filing's progress text: the verifier finds it by this."""
        return "[{}-{}]".format(self.run, next(self._seq))


class Mix:
    """The actions of the deadline mix; each sends its requests through ``client``."""

    def __init__(self, client, world, only=None):
        self.client = client
        self.world = world
        self.actions = {
            "file by page": self.file_by_page,
            "file by API": self.file_by_api,
            "overview": self.overview,
            "node matrix": self.node_matrix,
            "project list": self.project_list,
            "project page": self.project_page,
            "projects API": self.projects_api,
            "certify by page": self.certify_by_page,
            "certify by API": self.certify_by_api,
        }
        # ``only``: these actions alone, at their weights (to measure them one by one).
        chosen = [(name, weight) for name, weight, _n in MIX if not only or name in only]
        if not chosen:
            raise SystemExit("load: no such action: {}".format(", ".join(only)))
        self._names = [name for name, _w in chosen]
        self._weights = [weight for _name, weight in chosen]

    def pick(self, rng):
        return rng.choices(self._names, self._weights)[0]

    def run(self, name, rng, due=None):
        with contextlib.suppress(Failed):
            self.actions[name](rng, due)

    # --- readers ---------------------------------------------------------------------------

    def overview(self, rng, due):
        self.client.call(
            "page: overview", "GET", "/", self.world.leader, judge=status_is(200), due=due
        )

    def node_matrix(self, rng, due):
        self.client.call(
            "page: node matrix",
            "GET",
            "/projects/matrix/",
            self.world.office,
            judge=status_is(200),
            due=due,
        )

    def project_list(self, rng, due):
        page = rng.randint(1, self.world.project_pages)
        self.client.call(
            "page: project list",
            "GET",
            "/projects/?page={}".format(page),
            self.world.leader,
            judge=status_is(200),
            due=due,
        )

    def project_page(self, rng, due):
        who, projects = rng.choice(self.world.page_reporters)
        self.client.call(
            "page: project",
            "GET",
            "/projects/p/{}/".format(rng.choice(projects)),
            who,
            judge=status_is(200),
            due=due,
        )

    def projects_api(self, rng, due):
        path = "/api/v1/projects?page={}".format(
            rng.randint(1, max(1, self.world.project_pages // 2))
        )
        self.client.call(
            "API: projects", "GET", path, self.world.reader_token, judge=status_is(200), due=due
        )

    # --- reporters -------------------------------------------------------------------------

    def file_by_page(self, rng, due):
        """Open the dekad's report form and send it; a certified dekad is corrected instead."""
        who, projects = rng.choice(self.world.page_reporters)
        code = rng.choice(projects)
        path = "/projects/p/{}/report/".format(code)
        response, _o, _m = self.client.call(
            "page: report form", "GET", path, who, judge=status_is(200), due=due
        )
        html = response.data.decode("utf-8", "replace")
        certified = _CORRECTION_LINK.search(html)
        if certified:
            self._correct_by_page(rng, who, code, int(certified.group(1)))
            return
        fields = form_fields(html)
        mark, wan = self.world.mark(), rng.randint(1, 200)
        revises = fields.get("replaces", "")
        fields.update(progress="{} 主体施工推进（页面）".format(mark), investment_wan=str(wan))
        claim = self.client.recorder.write(
            kind="file",
            door="page",
            mark=mark,
            user=who.username,
            project=code,
            period=fields.get("period") or self.world.dekad,
            investment_yuan=wan * 10_000,
            revises=int(revises) if revises.isdigit() else None,
            t0=time.time(),
        )
        kind = "page: revise report" if revises else "page: file report"
        # A report taken leads to its project's page.
        taken = "/projects/p/{}/".format(code).__eq__
        self._post_form(kind, path, who, fields, claim, taken)

    def _correct_by_page(self, rng, who, code, report_id):
        path = "/projects/reports/{}/correction/".format(report_id)
        response, _o, _m = self.client.call(
            "page: correction form", "GET", path, who, judge=status_is(200, 302)
        )
        if response.status == 302:
            # Certified again meanwhile: the page sends the browser on to the correction
            # of the report that counts now.
            path = urlsplit(response.headers.get("Location", "")).path
            shown = _CORRECTION_PAGE.fullmatch(path)
            if not shown:
                return
            report_id = int(shown.group(1))
            response, _o, _m = self.client.call(
                "page: correction form", "GET", path, who, judge=status_is(200)
            )
        fields = form_fields(response.data.decode("utf-8", "replace"))
        mark, wan = self.world.mark(), rng.randint(1, 200)
        fields.update(
            progress="{} 数据更正（页面）".format(mark),
            investment_wan=str(wan),
            reason="投资额统计口径调整",
        )
        claim = self.client.recorder.write(
            kind="correct",
            door="page",
            mark=mark,
            user=who.username,
            project=code,
            corrects=report_id,
            investment_yuan=wan * 10_000,
            revises=int(fields["replaces"]) if fields.get("replaces", "").isdigit() else None,
            t0=time.time(),
        )
        self._post_form("page: file correction", path, who, fields, claim, _new_report(report_id))

    def _post_form(self, kind, path, who, fields, claim, taken):
        try:
            response, outcome, _m = self.client.call(
                kind, "POST", path, who, judge=page_write(taken), form=fields
            )
        except Failed:
            claim.update(outcome=ERROR, t1=time.time())
            raise
        claim.update(outcome=outcome, t1=time.time())
        shown = _REPORT_PAGE.fullmatch(urlsplit(response.headers.get("Location", "")).path)
        if outcome == OK and shown and claim["kind"] == "correct":
            claim["id"] = int(shown.group(1))

    def file_by_api(self, rng, due):
        """Read the project's reports, then file (naming the one waiting) or correct."""
        who, projects = rng.choice(self.world.api_reporters)
        code = rng.choice(projects)
        response, _o, _m = self.client.call(
            "API: project's reports",
            "GET",
            "/api/v1/projects/{}/reports".format(code),
            who,
            judge=status_is(200),
            due=due,
        )
        live = {}
        for report in json.loads(response.data)["items"]:
            if report["period"] == self.world.dekad and report["status"] in (
                "submitted",
                "certified",
            ):
                live[report["status"]] = report["id"]
        waiting, certified = live.get("submitted"), live.get("certified")
        mark, yuan = self.world.mark(), rng.randint(1, 200) * 10_000
        body = {"progress": "{} 主体施工推进（接口）".format(mark), "investment_yuan": yuan}
        if waiting is not None:
            body["replaces"] = waiting
        if certified is not None:
            body["progress"] = "{} 数据更正（接口）".format(mark)
            body["reason"] = "投资额统计口径调整"
            kind, path = "API: file correction", "/api/v1/reports/{}/correction".format(certified)
            claim = self.client.recorder.write(
                kind="correct",
                door="api",
                mark=mark,
                user=who.username,
                project=code,
                corrects=certified,
                investment_yuan=yuan,
                revises=waiting,
                t0=time.time(),
            )
        else:
            kind = "API: revise report" if waiting is not None else "API: file report"
            path = "/api/v1/projects/{}/reports".format(code)
            claim = self.client.recorder.write(
                kind="file",
                door="api",
                mark=mark,
                user=who.username,
                project=code,
                period=self.world.dekad,
                investment_yuan=yuan,
                revises=waiting,
                t0=time.time(),
            )
        try:
            response, outcome, _m = self.client.call(
                kind, "POST", path, who, judge=api_write(201), data=body
            )
        except Failed:
            claim.update(outcome=ERROR, t1=time.time())
            raise
        claim.update(outcome=outcome, t1=time.time())
        if outcome == OK:
            claim["id"] = json.loads(response.data)["id"]

    # --- the task force --------------------------------------------------------------------

    def certify_by_page(self, rng, due):
        """Open the queue (its oldest dekad), tick up to BATCH reports, certify them."""
        who = self.world.task_force
        response, _o, _m = self.client.call(
            "page: certification queue",
            "GET",
            "/projects/certification/",
            who,
            judge=status_is(200),
            due=due,
        )
        html = response.data.decode("utf-8", "replace")
        ids = _QUEUE_ITEM.findall(html)
        if not ids:
            return
        chosen = rng.sample(ids, min(BATCH, len(ids)))
        csrf = CSRF.search(html).group(1)
        form = {"csrfmiddlewaretoken": csrf, "action": "certify", "report": chosen}
        form["next"] = "/projects/certification/"
        claim = self.client.recorder.write(
            kind="certify", door="page", ids=[int(i) for i in chosen], t0=time.time()
        )
        try:
            response, _o, messages = self.client.call(
                "page: certify",
                "POST",
                "/projects/certification/",
                who,
                judge=status_is(302),
                form=form,
            )
        except Failed:
            claim.update(outcome=ERROR, t1=time.time())
            raise
        claim.update(outcome=OK, t1=time.time())
        # The browser follows to the queue, which says how many were certified.
        location = urlsplit(response.headers.get("Location", "/projects/certification/"))
        follow = location.path + ("?" + location.query if location.query else "")
        response, _o, _m = self.client.call(
            "page: certification queue",
            "GET",
            follow,
            who,
            judge=status_is(200),
            messages=messages,
        )
        html = response.data.decode("utf-8", "replace")
        said = _SUCCESS.search(html)
        claim["said"] = int(_NUMBER.search(said.group(1)).group(0)) if said else None
        named = {int(n) for text in _WARNING.findall(html) for n in _NAMED.findall(text)}
        claim["refused"] = sorted(named & set(claim["ids"]))
        if claim["said"] is None and len(claim["refused"]) == len(claim["ids"]):
            claim["said"] = 0  # "no report was certified", each one named

    def certify_by_api(self, rng, due):
        who = self.world.task_force_token
        response, _o, _m = self.client.call(
            "API: reports waiting",
            "GET",
            "/api/v1/reports?status=submitted&page_size=50",
            who,
            judge=status_is(200),
            due=due,
        )
        ids = [report["id"] for report in json.loads(response.data)["items"]]
        if not ids:
            return
        chosen = rng.sample(ids, min(BATCH, len(ids)))
        claim = self.client.recorder.write(kind="certify", door="api", ids=chosen, t0=time.time())
        try:
            response, outcome, _m = self.client.call(
                "API: certify",
                "POST",
                "/api/v1/reports/certify",
                who,
                judge=api_write(200),
                data={"ids": chosen},
            )
        except Failed:
            claim.update(outcome=ERROR, t1=time.time())
            raise
        body = json.loads(response.data)
        claim.update(
            outcome=outcome,
            t1=time.time(),
            certified=[r["id"] for r in body.get("certified", [])],
            refused=[r["id"] for r in body.get("refused", [])],
        )


def closed(mix, clients, seconds, *, max_requests, seed=1):
    """``clients`` threads, each starting its next action as soon as its last one ended."""
    stop = threading.Event()
    recorder = mix.client.recorder

    def loop(i):
        rng = random.Random(seed * 100_003 + i)
        while not stop.is_set() and len(recorder.samples) < max_requests:
            mix.run(mix.pick(rng), rng)

    threads = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    while time.perf_counter() - began < seconds and len(recorder.samples) < max_requests:
        time.sleep(0.05)
    stop.set()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began


def opened(mix, requests_per_second, seconds, *, max_requests, seed=1, threads=400):
    """Actions arrive on a fixed schedule, whether or not the earlier ones were answered.

    The arrival rate of actions is the offered request rate over the requests an action
    makes on average; every request is timed from when it was due (see the module's
    docstring). An action still waiting for a free thread when the schedule ends is not
    sent: it counts as an error (the server was too slow for the rate). Returns (seconds
    from the first arrival to the last answer, arrivals the scheduler itself was late for).
    """
    per_action = expected_requests_per_action()
    interval = per_action / requests_per_second
    rng = random.Random(seed)
    recorder = mix.client.recorder
    late = 0
    arrivals = []
    began = time.perf_counter()
    pool = ThreadPoolExecutor(max_workers=threads)
    try:
        for i in itertools.count():
            due = began + i * interval
            if due - began >= seconds or len(recorder.samples) >= max_requests:
                break
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            elif wait < -0.05:
                late += 1
            action_rng = random.Random(rng.random())
            arrivals.append((pool.submit(mix.run, mix.pick(rng), action_rng, due), due))
    finally:
        # What still waits for a thread a moment after the schedule ended never will.
        ended = time.perf_counter()
        while time.perf_counter() - ended < START_GRACE and any(
            not (f.running() or f.done()) for f, _due in arrivals
        ):
            time.sleep(0.05)
        cancelled = [due for future, due in arrivals if future.cancel()]
        pool.shutdown(wait=True)
    for due in cancelled:
        recorder.add(NOT_SENT, ERROR, ended - due, "every thread was waiting for an answer")
    return time.perf_counter() - began, late
