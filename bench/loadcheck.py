"""What bench/load.py does in the server's own database: prepare the people, then verify.

``setup`` picks the demo's people (reporters of the units that lead the most projects,
the leader, the office, the projects task force), gives each one who uses the API a
token (as ``vanguard token create`` does) and notes where the change log stands.

``verify`` reads the database after the run and proves, for every write the load
generator sent:

- a filing or correction that was acknowledged (201, or the form's 302) is stored exactly
  once, found by the unique mark in its progress text, with the project, dekad, figures,
  author and the report it revised or corrected that the request said; an API one under
  the id it was answered with;
- one that was refused (409/422, or the form shown again with its error) left nothing;
- every stored report of the run has exactly one creation entry in the change log with
  the same values, and replaying the change log's entries of every report the run
  touched, from the status it had before, ends at the status it has now;
- every certification acknowledged by the API is in the change log (submitted to
  certified, by the task force); every certification in the change log belongs to a
  certification request that was acknowledged; each page certification certified as many
  as its page said; no report was certified twice;
- no dekad of a project has two reports waiting or two certified;
- the change log's chain of signatures holds over the run's entries.
"""

import math
from collections import Counter, defaultdict

# Problems listed in the result (all are counted).
SHOWN = 20


def setup(*, run, page_reporters=16, password=None):
    """Prepare a run: returns (what the load generator needs, what the verifier needs)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from vanguard.accounts.tokens import do_create_token
    from vanguard.audit.models import ChainHead
    from vanguard.org.choices import Battle, Role
    from vanguard.org.models import RoleAssignment
    from vanguard.org.queries import current_campaign
    from vanguard.projects.actions import dekad_of
    from vanguard.projects.models import DekadReport, Project

    User = get_user_model()
    campaign = current_campaign(None)
    if campaign is None:
        raise SystemExit("load: the database has no campaign; run `vanguard demo` first")
    codes = defaultdict(list)
    for unit_id, code in (
        Project.objects.filter(campaign=campaign)
        .order_by("code")
        .values_list("lead_unit_id", "code")
    ):
        codes[unit_id].append(code)
    accounts = defaultdict(list)
    for username, unit_id in (
        RoleAssignment.objects.filter(
            role=Role.UNIT_REPORTER, unit__isnull=False, person__user__is_active=True
        )
        .order_by("person__user__username")
        .values_list("person__user__username", "unit_id")
    ):
        if codes.get(unit_id):
            accounts[unit_id].append(username)
    units = sorted(accounts, key=lambda unit_id: (-len(codes[unit_id]), unit_id))
    if not units:
        raise SystemExit("load: no unit reporter leads a project; run `vanguard demo` first")
    task_force = (
        RoleAssignment.objects.filter(
            role=Role.TASK_FORCE_MEMBER,
            task_force__battle=Battle.PROJECTS,
            task_force__campaign=campaign,
            person__user__is_active=True,
        )
        .values_list("person__user__username", flat=True)
        .order_by("person__user__username")
        .first()
    )
    leader = _first_with_role(Role.LEADER)
    office = _first_with_role(Role.OFFICE)
    if not (task_force and leader and office):
        raise SystemExit("load: the demo's leader, office and projects task force are needed")

    def token(username):
        return do_create_token(username, name="负荷测试 {}".format(run), days=1)

    page = [{"username": accounts[u][0], "projects": codes[u]} for u in units[:page_reporters]]
    # Every unit's other reporter (or its only one) files through the API.
    api = [
        {"username": accounts[u][-1], "projects": codes[u], "token": token(accounts[u][-1])}
        for u in units
    ]
    projects = sum(len(codes[u]) for u in units)
    prepared = {
        "run": run,
        "dekad": dekad_of(timezone.localdate()).label,
        "page_reporters": page,
        "api_reporters": api,
        "leader": leader,
        "office": office,
        "task_force": task_force,
        "tokens": {"leader": token(leader), "task_force": token(task_force)},
        "list_pages": max(1, math.ceil(Project.objects.filter(campaign=campaign).count() / 50)),
        "password": password,
        "projects": projects,
    }
    head = ChainHead.objects.filter(pk=1).values_list("last_seq", flat=True).first() or 0
    state = {
        "seq": head,
        "statuses": dict(DekadReport.objects.values_list("pk", "status")),
        "task_force_id": User.objects.get(username=task_force).pk,
    }
    return prepared, state


def _first_with_role(role):
    from vanguard.org.models import RoleAssignment

    return (
        RoleAssignment.objects.filter(role=role, person__user__is_active=True)
        .order_by("person__user__username")
        .values_list("person__user__username", flat=True)
        .first()
    )


class Findings:
    """Counts of each kind of problem, and the first few in words."""

    def __init__(self):
        self.counts = Counter()
        self.shown = []

    def add(self, kind, text):
        self.counts[kind] += 1
        if len(self.shown) < SHOWN:
            self.shown.append("{}: {}".format(kind, text))


def verify(prepared, state, writes):
    """Check the database against the writes the generator sent; returns a result dict."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    from vanguard.audit.bundle import first_broken_entry
    from vanguard.audit.models import ChainHead, ChangeEntry
    from vanguard.projects.models import DekadReport, Project

    found = Findings()
    kind = ContentType.objects.get_for_model(DekadReport)
    users = dict(get_user_model().objects.values_list("username", "pk"))
    codes = dict(Project.objects.values_list("code", "pk"))
    prefix = "[{}-".format(prepared["run"])
    fields = ("pk", "project_id", "period", "status", "progress", "investment_yuan")
    fields += ("submitted_by_id", "supersedes_id")
    stored = defaultdict(list)
    for row in DekadReport.objects.filter(progress__startswith=prefix).values(*fields):
        stored[row["progress"].split(" ", 1)[0]].append(row)
    entries = list(
        ChangeEntry.objects.filter(seq__gt=state["seq"], content_type=kind)
        .order_by("seq")
        .values("seq", "object_id", "action", "before", "after", "actor_id", "created_at")
    )
    by_report = defaultdict(list)
    for entry in entries:
        by_report[int(entry["object_id"])].append(entry)

    filings = [w for w in writes if w["kind"] in ("file", "correct")]
    outcomes = Counter(w.get("outcome", "error") for w in filings)
    periods = dict(
        DekadReport.objects.filter(
            pk__in=[w["corrects"] for w in filings if w["kind"] == "correct"]
        ).values_list("pk", "period")
    )
    claimed = set()
    for write in filings:
        mark = write["mark"]
        claimed.add(mark)
        rows = stored.get(mark, [])
        outcome = write.get("outcome", "error")
        if len(rows) > 1:
            found.add("stored twice", "{} {} rows".format(mark, len(rows)))
        if outcome == "refused" and rows:
            found.add("refused but stored", "{} report {}".format(mark, rows[0]["pk"]))
        if outcome != "ok":
            continue
        if not rows:
            found.add("lost", "{} {} {} not stored".format(mark, write["door"], write["kind"]))
            continue
        row = rows[0]
        expected = {
            "project_id": codes.get(write["project"]),
            "investment_yuan": write["investment_yuan"],
            "submitted_by_id": users.get(write["user"]),
            "period": periods.get(write["corrects"])
            if write["kind"] == "correct"
            else write["period"],
        }
        if write["kind"] == "correct":
            expected["supersedes_id"] = write["corrects"]
        elif write.get("revises"):
            expected["supersedes_id"] = write["revises"]
        if write.get("id") is not None:
            expected["pk"] = write["id"]
        wrong = {k: (row[k], v) for k, v in expected.items() if row[k] != v}
        if wrong:
            found.add("stored with other values", "{} {}".format(mark, wrong))
    for mark, rows in stored.items():
        if mark not in claimed:
            found.add("stored without a request", "{} report {}".format(mark, rows[0]["pk"]))
    unknown = sum(
        1 for w in filings if w.get("outcome", "error") == "error" and stored.get(w["mark"])
    )

    run_rows = [row for rows in stored.values() for row in rows]
    _check_log(found, run_rows, by_report, state["statuses"])
    certified = _check_certifications(found, writes, entries, state["task_force_id"])
    _check_live(found, run_rows, by_report)

    head = ChainHead.objects.filter(pk=1).values_list("last_seq", flat=True).first() or 0
    broken = first_broken_entry(state["seq"] + 1, head) if head > state["seq"] else None
    if broken:
        found.add("change log chain broken", "entry {}: {}".format(*broken))
    lost = found.counts["lost"] + found.counts["stored with other values"]
    lost += found.counts["certification lost"]
    return {
        "filings": dict(outcomes),
        "stored": len(run_rows),
        "stored_of_unanswered": unknown,
        "certified": certified,
        "log_entries": head - state["seq"],
        "lost_writes": lost,
        "problems": dict(found.counts),
        "shown": found.shown,
        "ok": not found.counts,
    }


