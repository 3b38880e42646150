"""The indicators battle in a generated city demo: overview, warnings and forecasts, pack, backtest.

bench/run.py runs this in the city demo it generated (VANGUARD_VAR_DIR); it prints one
JSON line. Each figure has a baseline:

- the overview page (``/indicators/``, as ``tf_indicators``, through Django's test
  Client): the naive way reads each indicator's figures with a query per indicator
  and area, and its targets with one more per indicator;
- recomputing all warnings and forecasts (the indicators' lights through the light
  engine, and the outlook with its backtest): the naive way judges each indicator
  with its own queries and saves its light with one ORM write each;
- the monthly pack (Word and Excel, charts drawn): beside the bare reads it is made of;
- the backtest of the forecast on the demo's months, by months ahead, beside the
  naive forecast that carries the latest growth forward.

    python bench/indicators.py [--part overview|recompute|pack|backtest ...]
"""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

from city import Queries, median_ms, once_s, user  # noqa: E402

PARTS = ("counts", "overview", "recompute", "pack", "backtest")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", action="append", choices=PARTS)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanguard.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    from vanguard.org.queries import current_campaign

    campaign = current_campaign(None)
    parts = {
        "counts": counts,
        "overview": overview,
        "recompute": recompute,
        "pack": pack,
        "backtest": backtest,
    }
    results = {part: parts[part](campaign) for part in args.part or PARTS}
    print(json.dumps(results, ensure_ascii=False))


def _today(campaign):
    from django.utils import timezone

    return min(timezone.localdate(), campaign.end_date)


def counts(campaign):
    from django.apps import apps

    from vanguard.indicators.models import Indicator, Observation

    found = {
        "indicators": Indicator.objects.filter(campaign=campaign).count(),
        "observations": Observation.objects.filter(indicator__campaign=campaign).count(),
    }
    for label, name in (("enterprises", "KeyEnterprise"), ("enterprise_months", "EnterpriseMonth")):
        try:
            found[label] = apps.get_model("enterprises", name).objects.count()
        except LookupError:
            found[label] = None
    return found


# --- the overview page ---------------------------------------------------------------------


def overview(campaign):
    from django.test import Client

    member = user("tf_indicators")
    client = Client()
    client.force_login(member)

    def get():
        response = client.get("/indicators/")
        if response.status_code != 200:
            raise SystemExit("/indicators/ answered {}".format(response.status_code))

    p50 = median_ms(get)
    with Queries() as queries:
        get()
    naive = median_ms(lambda: naive_overview(campaign), 7)
    print("indicators overview: {:.1f} ms".format(p50), file=sys.stderr)
    return {
        "p50_ms": round(p50, 1),
        "target_ms": 200,
        "queries": queries.count,
        "sql_ms": round(queries.sql_ms, 1),
        "naive_ms": round(naive, 1),
    }


