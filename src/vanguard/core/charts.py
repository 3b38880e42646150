"""Charts as PNG images for documents (the Word packs), drawn with matplotlib.

Pages draw their charts with ECharts in the browser; a Word document needs images, so
the same figures are drawn here. Chinese labels need a font with CJK glyphs: the
first of the usual ones found on the machine is used (``scripts/fonts.sh``, run by
``make setup``, installs WenQuanYi Zen Hei where it can).
"""

import io
import logging
from functools import cache

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402

log = logging.getLogger(__name__)

CJK_FAMILIES = (
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Droid Sans Fallback",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "AR PL UMing CN",
)

CJK_FILE_HINTS = ("wqy", "cjk", "droidsansfallback", "sourcehan", "simhei", "msyh", "pingfang")

COLOURS = {"district": "#c0272d", "city": "#1f6fb2", "province": "#6c757d", "target": "#e0a800"}


@cache
def cjk_family():
    """The name of a font family with Chinese glyphs on this machine, or None."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    if not names.intersection(CJK_FAMILIES):
        # Installed after matplotlib cached its font list: add the files themselves.
        for path in font_manager.findSystemFonts():
            if any(key in path.lower() for key in CJK_FILE_HINTS):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        names = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in names:
            return family
    log.warning("no font with Chinese glyphs found: chart labels will show boxes")
    return None


def _figure(width=7.5, height=3.6):
    family = cjk_family()
    families = [family, "DejaVu Sans"] if family else ["DejaVu Sans"]
    plt.rcParams["font.sans-serif"] = families
    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["axes.unicode_minus"] = False
    return plt.subplots(figsize=(width, height), dpi=150)


def _png(fig):
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def _label(ax, value, x, y, unit):
    ax.annotate(
        "{:.1f}{}".format(value, unit),
        (x, y),
        xytext=(3, 0),
        textcoords="offset points",
        va="center",
        fontsize=7,
    )


def _finish(ax, title, categories):
    """Category names down the side, a zero line, the title, legend and grid; the PNG."""
    ax.set_yticks(range(len(categories)), categories)
    ax.invert_yaxis()
    ax.axvline(0, color="#999", linewidth=0.8)
    ax.set_title(title, fontsize=11)
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    return _png(ax.figure)


def grouped_bars(title, categories, series, unit="%"):
    """Bars per category, one per series: ``series`` is [(name, colour key, values)]."""
    _fig, ax = _figure(7.5, max(3.2, 0.45 * len(categories) + 1.2))
    count = max(len(series), 1)
    height = 0.8 / count
    for i, (name, colour, values) in enumerate(series):
        positions = [c + (i - (count - 1) / 2) * height for c in range(len(categories))]
        shown = [v if v is not None else 0 for v in values]
        bars = ax.barh(
            positions, shown, height=height, label=name, color=COLOURS.get(colour, colour)
        )
        for bar, value in zip(bars, values, strict=True):
            if value is not None:
                _label(ax, value, bar.get_width(), bar.get_y() + bar.get_height() / 2, unit)
    return _finish(ax, title, categories)


def bars_with_markers(title, categories, values, markers, value_name, marker_name, unit="%"):
    """One bar per category (green above its marker, red below) with a marker each."""
    _fig, ax = _figure(7.5, max(3.2, 0.4 * len(categories) + 1.2))
    colours = [
        "#6c757d" if m is None else ("#198754" if v > m else "#c0272d")
        for v, m in zip(values, markers, strict=True)
    ]
    ax.barh(range(len(categories)), values, color=colours, label=value_name)
    points = [(m, i) for i, m in enumerate(markers) if m is not None]
    if points:
        ax.scatter(
            [m for m, _ in points],
            [i for _, i in points],
            marker="D",
            color=COLOURS["target"],
            zorder=3,
            label=marker_name,
        )
    for i, v in enumerate(values):
        _label(ax, v, v, i, unit)
    return _finish(ax, title, categories)