def _check_log(found, run_rows, by_report, statuses):
    """Each run report has one creation entry with its values; every report's entries
    replay, from its status before the run, to the status stored."""
    from vanguard.projects.models import DekadReport

    for row in run_rows:
        created = [e for e in by_report.get(row["pk"], []) if e["action"] == "create"]
        if len(created) != 1:
            found.add("creation not logged once", "report {}: {}".format(row["pk"], len(created)))
            continue
        after = created[0]["after"] or {}
        logged = {
            "progress": after.get("progress"),
            "investment_yuan": after.get("investment_yuan"),
            "project_id": after.get("project"),
            "period": after.get("period"),
            "submitted_by_id": after.get("submitted_by"),
        }
        wrong = {k: (row[k], v) for k, v in logged.items() if row[k] != v}
        if wrong or after.get("status") != "submitted":
            found.add("logged with other values", "report {} {}".format(row["pk"], wrong))
    now = dict(DekadReport.objects.filter(pk__in=list(by_report)).values_list("pk", "status"))
    for pk, report_entries in by_report.items():
        status = statuses.get(pk)
        for entry in report_entries:
            before, after = entry["before"] or {}, entry["after"] or {}
            if "status" in before and before["status"] != status:
                found.add(
                    "log does not replay",
                    "report {} entry {} says before {} but it was {}".format(
                        pk, entry["seq"], before["status"], status
                    ),
                )
            if "status" in after:
                status = after["status"]
        if now.get(pk) != status:
            found.add(
                "log does not replay",
                "report {} is {} but its log ends at {}".format(pk, now.get(pk), status),
            )


