"""Figures of bench/load.py's phases: per request type and in all, as text and as Markdown."""

from collections import defaultdict

# Targets of the deadline (issue "Scale", item 2), judged on the totals of each phase.
P95_TARGET_MS = 500
THROUGHPUT_TARGET = 150


def percentile(ordered, share):
    """Nearest-rank percentile of an ordered list (0 for none)."""
    if not ordered:
        return 0.0
    rank = max(1, round(share * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def _row(kind, samples, elapsed):
    latencies = sorted(seconds for _outcome, seconds in samples)
    outcomes = defaultdict(int)
    for outcome, _seconds in samples:
        outcomes[outcome] += 1
    return {
        "kind": kind,
        "count": len(samples),
        "refused": outcomes["refused"],
        "errors": outcomes["error"],
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "per_second": round(len(samples) / elapsed, 1) if elapsed else 0.0,
    }


def summarize(recorder, elapsed, *, model, level, seconds):
    by_kind = defaultdict(list)
    for kind, outcome, latency in recorder.samples:
        by_kind[kind].append((outcome, latency))
    every = [sample for samples in by_kind.values() for sample in samples]
    details = {"{} ({})".format(k, o): texts for (k, o), texts in recorder.details.items()}
    return {
        "model": model,
        "level": level,
        "seconds": round(elapsed, 1),
        "kinds": [_row(kind, by_kind[kind], elapsed) for kind in sorted(by_kind)],
        "totals": _row("all", every, elapsed),
        "details": details,
    }


def key_of(phase):
    """Which phase of a run this is, to set it beside the same phase of another run."""
    actions = phase.get("actions", "the mix")
    return (phase["model"], phase["level"], actions if isinstance(actions, str) else tuple(actions))


def title(phase):
    if phase.get("actions") not in (None, "the mix"):
        return "{} alone, {} client(s)".format(", ".join(phase["actions"]), phase["level"])
    if phase["model"] == "closed":
        return "closed model, {} clients".format(phase["level"])
    return "open model, {:g} requests/s offered".format(phase["level"])


def phase_table(phase):
    lines = ["", "{} ({} s)".format(title(phase), phase["seconds"])]
    head = "{:<30} {:>6} {:>7} {:>6} {:>8} {:>8} {:>8} {:>7}"
    lines.append(
        head.format("request", "count", "refused", "errors", "p50 ms", "p95 ms", "p99 ms", "req/s")
    )
    for row in [*phase["kinds"], phase["totals"]]:
        lines.append(
            head.format(
                row["kind"],
                row["count"],
                row["refused"],
                row["errors"],
                row["p50_ms"],
                row["p95_ms"],
                row["p99_ms"],
                row["per_second"],
            )
        )
    cpu = phase.get("cpu") or {}
    lines.append(
        "CPU per request (ms): server {}, PostgreSQL {}, load generator {}; cores busy {},"
        " stolen by the hypervisor {}".format(
            cpu.get("server_ms_per_request", "—"),
            cpu.get("database_ms_per_request", "—"),
            cpu.get("generator_ms_per_request", "—"),
            cpu.get("machine_cores_busy", "—"),
            cpu.get("machine_cores_stolen", "—"),
        )
    )
    for what, texts in phase.get("details", {}).items():
        lines.append("  {}: {}".format(what, " | ".join(texts[:2])))
    return "\n".join(lines)


def _fmt(value, digits=0):
    return "—" if value is None else "{:,.{}f}".format(value, digits)


def markdown(results):
    """docs/benchmarks.md's tables: each phase, then each request type, databases side by side."""
    names = [r["database"] for r in results]
    speeds = [
        "{}: {} ms".format(r["database"], r.get("machine", {}).get("reference_ms", "—"))
        for r in results
    ]
    lines = [
        "The machine's speed, a fixed Python loop's CPU time (bench/load.py, ``reference_ms``; "
        "lower is faster): " + ", ".join(speeds) + ".",
        "",
        "| phase | "
        + " | ".join(
            "{0} req/s | {0} p50 / p95 / p99 (ms) | {0} errors | {0} refused".format(n)
            for n in names
        )
        + " |",
    ]
    lines.append("|---|" + "---:|---|---:|---:|" * len(results))
    keyed = [{key_of(p): p for p in r["phases"]} for r in results]
    order = []
    for r in results:
        for p in r["phases"]:
            if key_of(p) not in order:
                order.append(key_of(p))
    for key in order:
        cells = []
        name = None
        for phases in keyed:
            phase = phases.get(key)
            if phase is None:
                cells.append("— | — | — | —")
                continue
            name = title(phase)
            t = phase["totals"]
            cells.append(
                "{} | {} / {} / {} | {} | {}".format(
                    _fmt(t["per_second"], 1),
                    _fmt(t["p50_ms"]),
                    _fmt(t["p95_ms"]),
                    _fmt(t["p99_ms"]),
                    t["errors"],
                    t["refused"],
                )
            )
        lines.append("| {} | {} |".format(name, " | ".join(cells)))
    lines += [
        "",
        "| phase | "
        + " | ".join(
            "{0} CPU / request, server and database (ms) | {0} of it PostgreSQL"
            " | {0} generator CPU / request (ms) | {0} cores busy (load average; stolen)".format(n)
            for n in names
        )
        + " |",
    ]
    lines.append("|---|" + "---:|---:|---:|---:|" * len(results))
    for key in order:
        cells = []
        name = None
        for phases in keyed:
            phase = phases.get(key)
            cpu = (phase or {}).get("cpu") or {}
            name = name or (title(phase) if phase else None)
            server = cpu.get("server_ms_per_request")
            database = cpu.get("database_ms_per_request")
            total = None if server is None else server + (database or 0)
            cells.append(
                "{} | {} | {} | {}".format(
                    _fmt(total, 1),
                    _fmt(database, 1),
                    _fmt(cpu.get("generator_ms_per_request"), 1),
                    "{} ({}; {})".format(
                        _fmt(cpu.get("machine_cores_busy"), 2),
                        _fmt(cpu.get("load_average"), 1),
                        _fmt(cpu.get("machine_cores_stolen"), 2),
                    ),
                )
            )
        lines.append("| {} | {} |".format(name, " | ".join(cells)))
    lines += _locks_table(results, order, keyed)
    lines += [
        "",
        *_kinds_table(results, ("open", 50.0, "the mix")),
        "",
        *_kinds_table(results, ("closed", 200, "the mix")),
    ]
    lines += ["", "| verifier | " + " | ".join(names) + " |", "|---|" + "---|" * len(results)]
    for label, get in VERIFIED:
        lines.append(
            "| {} | {} |".format(label, " | ".join(str(get(r["verified"])) for r in results))
        )
    return "\n".join(lines)


def _locks_table(results, order, keyed):
    """PostgreSQL's queries running and waiting for a lock, mean of the phase's samples."""
    sampled = [
        i
        for i, r in enumerate(results)
        if any("active_queries" in (p.get("cpu") or {}) for p in r["phases"])
    ]
    if not sampled:
        return []
    lines = [
        "",
        "| phase | "
        + " | ".join(
            "{} queries running | of them waiting for a lock".format(results[i]["database"])
            for i in sampled
        )
        + " |",
        "|---|" + "---:|---:|" * len(sampled),
    ]
    for key in order:
        cells, name = [], None
        for i in sampled:
            phase = keyed[i].get(key)
            cpu = (phase or {}).get("cpu") or {}
            name = name or (title(phase) if phase else None)
            cells.append(
                "{} | {}".format(
                    _fmt(cpu.get("active_queries"), 2), _fmt(cpu.get("waiting_on_locks"), 2)
                )
            )
        lines.append("| {} | {} |".format(name, " | ".join(cells)))
    return lines


def _kinds_table(results, key):
    phases = [next((p for p in r["phases"] if key_of(p) == key), None) for r in results]
    if not any(phases):
        return []
    name = title(next(p for p in phases if p))
    lines = [
        "Per request type, {}:".format(name),
        "",
        "| request | "
        + " | ".join(
            "{0} count | {0} p50 / p95 / p99 (ms) | {0} refused | {0} errors".format(r["database"])
            for r in results
        )
        + " |",
        "|---|" + "---:|---|---:|---:|" * len(results),
    ]
    kinds = []
    for phase in phases:
        for row in (phase or {}).get("kinds", []):
            if row["kind"] not in kinds:
                kinds.append(row["kind"])
    for kind in kinds:
        cells = []
        for phase in phases:
            row = next((k for k in (phase or {}).get("kinds", []) if k["kind"] == kind), None)
            if row is None:
                cells.append("— | — | — | —")
                continue
            cells.append(
                "{} | {} / {} / {} | {} | {}".format(
                    row["count"],
                    _fmt(row["p50_ms"]),
                    _fmt(row["p95_ms"]),
                    _fmt(row["p99_ms"]),
                    row["refused"],
                    row["errors"],
                )
            )
        lines.append("| {} | {} |".format(kind, " | ".join(cells)))
    return lines


VERIFIED = (
    (
        "filings and corrections sent: acknowledged / refused / unanswered",
        lambda v: "{} / {} / {}".format(
            v["filings"].get("ok", 0), v["filings"].get("refused", 0), v["filings"].get("error", 0)
        ),
    ),
    ("reports stored by the run", lambda v: v["stored"]),
    (
        "reports certified by the run (acknowledged)",
        lambda v: "{} ({})".format(v["certified"]["reports"], v["certified"]["acknowledged"]),
    ),
    ("change-log entries written during the run", lambda v: v["log_entries"]),
    ("lost writes", lambda v: v["lost_writes"]),
    (
        "problems found",
        lambda v: ", ".join("{} {}".format(k, n) for k, n in v["problems"].items()) or "none",
    ),
)
