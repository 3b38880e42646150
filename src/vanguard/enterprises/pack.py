"""The key enterprises' part of the monthly scheduling pack (``indicators.pack``).

Section 4 of the pack: each sector (一业一策) with its enterprises' year so far against
last year and its guidance target, and the key enterprises furthest behind last year.
The indicators app reads it through the part this app registers (``PART``), in the
same moment as its figures.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanguard.core.money import format_wan, format_yuan
from vanguard.enterprises import queries
from vanguard.enterprises.models import EnterpriseMonth, KeyEnterprise
from vanguard.indicators.pack import PackPart, PackTable


@dataclass
class Facts:
    """What the pack shows of sectors and key enterprises, as one user sees them."""

    sectors: list = field(default_factory=list)
    laggards: list = field(default_factory=list)
    # When the newest figure of the enterprises the user sees was recorded.
    data_at: datetime.datetime | None = None


def stamp(campaign):
    """What changes with every figure and expectation: rows added, versions counted up."""
    months = EnterpriseMonth.objects.filter(enterprise__campaign=campaign).aggregate(
        n=Count("pk"), versions=Sum("version")
    )
    enterprises = KeyEnterprise.objects.filter(campaign=campaign).aggregate(versions=Sum("version"))
    return (*months.values(), *enterprises.values())


def gather(campaign, user):
    return Facts(
        sectors=queries.sector_rows(user, campaign),
        laggards=queries.laggards(user, campaign),
        data_at=queries.figures_as_of(campaign, user),
    )


def sector_table(facts):
    """Each sector (一业一策): its enterprises' year so far against last year and its guidance."""
    headers = [
        _("Sector"),
        _("Responsible unit"),
        _("Indicators it feeds"),
        _("Key enterprises"),
        _("Year so far"),
        _("Growth (%)"),
        _("Guidance (%)"),
        _("Gap (points)"),
        _("Open problems"),
    ]
    rows = []
    for row in facts.sectors:
        growth = row.totals.growth_pct
        gap = row.gap_to_guidance
        rows.append(
            [
                row.sector.name,
                row.sector.responsible_unit.name if row.sector.responsible_unit_id else "",
                "、".join(i.name for i in row.indicators),
                row.enterprises,
                format_yuan(row.totals.this_year_yuan),
                None if growth is None else round(float(growth), 1),
                None
                if row.sector.guidance_growth_pct is None
                else float(row.sector.guidance_growth_pct),
                None if gap is None else round(float(gap), 1),
                row.open_blockers,
            ]
        )
    return headers, rows


def laggard_table(facts):
    """The key enterprises furthest behind last year: who carries the shortfall."""
    headers = [
        _("Enterprise"),
        _("Sector"),
        _("Serving unit"),
        _("Year so far"),
        _("Same months last year"),
        _("Change on last year"),
        _("Growth (%)"),
    ]
    rows = [
        [
            r["enterprise"].name,
            r["enterprise"].sector.name,
            r["enterprise"].serving_unit.name,
            format_wan(r["now"]),
            format_wan(r["then"]),
            format_wan(r["change"]),
            None if r["growth"] is None else round(r["growth"], 1),
        ]
        for r in facts.laggards
    ]
    return headers, rows


def tables(facts):
    """The sectors' table, and the enterprises behind (only when some fell)."""
    behind = _("Key enterprises furthest behind last year's same months:")
    return [
        PackTable(_("Sectors"), *sector_table(facts)),
        PackTable(_("Enterprises behind"), *laggard_table(facts), heading=behind.rstrip(":：")),
    ]


PART = PackPart(
    key="enterprises",
    heading=gettext_lazy("4. Sectors and key enterprises (one plan per sector)"),
    stamp=stamp,
    gather=gather,
    as_of=lambda facts: facts.data_at,
    tables=tables,
    template="enterprises/_pack_part.html",
)
