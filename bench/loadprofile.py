"""Where a request of the deadline mix spends its time: one request type at a time.

Runs in the database of a demo (VANGUARD_VAR_DIR or DATABASE_URL; it writes reports, so
give it a throwaway one, as bench/load.py's own server does) and sends each request
type of bench/loadgen.py's mix through Django's test Client (URLs, middleware, view,
templates, the API; no network): ``--repeat`` times after two warm-ups, as the person
the mix sends it as. For each it gives the median time, the queries and the database's
share, then runs the same requests under cProfile and names the project's functions
that took the biggest share (cumulative, so a function's callees are in its share).

    python bench/loadprofile.py [--repeat 20] [--kind "page: report form" ...] [--json FILE]

It prints a table, and a JSON line with every figure.
"""

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time

# The project's functions (not Django's) that may take a share worth naming; a share
# under this is left out.
SHARE_SHOWN = 0.08


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--kind", action="append")
    parser.add_argument("--json")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanguard.settings")
    import django

    django.setup()
    import logging

    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    logging.disable(logging.WARNING)
    kinds = requests_of_the_mix()
    chosen = args.kind or list(kinds)
    results = []
    for name in chosen:
        make = kinds[name]
        results.append(measure(name, make, args.repeat))
        row = results[-1]
        print(
            "{:<28} {:>7.1f} ms {:>7.1f} ms CPU {:>4} queries {:>6.1f} ms SQL   {}".format(
                name,
                row["median_ms"],
                row["cpu_ms"],
                row["queries"],
                row["sql_ms"],
                "; ".join("{} {:.0%}".format(f, s) for f, s in row["shares"]),
            ),
            flush=True,
        )
    mean = mix_mean(results)
    if mean:
        print("the mix's mean: {:.1f} ms wall, {:.1f} ms CPU a request".format(*mean))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(results, out, ensure_ascii=False, indent=1)
    print(json.dumps({"profile": results}, ensure_ascii=False))


# How often each request type comes in the mix (bench/loadgen.py's MIX, per 100 actions).
IN_THE_MIX = {
    "page: report form": 24,
    "page: file report (POST)": 24,
    "API: project's reports": 24,
    "API: file report (POST)": 24,
    "page: overview": 10,
    "page: node matrix": 8,
    "page: project list": 10,
    "page: project": 10,
    "API: projects": 6,
    "page: certification queue": 8,
    "page: certify (POST)": 4,
    "API: reports waiting": 4,
    "API: certify (POST)": 4,
}


def mix_mean(results):
    """The mean wall and CPU time of a request of the mix, when every type was measured."""
    by_kind = {row["kind"]: row for row in results}
    if set(IN_THE_MIX) - set(by_kind):
        return None
    total = sum(IN_THE_MIX.values())
    return tuple(
        sum(by_kind[kind][field] * n for kind, n in IN_THE_MIX.items()) / total
        for field in ("median_ms", "cpu_ms")
    )


