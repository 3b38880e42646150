"""The forecast's backtest on officially published figures, beside the demo's.

Runs ``vanguard forecast backtest`` on the shipped series twice: as shipped (settings
tuned on 2022–2023, so in-sample) and held out (tuned on 2022 alone, tested on 2023),
then the far-horizon study (bench/far_horizons.py). Needs no database. ``report``
writes the section of docs/benchmarks.md, with the demo's backtest
(bench/indicators.py --part backtest) beside them.

    python bench/published_backtest.py
"""

import json
import os
import sys
import time

import far_horizons


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanguard.settings")
    import django

    django.setup()
    from vanguard.indicators import published
    from vanguard.indicators.management.commands.forecast import run

    started = time.perf_counter()
    in_sample = run(published.SHIPPED)
    held_out = run(published.SHIPPED, tune_years=[2022], test_years=[2023])
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "in_sample": in_sample,
                "held_out": held_out,
                "seconds": round(seconds, 2),
                "far_horizons": far_horizons.study(),
            },
            ensure_ascii=False,
        )
    )


def _f(value, places=2):
    return "—" if value is None else "{:.{}f}".format(value, places)


def _table(rows):
    lines = [
        "| months ahead | forecasts | MAE | RMSE | carried forward: MAE | RMSE | MAE ratio |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            "| {} | {} | {} | {} | {} | {} | {} |".format(
                row["months_ahead"],
                row["n"],
                _f(row["mae"]),
                _f(row["rmse"]),
                _f(row["naive_mae"]),
                _f(row["naive_rmse"]),
                _f(row.get("mae_ratio")),
            )
        )
    return lines


def _calibration(result):
    lines = [
        "",
        "Odds that the year's growth reaches X (X every half point within two points of the",
        "latest growth; {} events): Brier score {} against {} for carrying forward with its"
        " own".format(result["events"], _f(result["brier"], 3), _f(result["naive_brier"], 3)),
        "measured spread.",
        "",
        "| odds given | events | came true | carried forward: events | came true |",
        "|---|---:|---:|---:|---:|",
    ]
    for mine, theirs in zip(result["reliability"], result["naive_reliability"], strict=True):
        lines.append(
            "| {:.0f}–{:.0f} % | {} | {} | {} | {} |".format(
                mine["from"] * 100,
                mine["to"] * 100,
                mine["n"],
                "—" if mine["came_true"] is None else "{:.0f} %".format(mine["came_true"] * 100),
                theirs["n"],
                "—"
                if theirs["came_true"] is None
                else "{:.0f} %".format(theirs["came_true"] * 100),
            )
        )
    return lines


def _checks(result):
    checks = result["checks"]
    lines = [""]

    def misses(check):
        return ", ".join(
            "{} months ahead (ratio {:.3f}, {} forecasts)".format(
                m["months_ahead"], m["mae_ratio"], m["n"]
            )
            for m in check["misses"]
        )

    first = checks["mae_below_naive_from_3_months"]
    lines.append(
        "- From 3 months ahead on, MAE at least 10 % below carrying forward: "
        + ("met." if first["met"] else "**missed** at " + misses(first) + ".")
    )
    brier = checks["brier_below_naive"]
    lines.append(
        "- Brier score below carrying forward's: "
        + ("met" if brier["met"] else "**missed**")
        + " ({} against {}).".format(_f(brier["brier"], 3), _f(brier["naive_brier"], 3))
    )
    worst = checks["no_horizon_much_worse"]
    lines.append(
        "- No horizon worse than carrying forward by more than 5 %: "
        + ("met." if worst["met"] else "**missed** at " + misses(worst) + ".")
    )
    lines.append(
        "- Supported up to {} months ahead (every horizon up to there had at least 5"
        " forecasts and erred less than carrying forward); the page marks odds further"
        " ahead as a rough guide.".format(checks["supported_months_ahead"])
    )
    return lines


def report(found, demo):
    """Markdown lines: the backtest on published figures (in-sample, held out) and the demo's."""
    lines = ["", "### Backtest of the forecast (`indicators.forecast`, `indicators.backtest`)", ""]
    if not found:
        lines.append("The backtest on published figures did not finish.")
    else:
        in_sample, held_out = found["in_sample"], found["held_out"]
        method = in_sample["method"]
        lines += [
            "`vanguard forecast backtest --series src/vanguard/indicators/data/"
            "published-growth-2022-2023.csv`: every published month of every series (an",
            "area's indicator in one year) forecast from each earlier published month of the",
            "same year, with only the figures known then, and compared with what was",
            "published; errors in percentage points of cumulative growth. Baseline: the",
            "latest cumulative growth carried forward unchanged. The series were tuned on:",
            "`{}` ({} series); the shipped settings are weight of the recent months {},"
            " recent months {}, base effect {}, share of the comparator's move {}.".format(
                in_sample["tuned_on"]["file"],
                len(in_sample["tuned_on"]["series"]),
                method["weight"],
                method["window"],
                method["base_effect"],
                method["relation"],
            ),
            "",
            "**Shipped series, 2022–2023, in-sample** (the settings were tuned on these very"
            " years):",
            "",
            *_table(in_sample["horizons"]),
            *_calibration(in_sample),
            "",
            "**Held out: tuned on 2022, tested on 2023** (`--tune-years 2022`). 2022 has no"
            " year before it in the file, so the base effect's weight is not identified there"
            " and stays at its middle, {}.".format(held_out["method"]["base_effect"]),
            "The settings tuned on 2022 alone: weight {}, recent months {}, base effect {},"
            " comparator {}.".format(
                held_out["method"]["weight"],
                held_out["method"]["window"],
                held_out["method"]["base_effect"],
                held_out["method"]["relation"],
            ),
            "",
            *_table(held_out["horizons"]),
            *_calibration(held_out),
            *_checks(held_out),
            *far_horizons.report(found.get("far_horizons")),
        ]
    lines += [
        "",
        "**Demo** (`bench/indicators.py --part backtest`): the shipped method on the demo's",
        "own district series of the campaign year. The demo's figures are generated by the",
        "demo's own code (a drift and noise that cumulation smooths), so they say nothing of",
        "skill; they show the page's own-backtest table works at scale.",
        "",
    ]
    if demo:
        lines += _table(demo.get("rows", []))
    else:
        lines.append("The demo backtest did not finish.")
    return lines


if __name__ == "__main__":
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    main()
