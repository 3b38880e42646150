"""`make bench-load`: the dekad deadline's load on a server on this machine, then a check
that no acknowledged write was lost.

Without ``--url`` it starts its own server: a fresh demo (``vanguard demo --scale district
--seed 1``) in a temporary folder on SQLite, or in the PostgreSQL database DATABASE_URL
names (an empty one it may fill, e.g. ``createdb vanguard_load``), with the job worker
and gunicorn (``--web-workers``: one sync worker a core, at least 2, like ``make run``)
on a free loopback port; it stops them at the end. With ``--url`` it loads a server
already running (``make run``): the environment must then point at that server's
database (the same VANGUARD_VAR_DIR or DATABASE_URL), which the setup and the verifier
read. Only loopback addresses are loaded.

The run (see bench/loadgen.py for the mix and the models):

1. setup: the demo's people sign in through the login page (reporters of the units that
   lead the most projects, the leader, the office, the projects task force); API users
   get a token;
2. a short warm-up (not counted), then the closed model at each ``--closed`` number of
   clients (each starts its next action when its last one is answered), then the open
   model at each ``--open`` rate in requests per second (actions arrive on schedule);
   each phase ``--seconds`` long and at most ``--max-requests`` requests, a request
   unanswered after ``--timeout`` seconds failed;
3. the verifier (bench/loadcheck.py) on every write of every phase.

    python bench/load.py [--url URL] [--closed 50,100,200] [--open 50,150] [--seconds 15]
    python bench/load.py --each --closed "" --open ""   # each action alone, one client
    python bench/load.py --quick               # a few seconds of each model
    python bench/load.py --markdown A.json B.json   # the side-by-side tables of docs/benchmarks.md

It prints each phase's table (per request type: count, refused, errors, p50/p95/p99,
throughput) and the verifier's result, and writes them as JSON (``--json``, by default
var/bench-load-<database>.json). The exit status is 1 when a request failed or a write
was lost.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))

import loadgen  # noqa: E402
import loadhttp  # noqa: E402
from loadreport import markdown, phase_table, summarize  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a server already running on this machine")
    parser.add_argument("--closed", default="50,100,200", help="clients of each closed phase")
    parser.add_argument("--open", default="50,150", help="requests/s of each open phase")
    parser.add_argument("--seconds", type=float, default=15.0, help="length of each phase")
    parser.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        help="seconds before a request counts as failed (nginx's proxy_read_timeout)",
    )
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--max-requests", type=int, default=20_000, help="per phase")
    # One a core: the mix is CPU-bound, and on 2 cores 2 workers served more than 3 or 4
    # (docs/benchmarks.md, "How many web workers").
    parser.add_argument("--web-workers", type=int, default=max(2, os.cpu_count() or 2))
    parser.add_argument("--page-reporters", type=int, default=16)
    parser.add_argument("--password", help="the accounts' password (default: the demo's)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", help="these actions of the mix alone (comma-separated)")
    parser.add_argument(
        "--each", action="store_true", help="first each action alone, one client, --seconds each"
    )
    parser.add_argument("--quick", action="store_true", help="closed 20, open 30/s, 5 s each")
    parser.add_argument("--json", help="where to write the results")
    parser.add_argument("--markdown", nargs="+", metavar="JSON", help="print tables, run nothing")
    args = parser.parse_args()
    if args.markdown:
        print(markdown([json.loads(Path(p).read_text(encoding="utf-8")) for p in args.markdown]))
        return
    if args.quick:
        args.closed, args.open, args.seconds, args.warmup = "20", "30", 5.0, 2.0
    if args.url:
        loadhttp.loopback_only(args.url)
    result = run(args)
    database = result["database"]
    path = Path(args.json or ROOT / "var" / "bench-load-{}.json".format(database))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print("results: {}".format(path))
    failed = any(p["totals"]["errors"] for p in result["phases"]) or not result["verified"]["ok"]
    sys.exit(1 if failed else 0)


def run(args):
    server = None
    if not args.url:
        server = Server(args.web_workers)
        server.prepare()
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanguard.settings")
    try:
        if server:
            server.start()
        url = args.url or server.url
        return load(args, url, server)
    finally:
        if server:
            server.stop()


def load(args, url, server):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanguard.settings")
    django.setup()
    import loadcheck
    from django.conf import settings
    from django.db import connections

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    database = "postgresql" if "postgres" in engine else "sqlite"
    password = args.password or _demo_password()
    run_id = uuid.uuid4().hex[:8]
    prepared, state = loadcheck.setup(
        run=run_id, page_reporters=args.page_reporters, password=password
    )
    connections.close_all()
    setup_recorder = loadhttp.Recorder()
    client = loadhttp.Client(url, setup_recorder, timeout=args.timeout)
    people = [r["username"] for r in prepared["page_reporters"]]
    people += [prepared["leader"], prepared["office"], prepared["task_force"]]
    sessions = _sign_in_all(client, people, password)
    world = loadgen.World(prepared, sessions)
    print(
        "load: run {} on {} ({}), dekad {}: {} page reporters, {} API reporters, {} projects".format(
            run_id,
            url,
            database,
            world.dekad,
            len(world.page_reporters),
            len(world.api_reporters),
            prepared["projects"],
        )
    )
    writes = []
    phases = []
    analyzed = False
    only = _names(args.only)
    plan = [("warm-up", "closed", 10, args.warmup, only)]
    if args.each:
        # One client doing one kind of action at a time: the server's CPU per request of each.
        plan += [("each", "closed", 1, args.seconds, [n]) for n, _w, _r in loadgen.MIX]
    plan += [("closed", "closed", int(n), args.seconds, only) for n in _numbers(args.closed)]
    plan += [("open", "open", float(r), args.seconds, only) for r in _numbers(args.open)]
    for name, model, level, seconds, actions in plan:
        recorder = loadhttp.Recorder()
        client.recorder = recorder
        mix = loadgen.Mix(client, world, only=actions)
        if analyze_when_autovacuum_is_off() and not analyzed:
            print("load: autovacuum is off on this PostgreSQL server: tables analyzed each phase")
            analyzed = True
        meter = Meter(server, _database_name())
        late = 0
        if model == "closed":
            elapsed = loadgen.closed(
                mix, level, seconds, max_requests=args.max_requests, seed=args.seed
            )
        else:
            elapsed, late = loadgen.opened(
                mix, level, seconds, max_requests=args.max_requests, seed=args.seed
            )
        used = meter.read()
        writes += recorder.writes
        if name == "warm-up":
            continue
        phase = summarize(recorder, elapsed, model=model, level=level, seconds=seconds)
        phase["actions"] = actions or "the mix"
        not_sent = sum(1 for kind, _o, _s in recorder.samples if kind == loadgen.NOT_SENT)
        phase.update(cpu=used, late_starts=late, not_sent=not_sent)
        phase["cpu"]["server_ms_per_request"] = _per_request(used.get("server"), phase)
        phase["cpu"]["database_ms_per_request"] = _per_request(used.get("database"), phase)
        phase["cpu"]["generator_ms_per_request"] = _per_request(used.get("generator"), phase)
        phases.append(phase)
        print(phase_table(phase))
        time.sleep(1.0)
    client.close()
    print("verifying {} writes ...".format(len(writes)))
    verified = loadcheck.verify(prepared, state, writes)
    print(json.dumps(verified, ensure_ascii=False, indent=1, default=str))
    return {
        "date": datetime.date.today().isoformat(),
        "database": database,
        "url": url,
        "own_server": server is not None,
        "web_workers": args.web_workers if server else None,
        "machine": machine(),
        "run": run_id,
        "dekad": world.dekad,
        "phases": phases,
        "verified": verified,
        "server_log_errors": server.log_errors() if server else None,
        "analyzed_each_phase": analyzed,
    }


def _numbers(text):
    return [part for part in (text or "").split(",") if part.strip()]


def _names(text):
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _per_request(seconds, phase):
    count = phase["totals"]["count"] - phase["not_sent"]
    return round(seconds * 1000 / count, 2) if seconds is not None and count else None


def _demo_password():
    from vanguard.demo.org import DEMO_PASSWORD

    return DEMO_PASSWORD


def _sign_in_all(client, usernames, password):
    """Every account signs in through the login page, two at a time (a login hashes)."""
    sessions = {}
    pending = list(dict.fromkeys(usernames))
    lock = threading.Lock()

    def work():
        while True:
            with lock:
                if not pending:
                    return
                username = pending.pop()
            sessions[username] = loadhttp.sign_in(client, username, password)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if len(sessions) != len(set(usernames)):
        raise SystemExit("load: not every account could sign in")
    return sessions


def machine():
    """What the figures ran on."""
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": "{:.0f} GiB".format(kb / 1024 / 1024),
        "os": platform.platform(),
        "python": platform.python_version(),
        # The interpreter's build moves every figure, the reference loop's too: Debian's
        # optimized build runs it in about four fifths of a plain build's time.
        "python_executable": os.path.realpath(sys.executable),
        "python_built": " ".join(platform.python_build()),
        "load_average_before": os.getloadavg()[0],
        "reference_ms": reference_ms(),
    }


# A fixed piece of plain Python: its CPU time says how fast this machine's cores were
# for this run. The same virtual machine has run it in 347 ms and in 624 ms within one
# hour, and the server's throughput moves with it; runs compare through it, on the same
# interpreter (``python_executable``).
REFERENCE_LOOPS = 10_000_000


def reference_ms():
    """CPU milliseconds of REFERENCE_LOOPS additions in a loop (best of three)."""
    best = None
    for _ in range(3):
        began = time.process_time()
        total = 0
        for i in range(REFERENCE_LOOPS):
            total += i
        spent = (time.process_time() - began) * 1000
        best = spent if best is None else min(best, spent)
    return round(best)


def _cpu_of(pid):
    """User and system seconds of a process (all its threads), 0 when it is gone."""
    try:
        fields = Path("/proc/{}/stat".format(pid)).read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _processes():
    """{pid: (parent pid, command name)} of every process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        found[int(entry.name)] = (int(stat.rsplit(")", 1)[1].split()[1]), name)
    return found


