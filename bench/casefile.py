"""City-scale benchmark of a referred case's file (卷宗) as one ZIP.

bench/run.py runs it in the generated city demo (its VANGUARD_VAR_DIR); it prints one
JSON line. The case is the heaviest a unit can bring: the unit that filed the most dekad
reports is referred as a whole (kind "unit"), so its file holds every one of its reports
and certifications and every change of its light, with the referral letter as DOCX.
The referral is made through ``do_refer_case`` inside a transaction that is rolled back.

Figure: ``case_file_zip`` (every part set-based, the DOCX, the JSON, the manifest with
its SHA-256s and the change-log digest), median of three. Baseline: the same file with
the reports read the naive way (the ORM, a query per report for its project and its
reviewer), and bare SQL: the reports' one SELECT alone.

    python bench/casefile.py
"""

import json
import os
import statistics
import sys
import time

from figures import ratio, verdict

REPEAT = 3
TARGET_S = 10


def timed(fn, repeat=REPEAT):
    times, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanguard.settings")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.db.models import Count

    from vanguard.org.access import SYSTEM
    from vanguard.org.queries import current_campaign
    from vanguard.projects.models import DekadReport
    from vanguard.supervision.talks import casefile
    from vanguard.supervision.talks.actions import do_refer_case

    campaign = current_campaign(None)
    busiest = (
        DekadReport.objects.filter(project__campaign=campaign)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    with transaction.atomic():
        referral = do_refer_case(
            campaign=campaign,
            kind="unit",
            object_id=busiest["unit_id"],
            unit=busiest["unit_id"],
            reason="基准测试",
            actor=SYSTEM,
        )
        seconds, (content, _name) = timed(lambda: casefile.case_file_zip(referral))
        naive_s, _ = timed(lambda: naive_zip(referral), repeat=1)
        bare_s, _ = timed(lambda: bare_reports(connection, referral))
        transaction.set_rollback(True)
    print(
        json.dumps(
            {
                "unit_reports": busiest["n"],
                "bytes": len(content),
                "seconds": seconds,
                "target_s": TARGET_S,
                "naive_s": naive_s,
                "bare_sql_s": bare_s,
            }
        )
    )


def naive_zip(referral):
    """The same file with the reports part built a row at a time through the ORM."""
    from django.utils import timezone

    from vanguard.projects import casefile as projects_casefile
    from vanguard.projects.models import DekadReport
    from vanguard.supervision.talks import casefile

    def naive_reports(case):
        part = projects_casefile.reports_part(case)
        rows = []
        reports = DekadReport.objects.filter(
            project__campaign_id=case.campaign_id, unit_id=case.object_id
        ).order_by("period_start", "pk")
        for report in reports:
            rows.append(
                {
                    "pk": report.pk,
                    "project_code": report.project.code,
                    "project_name": report.project.name,
                    "period": report.period,
                    "status": report.status,
                    "progress": report.progress,
                    "investment_yuan": report.investment_yuan,
                    "submitted_at": timezone.localtime(report.submitted_at).strftime(
                        "%Y-%m-%d %H:%M"
                    ),
                    "late": report.late,
                    "reviewer": report.reviewed_by.username if report.reviewed_by else None,
                    "reviewed_at": report.reviewed_at,
                    "return_reason": report.return_reason,
                }
            )
        part.rows = rows
        return part

    saved = dict(casefile.PARTS)
    casefile.PARTS["reports"] = naive_reports
    try:
        return casefile.case_file_zip(referral)
    finally:
        casefile.PARTS.clear()
        casefile.PARTS.update(saved)


def bare_reports(connection, referral):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.id, p.code, r.period, r.status, r.progress, r.submitted_at, r.late,"
            " u.username, r.reviewed_at, r.return_reason"
            " FROM projects_dekadreport r JOIN projects_project p ON p.id = r.project_id"
            " LEFT JOIN auth_user u ON u.id = r.reviewed_by_id"
            " WHERE p.campaign_id = %s AND r.unit_id = %s ORDER BY r.period_start, r.id",
            [referral.campaign_id, referral.object_id],
        )
        return cursor.fetchall()


def report(found):
    lines = [
        "",
        "## City scale: a referred case's file as one ZIP (SQLite)",
        "",
        "The unit that filed the most dekad reports in the city demo, referred as a whole:",
        "its file holds every report and certification, every change of its light and the",
        "referral letter (DOCX), with the JSON data and a manifest of SHA-256 hashes and the",
        "change-log digest (`supervision.talks.casefile.case_file_zip`, median of three).",
        "Baseline: the same file with the reports read through the ORM a row at a time (a",
        "query per report for its project and its reviewer). Bare SQL: the reports' SELECT.",
        "",
        "| | reports | ZIP | figure (s) | target | | naive (s) | ratio | bare SQL (s) |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    if not found:
        lines.append("| case file | | | did not finish | < 10 | **missed** | | | |")
        return lines
    lines.append(
        "| case file | {} | {:.0f} KB | {:.2f} | < {} | {} | {:.2f} | {} | {:.3f} |".format(
            found["unit_reports"],
            found["bytes"] / 1024,
            found["seconds"],
            found["target_s"],
            verdict(found["seconds"], found["target_s"]),
            found["naive_s"],
            ratio(found["naive_s"], found["seconds"]),
            found["bare_sql_s"],
        )
    )
    return lines


if __name__ == "__main__":
    sys.exit(main())
