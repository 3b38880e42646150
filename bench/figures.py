"""How the benchmark report states a figure against its baseline and its target."""


def ratio(baseline, figure):
    if baseline is None or not figure:
        return "—"
    return "{:.1f}×".format(baseline / figure)


def verdict(figure, target):
    if figure is None:
        return "**missed** (did not finish)"
    return "met" if figure < target else "**missed**"