def _certifications(entries):
    """{report id: [entry, ...]} of the run's entries that certified a report."""
    done = defaultdict(list)
    for entry in entries:
        before, after = entry["before"] or {}, entry["after"] or {}
        if before.get("status") == "submitted" and after.get("status") == "certified":
            done[int(entry["object_id"])].append(entry)
    return done


def _check_certifications(found, writes, entries, task_force_id):
    """Acknowledged certifications are logged; logged ones were acknowledged; none twice.

    The API names what it certified. A page says how many it certified and names each
    report it did not (warnings); the rest of its batch is what it certified. When its
    messages did not all come back (a batch's words can outgrow the messages cookie and
    wait in the session), its certifications are only those logged during the request.
    """
    done = _certifications(entries)
    for pk, certifying in done.items():
        if len(certifying) > 1:
            found.add("certified twice", "report {}".format(pk))
        if any(e["actor_id"] != task_force_id for e in certifying):
            found.add("certified by someone else", "report {}".format(pk))
    requests = [w for w in writes if w["kind"] == "certify" and w.get("outcome") == "ok"]
    # A request that got no answer (a timeout, a broken connection) may have certified
    # its batch: that is no lost write, and no certification without a request.
    unanswered = {
        pk
        for w in writes
        if w["kind"] == "certify" and w.get("outcome", "error") == "error"
        for pk in w["ids"]
    }
    claims = Counter()
    unconfirmed = set()
    for write in requests:
        if write["door"] == "api":
            mine = set(write.get("certified", []))
        elif write.get("said") is not None:
            mine = set(write["ids"]) - set(write.get("refused", []))
            if write["said"] != len(mine):
                found.add(
                    "page says another count",
                    "said {} certified of {} ({} named refused)".format(
                        write["said"], len(write["ids"]), len(write.get("refused", []))
                    ),
                )
        else:
            t0, t1 = write["t0"] - 0.01, write["t1"] + 0.01
            mine = {
                pk
                for pk in write["ids"]
                if pk in done and t0 <= done[pk][0]["created_at"].timestamp() <= t1
            }
            unconfirmed |= mine
            mine = set()
        for pk in mine:
            claims[pk] += 1
            if pk not in done:
                found.add("certification lost", "report {} ({})".format(pk, write["door"]))
    for pk, n in claims.items():
        if n > 1:
            found.add("certified twice", "report {} acknowledged {} times".format(pk, n))
    for pk in set(done) - set(claims) - unconfirmed - unanswered:
        found.add("certified without an acknowledged request", "report {}".format(pk))
    everything = [w for w in writes if w["kind"] == "certify"]
    return {
        "requests": sorted(
            Counter((w["door"], w.get("outcome", "error")) for w in everything).items()
        ),
        "reports": len(done),
        "acknowledged": len(claims),
        "unconfirmed_by_page": len(unconfirmed - set(claims)),
        "by_unanswered_requests": len((set(done) & unanswered) - set(claims) - unconfirmed),
    }


def _check_live(found, run_rows, by_report):
    """No dekad of a project the run touched has two reports waiting or two certified."""
    from django.db.models import Count

    from vanguard.projects.models import DekadReport

    touched = {row["project_id"] for row in run_rows}
    touched |= set(
        DekadReport.objects.filter(pk__in=list(by_report)).values_list("project_id", flat=True)
    )
    doubles = (
        DekadReport.objects.filter(project_id__in=touched, status__in=["submitted", "certified"])
        .values("project_id", "period", "status")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    for double in doubles:
        found.add(
            "two live reports",
            "project {project_id} {period}: {n} {status}".format(**double),
        )
