"""API of the monthly bulletin: bulletins, one with its lines, its DOCX and XLSX.

Read through ``org.access.visible_bulletins``: drafts to the office, leaders and task
forces, issued bulletins to every participant. Each line carries the links of the
records behind its figures, as the page and the DOCX do.
"""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from vanguard.core.pagination import PageNumberPagination
from vanguard.exchange.documents import DOCX_TYPE
from vanguard.exchange.xlsx import XLSX_TYPE, download_response
from vanguard.org import access
from vanguard.org.queries import current_campaign
from vanguard.supervision.bulletins import document, links
from vanguard.supervision.models import Bulletin

router = Router(tags=["bulletins"])


class BulletinOut(Schema):
    id: int
    campaign: str = Field(alias="campaign.code")
    month: datetime.date
    state: str
    number: str
    title: str
    rule_version: int = Field(alias="rule.version")
    cutoff: datetime.datetime
    issued_on: datetime.date | None
    supersedes: int | None = Field(None, alias="supersedes_id")


class ComponentOut(Schema):
    kind: str
    code: str
    points: Decimal
    facts: list[str]
    records: str | None


class LineOut(Schema):
    unit: str
    unit_name: str
    group: str
    score: Decimal
    ranked: bool
    rank: int | None
    listed: str
    facts: dict
    components: list[ComponentOut]
    unit_url: str


class BulletinDetailOut(BulletinOut):
    narrative: dict
    lines: list[LineOut] = Field(alias="lines_out")


def _visible(user, campaign):
    access.require(access.may_see_bulletins(user))
    return access.visible_bulletins(
        Bulletin.objects.filter(campaign=current_campaign(campaign)), user
    ).select_related("campaign", "rule")


@router.get("/bulletins", response=list[BulletinOut], summary="List monthly bulletins")
@paginate(PageNumberPagination)
def list_bulletins(request, campaign: str | None = None, month: str | None = None):
    """The campaign's bulletins the caller may read, newest month first (``month``: YYYY-MM)."""
    found = _visible(request.user, campaign)
    if month:
        try:
            day = datetime.datetime.strptime(month, "%Y-%m").date()
        except ValueError:
            from ninja.errors import HttpError

            raise HttpError(422, "month: YYYY-MM") from None
        found = found.filter(month=day)
    return found.order_by("-month", "-pk")


@router.get(
    "/bulletins/{bulletin_id}", response=BulletinDetailOut, summary="One bulletin with its lines"
)
def get_bulletin(request, bulletin_id: int, campaign: str | None = None):
    """One bulletin: its narrative and every unit's line (score, parts, rank, list, records)."""
    bulletin = get_object_or_404(_visible(request.user, campaign), pk=bulletin_id)
    lines = []
    for line in bulletin.lines.select_related("unit").order_by("group", "rank", "unit__code"):
        code = line.unit.code
        lines.append(
            {
                "unit": code,
                "unit_name": line.unit.name,
                "group": line.group,
                "score": line.score,
                "ranked": line.ranked,
                "rank": line.rank,
                "listed": line.listed,
                "facts": line.facts,
                "unit_url": links.unit_url(code),
                "components": [
                    {
                        "kind": c["kind"],
                        "code": c["code"],
                        "points": Decimal(c["points"]),
                        "facts": c.get("facts", []),
                        "records": links.component_url(bulletin, code, c),
                    }
                    for c in line.components
                ],
            }
        )
    bulletin.lines_out = lines
    return bulletin


@router.get("/bulletins/{bulletin_id}/docx", summary="The bulletin as DOCX (GB/T 9704)")
def bulletin_docx(request, bulletin_id: int, campaign: str | None = None):
    """The bulletin as an official document; every figure links to its records."""
    bulletin = get_object_or_404(_visible(request.user, campaign), pk=bulletin_id)
    content = document.bulletin_docx(bulletin, request.build_absolute_uri("/"))
    return download_response(
        content, document.file_name(bulletin, "docx"), DOCX_TYPE, "bulletin.docx"
    )


@router.get("/bulletins/{bulletin_id}/xlsx", summary="The bulletin's full ranking as XLSX")
def bulletin_xlsx(request, bulletin_id: int, campaign: str | None = None):
    """The full ranking with every part of each score and the facts behind it."""
    bulletin = get_object_or_404(_visible(request.user, campaign), pk=bulletin_id)
    content = document.bulletin_xlsx(bulletin, request.build_absolute_uri("/"))
    return download_response(
        content, document.file_name(bulletin, "xlsx"), XLSX_TYPE, "bulletin.xlsx"
    )