def _database_name():
    from django.db import connection

    return connection.settings_dict["NAME"] if connection.vendor == "postgresql" else None


def database_backends(name):
    """{pid: CPU seconds} of the PostgreSQL processes serving database ``name`` (their
    process title names it), others' databases left out."""
    found = {}
    marker = " {} ".format(name)
    for pid, (_parent, command) in _processes().items():
        if command != "postgres":
            continue
        try:
            title = Path("/proc/{}/cmdline".format(pid)).read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if marker in title.decode("utf-8", "replace"):
            found[pid] = _cpu_of(pid)
    return found


# How many of the database's server processes wait for a lock, and how many run a query.
WAITING = (
    "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'),"
    " count(*) FILTER (WHERE state = 'active')"
    " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


class Meter:
    """CPU seconds used during a phase: the server's web processes and job worker, the
    PostgreSQL processes serving its database, the generator, and the machine's busy time.

    PostgreSQL's processes come and go (a web process reconnects every minute), so they
    are sampled twice a second: a process that ended counts up to its last sample. The
    same samples count the queries running and those waiting for a lock (row locks of
    projects and reports, the change log's head): their means over the phase.
    """

    def __init__(self, server, database=None):
        self.server = server
        self.database = database
        self.seen = {}
        self.first = {}
        self.sampling_cpu = 0.0
        self.waits = []
        self.stop = threading.Event()
        if database:
            self._sample()
            self.first = dict(self.seen)
            self.sampler = threading.Thread(target=self._sampling, daemon=True)
            self.sampler.start()
        self.start = self._now()

    def _sample(self):
        for pid, cpu in database_backends(self.database).items():
            self.seen[pid] = cpu

    def _sampling(self):
        from django.db import connection

        began = time.thread_time()
        while not self.stop.wait(0.5):
            self._sample()
            with connection.cursor() as cursor:
                cursor.execute(WAITING)
                waiting, active = cursor.fetchone()
            self.waits.append((waiting, active))
        connection.close()
        # The sampling is the meter's work, not the generator's.
        self.sampling_cpu = time.thread_time() - began

    def _now(self):
        usage = resource.getrusage(resource.RUSAGE_SELF)
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        now = {
            "generator": usage.ru_utime + usage.ru_stime,
            # Steal (the 8th field) is time the hypervisor gave this machine's cores to
            # others: counted apart, not as the machine's work.
            "machine_busy": (sum(fields[:7]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK"),
            "machine_stolen": fields[7] / os.sysconf("SC_CLK_TCK"),
            "wall": time.monotonic(),
        }
        if self.server:
            for part, pids in self.server.pids(_processes()).items():
                now[part] = sum(_cpu_of(pid) for pid in pids)
            now["server"] = now["web"] + now["jobs"]
        return now

    def read(self):
        end = self._now()
        used = {k: round(end[k] - self.start[k], 2) for k in end}
        used["machine_cores_busy"] = round(used.pop("machine_busy") / used["wall"], 2)
        used["machine_cores_stolen"] = round(used.pop("machine_stolen") / used["wall"], 2)
        used["load_average"] = round(os.getloadavg()[0], 2)
        if self.database:
            self.stop.set()
            self.sampler.join()
            self._sample()
            used["generator"] = round(used["generator"] - self.sampling_cpu, 2)
            if self.waits:
                used["waiting_on_locks"] = round(
                    sum(w for w, _a in self.waits) / len(self.waits), 2
                )
                used["active_queries"] = round(sum(a for _w, a in self.waits) / len(self.waits), 2)
            used["database"] = round(
                sum(cpu - self.first.get(pid, 0.0) for pid, cpu in self.seen.items()), 2
            )
        return used


def analyze_when_autovacuum_is_off():
    """On a PostgreSQL server without autovacuum, analyze the tables as it would have:
    without fresh statistics the plans of a database just filled are the planner's
    guesses. Returns whether it did."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        off = cursor.fetchone()[0] == "off"
        if off:
            cursor.execute("ANALYZE")
    connection.close()
    return off


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A demo server of its own: the data, the job worker and gunicorn, stopped at the end."""

    def __init__(self, workers):
        self.workers = workers
        self.var = Path(tempfile.mkdtemp(prefix="vanguard-load-"))
        os.environ["VANGUARD_VAR_DIR"] = str(self.var)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanguard.settings")
        if not (os.environ.get("SECRET_KEY") or os.environ.get("SECRET_KEY_FILE")):
            os.environ["SECRET_KEY"] = "bench-only"
        self.postgres = bool(os.environ.get("DATABASE_URL"))
        self.port = _free_port()
        self.url = "http://127.0.0.1:{}".format(self.port)
        self.log = open(self.var / "server.log", "w")  # noqa: SIM115 - kept open while it runs
        self.children = []

    def _vanguard(self, *args, timeout):
        subprocess.run(
            [str(BIN / "vanguard"), *args],
            check=True,
            timeout=timeout,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def prepare(self):
        began = time.monotonic()
        self._vanguard("migrate", "--noinput", "-v", "0", timeout=600)
        self._vanguard("demo", "--scale", "district", "--seed", "1", "--if-empty", timeout=900)
        print(
            "load: demo data ready in {:.0f} s ({})".format(
                time.monotonic() - began,
                "PostgreSQL" if self.postgres else "SQLite in " + str(self.var),
            )
        )

    def start(self):
        out = {"stdout": self.log, "stderr": subprocess.STDOUT, "start_new_session": True}
        self.jobs = subprocess.Popen([str(BIN / "vanguard"), "run_huey"], **out)
        self.children.append(self.jobs)
        gunicorn = [
            str(BIN / "gunicorn"),
            "vanguard.wsgi:application",
            "--bind",
            "127.0.0.1:{}".format(self.port),
            "--workers",
            str(self.workers),
            # Longer than the generator waits: a slow answer is the generator's to judge.
            "--timeout",
            "90",
            "--graceful-timeout",
            "5",
            "--backlog",
            "2048",
        ]
        self.web = subprocess.Popen(gunicorn, **out)
        self.children.append(self.web)
        import urllib3

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if urllib3.request("GET", self.url + "/login/", retries=False).status == 200:
                    return
            except urllib3.exceptions.HTTPError:
                pass
            time.sleep(0.5)
        raise SystemExit("load: the server did not answer in 60 s; see {}".format(self.log.name))

    def pids(self, processes):
        """The server's processes: the web ones (gunicorn and its workers) and the job worker."""
        found = {}
        for part, child in (("web", self.web), ("jobs", self.jobs)):
            found[part] = [
                pid for pid, (parent, _n) in processes.items() if child.pid in (pid, parent)
            ]
        return found

    def log_errors(self):
        self.log.flush()
        text = Path(self.log.name).read_text(encoding="utf-8", errors="replace")
        return sum(1 for line in text.splitlines() if " ERROR " in line or "Traceback" in line)

    def stop(self):
        for child in reversed(self.children):
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        for child in self.children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
        self.log.close()
        if os.environ.get("KEEP_LOAD_VAR"):
            print("load: kept {}".format(self.var))
        else:
            shutil.rmtree(self.var, ignore_errors=True)


if __name__ == "__main__":
    main()
