"""`make bench-topology`: the deployment of docs/deploy.md on this one machine, loaded and
broken on purpose.

Debian's nginx buffers in front of two web processes (gunicorn, each on a loopback port of
its own), two job workers share the queue on Redis (one of them runs the periodic jobs;
the queue and the cache in two Redis databases), and the data is in PostgreSQL, each
process taking its connections from a pool of its own. The deadline load of bench/load.py runs through the proxy;
some seconds into it one web process (its master and workers) and the worker without the
periodic jobs are killed with SIGKILL, as a machine that loses power would lose them.
Nothing is restarted. Afterwards:

- the requests that failed are counted against those the proxy had handed to the killed
  web process when it died (its error log names each): a GET among them is retried on the
  other web process, a POST is not, since it may have been written; no GET may fail, and
  no more requests than were handed to the killed process;
- the verifier of bench/load.py proves every acknowledged write was kept once, with its
  change-log entry;
- the queue drains on the surviving worker, and a recompute of the lights run here
  changes nothing: no recompute a write asked for was lost with the killed worker.

Needs nginx (`apt-get install nginx-light`), and an empty PostgreSQL database and two Redis
databases of its own (the demo is loaded into the database on the first run)::

    createdb -h 127.0.0.1 -U postgres vanguard_topology
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vanguard_topology DB_POOL_SIZE=2 \\
    REDIS_URL=redis://127.0.0.1:6379/11 QUEUE_URL=redis://127.0.0.1:6379/12 \\
    python bench/topology.py [--seconds 20]

It prints the load's tables and a verdict and writes var/bench-topology.json; the exit
status is 1 when a GET failed, more requests failed than the killed process had been
handed, a write was lost or a recompute was lost.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))

import load  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WEB_WORKERS = 2

NGINX = """\
daemon off;
worker_processes 1;
pid {var}/nginx.pid;
error_log {var}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {var}/nginx-access.log;
    client_body_temp_path {var}/nginx-body;
    proxy_temp_path {var}/nginx-proxy;
    fastcgi_temp_path {var}/nginx-fastcgi;
    uwsgi_temp_path {var}/nginx-uwsgi;
    scgi_temp_path {var}/nginx-scgi;
    upstream vanguard_web {{
        server 127.0.0.1:{web1} max_fails=2 fail_timeout=5s;
        server 127.0.0.1:{web2} max_fails=2 fail_timeout=5s;
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 26m;
        proxy_request_buffering on;
        proxy_buffering on;
        proxy_buffers 64 16k;
        location / {{
            proxy_pass http://vanguard_web;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Request-ID $request_id;
            proxy_connect_timeout 3s;
            proxy_read_timeout 120s;
            proxy_next_upstream error timeout http_502 http_503;
        }}
    }}
}}
"""


class Topology(load.Server):
    """nginx, two web processes, two job workers; PostgreSQL and Redis as they run."""

    def __init__(self):
        super().__init__(WEB_WORKERS)
        self.web_ports = [load._free_port(), load._free_port()]
        self.webs, self.workers, self.killed = [], [], {}

    def start(self):
        out = {"stdout": self.log, "stderr": subprocess.STDOUT, "start_new_session": True}
        vanguard = str(BIN / "vanguard")
        # The one worker that runs the periodic jobs, and one more that does not.
        for extra in ([], ["--no-periodic"]):
            self.workers.append(subprocess.Popen([vanguard, "run_huey", *extra], **out))
        for port in self.web_ports:
            command = [
                str(BIN / "gunicorn"),
                "vanguard.wsgi:application",
                "--bind",
                "127.0.0.1:{}".format(port),
                "--workers",
                str(WEB_WORKERS),
                "--timeout",
                "90",
                "--backlog",
                "2048",
            ]
            self.webs.append(subprocess.Popen(command, **out))
        conf = self.var / "nginx.conf"
        conf.write_text(
            NGINX.format(
                var=self.var, port=self.port, web1=self.web_ports[0], web2=self.web_ports[1]
            ),
            encoding="utf-8",
        )
        self.nginx = subprocess.Popen(
            [shutil.which("nginx"), "-p", str(self.var), "-c", str(conf)], **out
        )
        self.children += [*self.workers, *self.webs, self.nginx]
        self.web, self.jobs = self.webs[0], self.workers[0]
        self._wait_for(self.url + "/login/")

    def _wait_for(self, url):
        import urllib3

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if urllib3.request("GET", url, retries=False).status == 200:
                    return
            except urllib3.exceptions.HTTPError:
                pass
            time.sleep(0.5)
        raise SystemExit("topology: {} did not answer in 60 s; see {}".format(url, self.log.name))

    def pids(self, processes):
        found = {}
        for part, children in (("web", self.webs), ("jobs", self.workers)):
            roots = {child.pid for child in children if child.poll() is None}
            found[part] = [pid for pid, (parent, _n) in processes.items() if {pid, parent} & roots]
        return found

    def kill(self):
        """SIGKILL the second web process (master and workers) and the second worker."""
        for name, child in (("web", self.webs[1]), ("worker", self.workers[1])):
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            self.killed[name] = time.monotonic()
        print(
            "topology: killed the web process on port {} and a job worker".format(
                self.web_ports[1]
            ),
            flush=True,
        )

    def proxy_log(self):
        """What nginx saw: answers of 5xx by method, and the requests it had handed to the
        killed web process when it died (read from its error log)."""
        killed = "127.0.0.1:{}".format(self.web_ports[1])
        failed = {}
        for line in (self.var / "nginx-access.log").read_text().splitlines():
            parts = line.split('"')
            if len(parts) < 3:
                continue
            method, status = parts[1].split(" ", 1)[0], parts[2].split()[0]
            if status.startswith("5"):
                failed[method] = failed.get(method, 0) + 1
        # One request may be logged twice (the connection closed, the server then marked
        # down): counted once, by nginx's connection number and the request line.
        handed = {
            (line.split("*", 1)[1].split(" ", 1)[0], line.split('request: "', 1)[1][:200])
            for line in (self.var / "nginx-error.log").read_text().splitlines()
            if killed in line
            and "reading response header from upstream" in line
            and 'request: "' in line
        }
        return failed, len(handed)


def drained(timeout=120):
    """Wait until the queue holds no job, queued or scheduled ahead; True when it is empty."""
    from huey.contrib.djhuey import HUEY

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if HUEY.pending_count() == 0 and HUEY.scheduled_count() == 0:
            # A job taken from the queue may still be running: give it time to finish.
            time.sleep(5)
            if HUEY.pending_count() == 0 and HUEY.scheduled_count() == 0:
                return True
        time.sleep(1)
    return False


def lights_left_behind():
    """Changes a recompute of every active campaign makes now: 0 when none was lost."""
    from vanguard.org.choices import CampaignStatus
    from vanguard.org.models import Campaign
    from vanguard.supervision.lights import recompute

    return {
        campaign.code: recompute(campaign).events
        for campaign in Campaign.objects.filter(status=CampaignStatus.ACTIVE)
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--closed", default="50", help="clients of each closed phase")
    parser.add_argument("--open", default="30", help="requests/s of each open phase")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each phase")
    parser.add_argument("--kill-after", type=float, default=8.0, help="seconds into the load")
    parser.add_argument("--json", default=str(ROOT / "var" / "bench-topology.json"))
    args = parser.parse_args()
    if not (
        os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")
    ):
        raise SystemExit("topology: set DATABASE_URL (PostgreSQL) and REDIS_URL (see the top)")
    if not shutil.which("nginx"):
        raise SystemExit("topology: nginx is needed (apt-get install nginx-light)")
    load_args = argparse.Namespace(
        closed=args.closed,
        open=args.open,
        seconds=args.seconds,
        timeout=30.0,
        warmup=3.0,
        max_requests=20_000,
        web_workers=WEB_WORKERS,
        page_reporters=16,
        password=None,
        seed=1,
        only=None,
        each=False,
    )
    server = Topology()
    server.prepare()
    try:
        server.start()
        # The kill comes ``--kill-after`` seconds into the first measured phase (the warm-up
        # is the load's first closed phase, that phase its second).
        closed, calls, timers = load.loadgen.closed, [], []

        def closed_then_kill(*given, **named):
            calls.append(1)
            if len(calls) == 2:
                timers.append(threading.Timer(args.kill_after, server.kill))
                timers[0].start()
            return closed(*given, **named)

        load.loadgen.closed = closed_then_kill
        result = load.load(load_args, server.url, server)
        for timer in timers:
            timer.join()
        empty = drained()
        left = lights_left_behind()
        by_method, handed = server.proxy_log()
    finally:
        server.stop()
    failed = sum(phase["totals"]["errors"] for phase in result["phases"])
    verdict = {
        "killed": sorted(server.killed),
        "failed_requests": failed,
        "failed_by_method": by_method,
        # Requests the proxy had already handed to the killed process: a GET among them is
        # retried on the other one, a POST is not (it may have been written).
        "handed_to_the_killed_process": handed,
        "writes_lost": result["verified"]["lost_writes"],
        "verifier_problems": result["verified"]["problems"],
        "queue_drained": empty,
        "lights_changed_by_a_recompute_after": left,
    }
    verdict["ok"] = (
        failed <= handed
        and not by_method.get("GET")
        and not verdict["writes_lost"]
        and empty
        and not any(left.values())
        and len(server.killed) == 2
    )
    result["topology"] = verdict
    Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str))
    print(json.dumps(verdict, ensure_ascii=False, indent=1))
    return 0 if verdict["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
