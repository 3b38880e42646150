"""The forecast in words: odds in tenths (七成), periods as statistics name them (一季度).

Odds are said to the tenth (成), never to the percent, because the backtest cannot
support more: below 5 % they are "less than one in ten", above 95 % "more than nine in
ten", and in between the nearest tenth.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

TENTHS = {
    1: gettext_lazy("about one in ten"),
    2: gettext_lazy("about two in ten"),
    3: gettext_lazy("about three in ten"),
    4: gettext_lazy("about four in ten"),
    5: gettext_lazy("about even"),
    6: gettext_lazy("about six in ten"),
    7: gettext_lazy("about seven in ten"),
    8: gettext_lazy("about eight in ten"),
    9: gettext_lazy("about nine in ten"),
}
# Below this the odds are "less than one in ten"; above 1 minus it, "more than nine in ten".
EDGE = 0.05


def tenths(probability):
    """The odds to the nearest tenth (1–9), or 0 below 5 % and 10 above 95 %."""
    if probability < EDGE:
        return 0
    if probability > 1 - EDGE:
        return 10
    # Half a tenth rounds up, as one reads 65 % as 七成.
    return min(9, max(1, int(probability * 10 + 0.5 + 1e-9)))


def odds_words(probability):
    """约为七成, 不到一成, 超过九成 …"""
    n = tenths(probability)
    if n == 0:
        return _("less than one in ten")
    if n == 10:
        return _("more than nine in ten")
    return str(TENTHS[n])


def period_words(month):
    """The cumulative period ending at ``month`` as statistics name it: 一季度, 上半年 …"""
    names = {
        3: _("the first quarter"),
        6: _("the first half"),
        9: _("the first three quarters"),
        12: _("the year"),
    }
    return names.get(month) or _("months 1–{month}").format(month=month)


def odds_sentence(month, probability, *, threshold=None, comparators=None):
    """按目前走势，一季度增速达到6.5%的可能约为七成。 (or 高于山东省、青岛市)"""
    odds = odds_words(probability)
    if comparators:
        return _(
            "On the present trend, the odds that growth in {period} is above {areas} are {odds}."
        ).format(
            period=period_words(month),
            areas=pgettext("list separator", ", ").join(comparators),
            odds=odds,
        )
    return _(
        "On the present trend, the odds that growth in {period} reaches {threshold}% are {odds}."
    ).format(period=period_words(month), threshold=_number(threshold), odds=odds)


def _number(value):
    """6.5, 7 (not 7.0), as a target is written."""
    text = "{:.1f}".format(value)
    return text[:-2] if text.endswith(".0") else text


def band_words(low, high, months_ahead):
    """预计区间4.1%至6.3%（按回测中提前3个月预测的误差，十次约有八次落在其中）"""
    return _(
        "likely range {low}% to {high}% (eight in ten forecasts made {months} months ahead "
        "fell within such a range in the backtest)"
    ).format(low=_number(low), high=_number(high), months=months_ahead)


def window_words(window):
    """How far back the pace's recent months reach: 1 month, 3 months, the quarter."""
    if window == "quarter":
        return _("since the quarter's start")
    return _("{n} month(s)").format(n=window)


def held_out_words(result, enough=5):
    """How the method did on the year it was not tuned on, in one sentence.

    Horizons with fewer than ``enough`` forecasts are left out of the range of gains
    (counted, not quoted), so two lucky forecasts cannot make the claim; and it says how
    far ahead the test supports the method (``backtest.supported_reach``).
    """
    tuned = ", ".join(str(y) for y in result["tuned_on"]["years"])
    tested = ", ".join(str(y) for y in result["tested_on"]["years"])
    rows = [r for r in result["horizons"] if r["months_ahead"] >= 3 and r["mae_ratio"]]
    measured = [r for r in rows if r["n"] >= enough]
    better = [r for r in measured if r["mae_ratio"] < 1]
    text = []
    if better:
        gains = [round((1 - r["mae_ratio"]) * 100) for r in better]
        text.append(
            _(
                "Tuned on {tuned} alone and tested on {tested}: from 3 months ahead on, its mean"
                " absolute error was {low}% to {high}% below carrying the latest growth forward"
            ).format(tuned=tuned, tested=tested, low=min(gains), high=max(gains))
        )
    for r in measured:
        if r["mae_ratio"] >= 1:
            text.append(
                _("{months} months ahead it was {pct}% worse ({n} forecasts)").format(
                    months=r["months_ahead"], pct=round((r["mae_ratio"] - 1) * 100), n=r["n"]
                )
            )
    thin = [r["months_ahead"] for r in rows if r["n"] < enough]
    if thin:
        text.append(
            _("{months} months ahead had fewer than {n} forecasts each and are not counted").format(
                months=pgettext("list separator", ", ").join(str(m) for m in thin), n=enough
            )
        )
    reach = result.get("checks", {}).get("supported_months_ahead")
    longest = max((r["months_ahead"] for r in result["horizons"]), default=0)
    if reach is not None and reach < longest:
        text.append(
            _(
                "so it is relied on up to {reach} months ahead, and odds further ahead are marked"
                " as a rough guide"
            ).format(reach=reach)
        )
    if result["brier"] is not None and result["naive_brier"] is not None:
        text.append(
            _(
                "the Brier score of its odds was {mine}, against {theirs} for carrying forward"
            ).format(
                mine="{:.3f}".format(result["brier"]), theirs="{:.3f}".format(result["naive_brier"])
            )
        )
    return pgettext("clause separator", "; ").join(text) + pgettext("sentence end", ".")
