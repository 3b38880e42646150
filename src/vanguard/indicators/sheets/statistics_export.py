"""The statistics table for download: a month's sheet in the bureau's shape.

Filled with the figures in force, as the reader may see them; filled in, it is imported
again (``statistics_import``).
"""

from vanguard.core.asof import as_of_line
from vanguard.exchange.xlsx import Sheet
from vanguard.indicators.choices import AreaLevel
from vanguard.indicators.models import Observation, cumulative_label
from vanguard.indicators.queries import areas_of, indicators_for
from vanguard.indicators.sheets.table import COMPARATOR_HEADERS, GROWTH_HEADER


def table_title(campaign, month):
    district = areas_of(campaign).get(AreaLevel.DISTRICT)
    return "{}年{}{}主要经济指标".format(
        month.year, cumulative_label(month), district.name if district else ""
    )


def statistics_sheet(campaign, user, month):
    """One month's table in the bureau's shape, filled with the figures in force."""
    areas = areas_of(campaign, user)
    comparators = [(lv, a) for lv, a in areas.items() if lv != AreaLevel.DISTRICT]
    indicators = list(indicators_for(user, campaign))
    current = {
        (o.indicator_id, o.area.level): o
        for o in Observation.objects.current()
        .filter(indicator__campaign=campaign, month=month)
        .select_related("area")
    }
    as_of = max((o.recorded_at for o in current.values()), default=None)
    headers = [
        "指标",
        "计量单位",
        "{}累计".format(cumulative_label(month)),
        GROWTH_HEADER,
        *(COMPARATOR_HEADERS.get(lv, "{}增速(%)".format(a.name)) for lv, a in comparators),
    ]

    def rows():
        for indicator in indicators:
            district = current.get((indicator.pk, AreaLevel.DISTRICT))
            line = [
                indicator.name,
                indicator.unit_of_measure if indicator.has_level else "%",
                _number(district.level) if district and indicator.has_level else None,
                _number(district.growth_pct) if district else None,
            ]
            for level, _area in comparators:
                other = current.get((indicator.pk, level))
                line.append(_number(other.growth_pct) if other else None)
            yield line
        yield []
        yield [
            "注：累计为 1 月至当月累计数，增速为比上年同期增长（%）；只发布增速的指标累计栏留空；"
            "按季度核算的指标只在季末月填报；留空的单元格不改变已有数据。"
        ]
        yield ["注：" + as_of_line(as_of)]

    return Sheet(
        title="{}月".format(month.month)
        if month.year == campaign.year
        else month.strftime("%Y-%m"),
        headers=headers,
        rows=rows(),
        caption=[table_title(campaign, month)],
        widths={0: 22, 1: 10, 2: 14, 3: 14, 4: 14, 5: 14},
        input_columns=frozenset(range(2, len(headers))),
        freeze_columns=1,
    )


def _number(value):
    return float(value) if value is not None else None