def naive_overview(campaign):
    """The overview's figures with a query per indicator and area, and per indicator's targets."""
    from vanguard.indicators.models import Area, Indicator, Observation
    from vanguard.targets.models import Target

    month = (
        Observation.objects.filter(indicator__campaign=campaign, is_current=True)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    rows = []
    for indicator in Indicator.objects.filter(campaign=campaign):
        figures = {}
        for area in Area.objects.filter(campaign=campaign):
            figures[area.level] = (
                Observation.objects.filter(
                    indicator=indicator, area=area, is_current=True, month__lte=month
                )
                .order_by("-month")
                .first()
            )
        targets = list(Target.objects.filter(campaign=campaign, measure=indicator.measure))
        rows.append((indicator, figures, targets))
    return rows


# --- warnings and forecasts ------------------------------------------------------------------


def recompute(campaign):
    """Warnings (the indicators' lights) and forecasts, each beside its naive way."""
    from django.db import transaction

    from vanguard.indicators import lights as indicator_lights
    from vanguard.indicators.lights import SubjectKind
    from vanguard.indicators.outlook import outlook
    from vanguard.supervision import lights
    from vanguard.supervision.models import LightState

    member = user("tf_indicators")
    today = _today(campaign)

    def warnings():
        judging = lights.Judging.of(lights.policy_for(campaign), today)
        return lights._write(
            indicator_lights.indicator_rows(campaign, judging),
            kind=SubjectKind.INDICATOR,
            campaign=campaign,
            as_of=today,
            now=lights.timezone.now(),
        )

    with transaction.atomic():
        LightState.objects.filter(campaign=campaign, kind=SubjectKind.INDICATOR).delete()
        first, _events = once_s(warnings)
        again = median_ms(warnings, 5, 1) / 1000
        transaction.set_rollback(True)
    with transaction.atomic():
        naive = median_ms(lambda: naive_recompute(campaign, today), 5, 1) / 1000
        transaction.set_rollback(True)
    forecasts = median_ms(lambda: outlook(campaign, member, today), 5, 1) / 1000
    naive_forecasts, naive_answers = once_s(lambda: naive_outlook(campaign))
    ours = [r.year_end.growth for r in outlook(campaign, member, today).indicators if r.year_end]
    if [round(a.growth, 6) for a in naive_answers] != [round(g, 6) for g in ours]:
        raise SystemExit("the naive forecasts disagree with outlook()")
    total = again + forecasts
    print("indicators warnings and forecasts: {:.2f} s".format(total), file=sys.stderr)
    return {
        "first_s": round(first, 3),
        "warnings_s": round(again, 3),
        "naive_warnings_s": round(naive, 3),
        "forecasts_s": round(forecasts, 3),
        "naive_forecasts_s": round(naive_forecasts, 3),
        "total_s": round(total, 3),
        "target_s": 10,
    }


def naive_outlook(campaign):
    """The same forecasts the naive way: a query per indicator and area for the figures,
    per sector and enterprise for the key enterprises' months, projects one by one."""
    from vanguard.core.money import UNITS
    from vanguard.enterprises.models import EnterpriseMonth, KeyEnterprise, Sector
    from vanguard.indicators import forecast
    from vanguard.indicators.models import Area, Indicator, Observation
    from vanguard.projects.models import Project

    series_of = {}
    for indicator in Indicator.objects.filter(campaign=campaign):
        for area in Area.objects.filter(campaign=campaign):
            series = forecast.Series()
            for observation in Observation.objects.filter(
                indicator=indicator,
                area=area,
                is_current=True,
                month__year__in=[campaign.year - 1, campaign.year],
            ):
                month = observation.month.month
                if observation.month.year < campaign.year:
                    if observation.growth_pct is not None:
                        series.last_year_growth[month] = observation.growth_pct
                    if observation.level is not None:
                        series.last_year_level[month] = observation.level
                    continue
                if observation.growth_pct is not None:
                    series.growth[month] = observation.growth_pct
                if observation.level is not None:
                    series.level[month] = observation.level
            series_of[(indicator, area.level)] = series
    answers = []
    for (indicator, level), series in series_of.items():
        if level != "district" or not series.growth:
            continue
        latest = series.latest
        companion = next(
            (
                theirs
                for level in ("city", "province")
                if (theirs := series_of.get((indicator, level))) is not None and theirs.growth
            ),
            None,
        )
        expected = rest = before = 0.0
        for sector in Sector.objects.filter(campaign=campaign, indicator=indicator):
            for firm in KeyEnterprise.objects.filter(sector=sector, expectation_yuan__isnull=False):
                months = EnterpriseMonth.objects.current().filter(
                    enterprise=firm, month__year=campaign.year, last_year_yuan__isnull=False
                )
                then = sum(m.last_year_yuan for m in months if m.month.month <= latest)
                if then:
                    expected += firm.expectation_yuan
                    rest += then * (12 - latest) / latest
                    before += then
        stock_pace = (expected / rest - 1) * 100 if rest else None
        share = 0.0
        scale = UNITS.get(indicator.unit_of_measure)
        if scale and latest in series.level:
            base = float(series.level[latest]) / (1 + float(series.growth[latest]) / 100)
            share = min(1.0, before / scale / base) if base else 0.0
        increment = 0.0
        if indicator.project_increment_rate is not None and scale:
            for project in Project.objects.filter(campaign=campaign):
                done = project.completed_planned
                if (
                    project.stage != "completed"
                    and done
                    and done.year == campaign.year
                    and latest < done.month <= 12
                ):
                    increment += (
                        project.investment_yuan
                        * float(indicator.project_increment_rate)
                        * (12 - done.month)
                        / 12
                    )
            increment /= scale
        answers.append(
            forecast.project(
                series,
                12,
                forecast.TUNED,
                increment=increment,
                stock_pace=stock_pace,
                stock_share=share,
                companion=companion,
            )
        )
    return answers


def naive_recompute(campaign, today):
    """Each indicator judged with its own queries and its light saved with an ORM write."""
    from vanguard.indicators import lights as indicator_lights
    from vanguard.indicators.lights import SubjectKind
    from vanguard.indicators.models import Area, Indicator, Observation
    from vanguard.supervision import lights
    from vanguard.supervision.models import LightState
    from vanguard.targets.models import Target

    judging = lights.Judging.of(lights.policy_for(campaign), today)
    due = {}
    for n in range(1, 13):
        month = today.replace(year=campaign.year, month=n, day=1)
        day = indicator_lights.month_due_date(
            month, judging.policy.indicator_data_working_days, judging.calendar
        )
        if day < today:
            due[month] = day
    areas = dict(Area.objects.filter(campaign=campaign).values_list("level", "name"))
    for indicator in Indicator.objects.filter(campaign=campaign):
        figures = {}
        for observation in Observation.objects.filter(
            indicator=indicator, is_current=True, month__year=campaign.year
        ).select_related("area"):
            figures[(observation.area.level, observation.month)] = (
                observation.level,
                observation.growth_pct,
            )
        targets = Target.objects.filter(campaign=campaign)
        growth = [t for t in targets if t.kind == "growth" and t.measure == indicator.measure]
        comparators = {}
        for t in targets:
            if t.kind == "relative" and (
                t.measure == indicator.measure
                or (indicator.main and t.measure == indicator_lights.MAIN_INDICATORS_MEASURE)
            ):
                for level in t.comparators:
                    comparators[level] = t.period_end
        reason, params = indicator_lights._judge_indicator(
            indicator, figures, growth, list(comparators.items()), areas, judging, due
        )
        LightState.objects.update_or_create(
            campaign=campaign,
            kind=SubjectKind.INDICATOR,
            object_id=indicator.pk,
            defaults={
                "unit_id": indicator.responsible_unit_id,
                "light": indicator_lights.REASONS[reason].light,
                "reason": reason,
                "params": params,
                "since": lights.timezone.now(),
                "since_date": today,
            },
        )


# --- the monthly pack --------------------------------------------------------------------------


def pack(campaign):
    from vanguard.exchange.xlsx import write_workbook
    from vanguard.indicators import pack as packs
    from vanguard.indicators.queries import latest_month

    member = user("tf_indicators")
    today = _today(campaign)
    month = latest_month(campaign, today)

    def whole():
        gathered = packs.gather(campaign, member, month, today)
        word = packs.docx_bytes(gathered)
        excel = write_workbook(packs.xlsx_sheets(gathered))
        return len(word) + len(excel)

    seconds, size = once_s(whole)
    again = median_ms(whole, 3, 0) / 1000
    reads = median_ms(lambda: packs.gather(campaign, member, month, today), 3, 1) / 1000
    print("monthly pack: {:.2f} s".format(again), file=sys.stderr)
    return {
        "first_s": round(seconds, 3),
        "p50_s": round(again, 3),
        "target_s": 20,
        "reads_s": round(reads, 3),
        "bytes": size,
    }


# --- the backtest ------------------------------------------------------------------------------


def backtest(campaign):
    """The shipped method's backtest on the demo's own district series (as the page shows)."""
    from vanguard.indicators import backtest as backtests
    from vanguard.indicators import forecast
    from vanguard.indicators.outlook import load_series, own_backtest
    from vanguard.indicators.queries import indicators_for

    member = user("tf_indicators")
    indicators = list(indicators_for(member, campaign))
    started = time.perf_counter()
    series, _bases = load_series(campaign, member, indicators)
    found = own_backtest(series, forecast.TUNED)
    spent = time.perf_counter() - started
    return {
        "series": len(series),
        "seconds": round(spent, 3),
        "rows": [
            {k: (round(v, 3) if isinstance(v, float) else v) for k, v in row.items()}
            for row in backtests.horizons(found)
        ],
    }


if __name__ == "__main__":
    main()