class SqlTimer:
    """Counts the queries of a block and their time in the database driver."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - began
            self.count += 1


def measure(name, make, repeat):
    """Median time, queries and SQL time of ``repeat`` requests, then their profile."""
    from django.db import connection

    for _ in range(2):
        make()()
    times, cpu, queries, sql = [], [], [], []
    for _ in range(repeat):
        send = make()
        timer = SqlTimer()
        with connection.execute_wrapper(timer):
            began, began_cpu = time.perf_counter(), time.process_time()
            send()
            times.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
        queries.append(timer.count)
        sql.append(timer.seconds)
    profile = cProfile.Profile()
    for _ in range(repeat):
        send = make()
        profile.enable()
        send()
        profile.disable()
    return {
        "kind": name,
        "median_ms": round(statistics.median(times) * 1000, 1),
        "cpu_ms": round(statistics.median(cpu) * 1000, 1),
        "queries": int(statistics.median(queries)),
        "sql_ms": round(statistics.median(sql) * 1000, 1),
        "shares": shares(profile),
    }


def shares(profile):
    """The project's functions taking the biggest shares of the profiled requests' time."""
    stats = pstats.Stats(profile)
    total = stats.total_tt or 1
    found = []
    for (filename, line, function), (_cc, _nc, _tt, cumulative, _callers) in stats.stats.items():
        if "/vanguard/" not in filename or "/bench/" in filename:
            continue
        share = cumulative / total
        if share >= SHARE_SHOWN:
            where = filename.split("/vanguard/", 1)[1].replace("/", ".").removesuffix(".py")
            found.append(("{}.{}".format(where, function), round(share, 2), line))
    found.sort(key=lambda f: -f[1])
    # A middleware or decorator wraps everything under it: keep the innermost named ones.
    skip = ("middleware", "errors.__call__", "logs.__call__")
    return [(f, s) for f, s, _line in found if not any(k in f for k in skip)][:4]


def requests_of_the_mix():
    """{request type: a function that prepares one request and returns its sender}."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from vanguard.accounts.tokens import do_create_token
    from vanguard.projects.actions import dekad_of
    from vanguard.projects.models import DekadReport, Project

    sys.path.insert(0, os.path.dirname(__file__))
    import loadcheck

    prepared, _state = loadcheck.setup(run="profile", page_reporters=1)
    users = get_user_model().objects
    reporter = prepared["page_reporters"][0]["username"]
    codes = prepared["page_reporters"][0]["projects"]
    dekad = dekad_of(timezone.localdate()).label

    def browser(username):
        client = Client(raise_request_exception=True)
        client.force_login(users.get(username=username))
        return client

    def api(username):
        return Client(HTTP_AUTHORIZATION="Bearer " + do_create_token(username, days=1))

    pages = {name: browser(name) for name in (reporter, prepared["leader"], prepared["office"])}
    pages["tf"] = browser(prepared["task_force"])
    apis = {"reporter": api(reporter), "leader": api(prepared["leader"])}
    apis["tf"] = api(prepared["task_force"])
    turn = {"n": 0}

    def next_code():
        turn["n"] += 1
        return codes[turn["n"] % len(codes)]

    def live(code):
        rows = DekadReport.objects.filter(
            project__code=code, period=dekad, status__in=["submitted", "certified"]
        ).values_list("status", "pk")
        return dict(rows)

    def get(client, path, status=200):
        def send():
            response = client.get(path)
            assert response.status_code == status, (path, response.status_code)

        return send

    def post(client, path, data, status, **kwargs):
        def send():
            response = client.post(path, data, **kwargs)
            assert response.status_code == status, (path, response.status_code)

        return send

    def page_file():
        code = next_code()
        now = live(code)
        if "certified" in now:
            return post(
                pages[reporter],
                "/projects/reports/{}/correction/".format(now["certified"]),
                {"reason": "更正", "progress": "更正（剖析）", "investment_wan": "10",
                 "replaces": now.get("submitted", "")},
                302,
            )  # fmt: skip
        return post(
            pages[reporter],
            "/projects/p/{}/report/".format(code),
            {"period": dekad, "progress": "推进（剖析）", "investment_wan": "10",
             "replaces": now.get("submitted", "")},
            302,
        )  # fmt: skip

    def api_file():
        code = next_code()
        now = live(code)
        body = {"progress": "推进（剖析）", "investment_yuan": 100_000}
        if now.get("submitted"):
            body["replaces"] = now["submitted"]
        path = "/api/v1/projects/{}/reports".format(code)
        if "certified" in now:
            body["reason"] = "更正"
            path = "/api/v1/reports/{}/correction".format(now["certified"])
        return post(apis["reporter"], path, body, 201, content_type="application/json")

    def waiting(n=10):
        return list(
            DekadReport.objects.filter(status="submitted")
            .order_by("-pk")
            .values_list("pk", flat=True)[:n]
        )

    def page_certify():
        data = {"action": "certify", "report": waiting(), "next": "/projects/certification/"}
        return post(pages["tf"], "/projects/certification/", data, 302)

    def api_certify():
        return post(apis["tf"], "/api/v1/reports/certify", {"ids": waiting()}, 200,
                    content_type="application/json")  # fmt: skip

    def correction_page():
        # The dekad's own certified reports come with the run's certifications; an
        # earlier dekad's page is the same page.
        certified = (
            DekadReport.objects.filter(project__code__in=codes, status="certified")
            .order_by("-period", "pk")
            .values_list("pk", flat=True)
        )
        path = "/projects/reports/{}/correction/".format(certified[0])
        return get(pages[reporter], path)

    code = codes[0]
    leader, office = pages[prepared["leader"]], pages[prepared["office"]]
    count = Project.objects.count()
    return {
        "page: overview": lambda: get(leader, "/"),
        "page: node matrix": lambda: get(office, "/projects/matrix/"),
        "page: project list": lambda: get(leader, "/projects/?page={}".format(count // 100)),
        "page: project": lambda: get(pages[reporter], "/projects/p/{}/".format(code)),
        "page: report form": lambda: get(pages[reporter], "/projects/p/{}/report/".format(code)),
        "page: correction form": correction_page,
        "page: certification queue": lambda: get(pages["tf"], "/projects/certification/"),
        "API: projects": lambda: get(apis["leader"], "/api/v1/projects?page=2"),
        "API: project's reports": lambda: get(
            apis["reporter"], "/api/v1/projects/{}/reports".format(code)
        ),
        "API: reports waiting": lambda: get(
            apis["tf"], "/api/v1/reports?status=submitted&page_size=50"
        ),
        "page: file report (POST)": page_file,
        "API: file report (POST)": api_file,
        "page: certify (POST)": page_certify,
        "API: certify (POST)": api_certify,
    }


if __name__ == "__main__":
    main()
