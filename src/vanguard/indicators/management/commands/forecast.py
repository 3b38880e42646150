"""``vanguard forecast backtest --series FILE.csv [--json]``: the forecast's backtest on a file.

Without ``--tune-years`` it tests the method as shipped (``forecast.TUNED``), whose
settings were tuned on ``forecast.TUNED_ON``, and says which tested series the tuning
saw. With ``--tune-years 2022`` it tunes on those years of the file and tests on the
others (``--test-years`` to choose), so a test on years the method never saw is one
command.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from vanguard.indicators import backtest, published
from vanguard.indicators.forecast import TUNED, TUNED_FILE, TUNED_YEARS
from vanguard.indicators.wording import window_words


def _years(text):
    try:
        return sorted({int(part) for part in text.replace("，", ",").split(",") if part.strip()})
    except ValueError:
        raise CommandError(
            _("“{value}” is not a list of years such as 2022,2023").format(value=text)
        ) from None


def run(path, tune_years=None, test_years=None):
    """The backtest of the file at ``path`` as one dict (``backtest.report`` with checks)."""
    try:
        cases = published.read_cases(path)
    except published.SeriesFileError as exc:
        raise CommandError(str(exc)) from None
    if tune_years:
        tuning = [c for c in cases if c.year in tune_years]
        if not tuning:
            raise CommandError(
                _("{file} has no series in the tuning years {years}").format(
                    file=path, years=_join(tune_years)
                )
            )
        tuned = backtest.tune(tuning)
        method, found, unidentified = tuned.method, tuned.forecasts, tuned.unidentified
        tuned_on = {"file": str(path), "years": tune_years, "series": [c.name for c in tuning]}
        tested = [
            c for c in cases if (c.year in test_years if test_years else c.year not in tune_years)
        ]
    else:
        shipped = backtest.shipped()
        tuning = [c for c in published.read_cases(published.SHIPPED) if c.year in TUNED_YEARS]
        method, found, unidentified = TUNED, shipped.forecasts, []
        tuned_on = {
            "file": TUNED_FILE,
            "years": list(TUNED_YEARS),
            "series": [c.name for c in tuning],
        }
        tested = [c for c in cases if not test_years or c.year in test_years]
    if not tested:
        raise CommandError(_("{file} has no series to test").format(file=path))
    result = backtest.report(
        tested,
        method,
        tuned_on=tuned_on,
        tuning_forecasts=found,
        tuned_cases=tuning,
        unidentified=unidentified,
    )
    result["tested_on"]["file"] = str(path)
    result["checks"] = backtest.checks(result)
    return result


class Command(BaseCommand):
    help = "Backtest the indicators' forecast on a CSV file of published cumulative figures."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        run_parser = sub.add_parser("backtest", help="backtest the forecast on a file")
        run_parser.add_argument("--series", required=True, help="CSV file of published figures")
        run_parser.add_argument("--json", action="store_true", help="print one JSON object")
        run_parser.add_argument(
            "--tune-years", help="tune on these years of the file (e.g. 2022) and test on the rest"
        )
        run_parser.add_argument("--test-years", help="test on these years only (e.g. 2023)")

    def handle(self, *args, verb, series, **options):
        tune_years = _years(options["tune_years"]) if options.get("tune_years") else None
        test_years = _years(options["test_years"]) if options.get("test_years") else None
        result = run(series, tune_years, test_years)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        for line in text_lines(result):
            self.stdout.write(line)


def _setting_name(name):
    return {
        "weight": _("weight of the recent months"),
        "window": _("recent months"),
        "base_effect": _("base effect"),
        "relation": _("share of the comparator's move"),
    }.get(name, name)


def _join(items):
    return pgettext("list separator", ", ").join(str(item) for item in items)


def _f(value, places=2):
    return "—" if value is None else "{:.{}f}".format(value, places)


def _pct(value):
    return "—" if value is None else "{:.0f}%".format(value * 100)


def text_lines(result):
    """The report as lines of text, Chinese first."""
    tuned, tested = result["tuned_on"], result["tested_on"]
    method = result["method"]
    lines = [
        _("Tuned on: {file}, years {years} ({n} series)").format(
            file=tuned["file"], years=_join(tuned["years"]), n=len(tuned["series"])
        ),
        _("Tested on: {file}, years {years} ({n} series, {forecasts} forecasts)").format(
            file=tested["file"],
            years=_join(tested["years"]),
            n=len(tested["series"]),
            forecasts=result["forecasts"],
        ),
    ]
    if result["in_sample_years"]:
        lines.append(
            _(
                "Note: the years {years} were also tuned on, so their errors are in-sample;"
                " test on other years with --tune-years."
            ).format(years=_join(result["in_sample_years"]))
        )
    lines.append(
        _(
            "Settings: weight of the recent months {weight}, recent months {window}, base effect"
            " {base}, share of the comparator's move {relation}"
        ).format(
            weight=method["weight"],
            window=window_words(method["window"]),
            base=method["base_effect"],
            relation=method["relation"],
        )
    )
    if result["unidentified"]:
        lines.append(
            _("Not told apart by the tuning series (kept at the first choice): {names}").format(
                names=_join(_setting_name(name) for name in result["unidentified"])
            )
        )
    lines += ["", _("Errors of the cumulative growth, in percentage points:")]
    header = [
        _("Months ahead"),
        _("Forecasts"),
        _("MAE"),
        _("RMSE"),
        _("Carried forward: MAE"),
        _("RMSE"),
        _("MAE ratio"),
    ]
    lines.append("\t".join(header))
    for row in result["horizons"]:
        lines.append(
            "\t".join(
                [
                    str(row["months_ahead"]),
                    str(row["n"]),
                    _f(row["mae"]),
                    _f(row["rmse"]),
                    _f(row["naive_mae"]),
                    _f(row["naive_rmse"]),
                    _f(row["mae_ratio"]),
                ]
            )
        )
    lines += [
        "",
        _(
            "Calibration of the odds that the year's growth will reach X (X every half point"
            " within two points of the latest growth): {n} events"
        ).format(n=result["events"]),
        _("Brier score: {mine} (carried forward with its own spread: {theirs})").format(
            mine=_f(result["brier"], 3), theirs=_f(result["naive_brier"], 3)
        ),
        "\t".join(
            [
                _("Odds given"),
                _("Events"),
                _("Came true"),
                _("Carried forward: events"),
                _("Came true"),
            ]
        ),
    ]
    for mine, theirs in zip(result["reliability"], result["naive_reliability"], strict=True):
        lines.append(
            "\t".join(
                [
                    "{:.0f}–{:.0f}%".format(mine["from"] * 100, mine["to"] * 100),
                    str(mine["n"]),
                    _pct(mine["came_true"]),
                    str(theirs["n"]),
                    _pct(theirs["came_true"]),
                ]
            )
        )
    lines += ["", _("Targets:")]
    checks = result["checks"]
    lines.append(
        _target_line(
            _("from 3 months ahead on, mean absolute error at least 10 % below carrying forward"),
            checks["mae_below_naive_from_3_months"],
        )
    )
    brier = checks["brier_below_naive"]
    lines.append(
        "{} {}".format(
            _("met") if brier["met"] else _("missed"),
            _("Brier score below carrying forward's"),
        )
    )
    lines.append(
        _target_line(
            _("no horizon worse than carrying forward by more than 5 %"),
            checks["no_horizon_much_worse"],
        )
    )
    lines.append(
        _(
            "Supported up to {reach} months ahead: every horizon up to there had at least"
            " {n} forecasts and erred less than carrying forward."
        ).format(reach=checks["supported_months_ahead"], n=backtest.MIN_FORECASTS)
    )
    return lines


def _target_line(label, check):
    if check["met"]:
        return "{} {}".format(_("met"), label)
    misses = _join(
        _("{months} months ahead: ratio {ratio} ({n} forecasts)").format(
            months=m["months_ahead"], ratio=_f(m["mae_ratio"]), n=m["n"]
        )
        for m in check["misses"]
    )
    return _("{verdict} {target}: {misses}").format(
        verdict=_("missed"), target=label, misses=misses
    )
