"""The monthly bulletin in a generated city demo: a month's draft and its DOCX.

bench/run.py runs this in the city demo it generated (VANGUARD_VAR_DIR); it prints one
JSON line. Each figure has a baseline:

- drafting a month's bulletin (every unit's facts as of the cut-off, scored, ranked,
  lines written): beside the bare SQL of its fact queries, and the naive way that asks
  each unit's lights and dekad reports with queries of its own;
- the DOCX (GB/T 9704 layout, the full ranking as an annex, every figure a link):
  beside the XLSX annex of the same lines.

Targets (issue 11): a draft under 30 s, the DOCX under 10 s.

    python bench/bulletin.py
"""

import datetime
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

from city import once_s  # noqa: E402

RULE = "plans/xihaian-bulletin-rule.yaml"


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanguard.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.utils import timezone

    from vanguard.org.access import SYSTEM
    from vanguard.org.queries import current_campaign
    from vanguard.supervision.bulletins import actions, document, facts
    from vanguard.supervision.models import Bulletin

    campaign = current_campaign(None)
    if actions.latest_rule(campaign) is None:
        path = settings.PROJECT_DIR / RULE
        actions.do_load_scoring_rule(campaign, path.read_text("utf-8"), actor=SYSTEM)
    issued = Bulletin.objects.filter(campaign=campaign).order_by("-month").first()
    month = issued.month if issued else datetime.date(2026, 10, 1)
    cutoff = timezone.now()
    start, end = actions.month_window(month)

    say = lambda *a: print(*a, file=sys.stderr, flush=True)  # noqa: E731
    draft_s, _ = once_s(
        lambda: actions.do_draft_bulletin(
            campaign, month, actor=SYSTEM, cutoff=cutoff, correction=True
        )
    )
    say("draft", draft_s)
    bulletin = Bulletin.objects.get(campaign=campaign, month=month, state="draft")
    bare_s, _ = once_s(lambda: facts.collect(campaign, start, end, cutoff))
    say("bare facts", bare_s)
    units = list(bulletin.lines.values_list("unit_id", flat=True))
    docx_s, _ = once_s(lambda: document.bulletin_docx(bulletin, "https://example.org"))
    say("docx", docx_s)
    xlsx_s, _ = once_s(lambda: document.bulletin_xlsx(bulletin, "https://example.org"))
    say("xlsx", xlsx_s)
    # The naive way takes minutes per unit at this scale: one unit, scaled to all.
    sample = units[:1]
    naive_sample_s, _ = once_s(lambda: naive_facts(campaign, sample, start, end, cutoff))
    naive_s = naive_sample_s * len(units) / max(1, len(sample))
    say("naive", naive_s)
    print(
        json.dumps(
            {
                "month": month.isoformat(),
                "units": len(units),
                "draft_s": draft_s,
                "bare_facts_s": bare_s,
                "naive_facts_s": naive_s,
                "docx_s": docx_s,
                "docx_bytes": len(document.bulletin_docx(bulletin, "https://example.org")),
                "xlsx_s": xlsx_s,
            }
        )
    )


def naive_facts(campaign, unit_ids, start, end, cutoff):
    """Each unit's facts asked one unit and one subject at a time (the baseline)."""
    from vanguard.projects.models import DekadReport, Project
    from vanguard.supervision.models import LightEvent

    found = {}
    for unit_id in unit_ids:
        lights = {}
        subjects = (
            LightEvent.objects.filter(campaign=campaign, unit_id=unit_id, as_of__lte=end)
            .values_list("kind", "object_id")
            .distinct()
        )
        for kind, object_id in subjects:
            last = (
                LightEvent.objects.filter(
                    campaign=campaign,
                    kind=kind,
                    object_id=object_id,
                    as_of__lte=end,
                    at__lte=cutoff,
                )
                .order_by("-as_of", "-pk")
                .first()
            )
            if last:
                lights[last.to_light] = lights.get(last.to_light, 0) + 1
        reports = 0
        for project in Project.objects.filter(campaign=campaign, lead_unit_id=unit_id):
            reports += DekadReport.objects.filter(
                project=project, period_start__gte=start, submitted_at__lte=cutoff
            ).count()
        found[unit_id] = {**lights, "reports": reports}
    return found


if __name__ == "__main__":
    main()


def report(found):
    """The section of docs/benchmarks.md (bench/run.py writes it)."""
    from figures import ratio, verdict

    lines = [
        "",
        "## City scale: the monthly bulletin (SQLite)",
        "",
        "A month's bulletin in the city demo (`bench/bulletin.py`). *Draft*: every unit's",
        "facts as of the cut-off (lights at the month's end, dekad reports, statistics),",
        "scored, ranked and written as lines with its change-log entry. Bare SQL: the fact",
        "queries alone. Naive: each unit's lights asked one subject at a time and its",
        "reports one project at a time, timed on one unit and scaled to all. The DOCX is",
        "the GB/T 9704 document with the full ranking annexed, every figure a link.",
        "",
        "| | units | figure (s) | target | | naive (s) | ratio | bare SQL (s) |",
        "|---|---:|---:|---:|---|---:|---:|---:|",
    ]
    if not found:
        lines.append("| draft | | did not finish | < 30 | **missed** | | | |")
        return lines
    lines += [
        "| draft a month | {} | {:.1f} | < 30 | {} | {:.0f} | {} | {:.1f} |".format(
            found["units"],
            found["draft_s"],
            verdict(found["draft_s"], 30),
            found["naive_facts_s"],
            ratio(found["naive_facts_s"], found["draft_s"]),
            found["bare_facts_s"],
        ),
        "| DOCX ({:.0f} KB) | {} | {:.1f} | < 10 | {} | | | |".format(
            found["docx_bytes"] / 1024,
            found["units"],
            found["docx_s"],
            verdict(found["docx_s"], 10),
        ),
        "| XLSX annex | {} | {:.1f} | | | | | |".format(found["units"], found["xlsx_s"]),
    ]
    return lines
