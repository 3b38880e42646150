"""API of certification (认定): the projects task force certifies dekad reports in batches
and returns them to their units.

A batch certifies every report that still waits and names each one it could not, with
the reason and the report in its place (see decision 0028); a return of a report that no
longer waits is refused with 409 and says who changed it and when.
"""

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.responses import Status

from vanguard.core.schemas import InputSchema
from vanguard.projects.actions import CertificationRefused, do_certify_reports, do_return_report
from vanguard.projects.api import ReportOut, visible_reports

router = Router(tags=["projects"])


class ReturnIn(InputSchema):
    reason: str


class CertifyIn(InputSchema):
    ids: list[int]


class RefusalOut(Schema):
    # The report not certified, and why (code: revised, replaced, returned, certified,
    # missing; reason: in the caller's language).
    id: int
    project: str
    period: str
    status: str
    code: str
    reason: str
    # The report that waits or counts in its place (read it before certifying it).
    instead: int | None


class CertificationOut(Schema):
    certified: list[ReportOut]
    refused: list[RefusalOut]


class CertificationRefusedOut(CertificationOut):
    message: str


def _refusals(refused):
    return [
        {
            "id": refusal.report_id,
            "project": refusal.report.project.code if refusal.report else "",
            "period": refusal.report.period if refusal.report else "",
            "status": refusal.report.status if refusal.report else "",
            "code": refusal.code,
            "reason": refusal.reason,
            "instead": refusal.instead.pk if refusal.instead else None,
        }
        for refusal in refused
    ]


@router.post(
    "/reports/certify",
    response={200: CertificationOut, 409: CertificationRefusedOut},
)
def certify_reports(request, payload: CertifyIn):
    """Certify the listed reports that still wait for certification, in one transaction.

    A report that no longer waits (revised by its unit, returned or certified meanwhile,
    or unknown) is not certified: ``refused`` names each with the reason and the report
    in its place; the others are certified. When none could be: 409, with ``refused``.
    """
    try:
        result = do_certify_reports(payload.ids, actor=request.user)
    except CertificationRefused as error:
        return Status(
            409,
            {"message": error.messages[0], "certified": [], "refused": _refusals(error.refused)},
        )
    ids = [report.pk for report in result.certified]
    return {
        "certified": list(visible_reports(request.user).filter(pk__in=ids).order_by("pk")),
        "refused": _refusals(result.refused),
    }


@router.post("/reports/{report_id}/return", response=ReportOut)
def return_report(request, report_id: int, payload: ReturnIn):
    """Return a submitted report to its unit with a reason."""
    report = get_object_or_404(visible_reports(request.user), pk=report_id)
    do_return_report(report, actor=request.user, reason=payload.reason)
    return visible_reports(request.user).get(pk=report_id)
