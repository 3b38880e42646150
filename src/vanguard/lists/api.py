"""API of the units' lists: items, their checkpoints, progress reports and verification.

Everything goes through ``org.access``: an item or report the caller may not see is
404; one they see but may not report on or verify is 403. Verifying or returning names
the report's version (``version`` or ``If-Match: "listreport-3"``); a report verified
or returned meanwhile answers 409 Conflict saying by whom.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from vanguard.core.pagination import PageNumberPagination
from vanguard.core.preconditions import expected_version
from vanguard.lists import queries
from vanguard.lists.actions import do_report_progress, do_return_report, do_verify_report
from vanguard.lists.edits import EDITABLE, CheckpointRow, do_edit_item
from vanguard.lists.lights import KIND
from vanguard.org import access
from vanguard.org.models import Person
from vanguard.org.queries import current_campaign
from vanguard.supervision.lights import lights_for

router = Router(tags=["lists"])


class ItemOut(Schema):
    code: str
    unit: str = Field(description="The code of the unit that owes the item.")
    battle: str = Field(description="indicators, projects or citywork: its task force verifies.")
    requirement: str
    responsible_person: str
    deadline: datetime.date
    cadence: str = Field(description="weekly, dekad or monthly.")
    measure: str = Field(description="quantity or milestone.")
    target_quantity: Decimal | None
    measuring_unit: str
    verified_quantity: Decimal | None = Field(
        description="The cumulative quantity of the latest verified report: what counts."
    )
    light: str | None
    light_reason: str | None
    next_due: datetime.date | None = Field(
        description="The due date of the first checkpoint not yet reached by verified progress."
    )
    version: int

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.code

    @staticmethod
    def resolve_responsible_person(obj):
        return obj.responsible_person.name


class ItemDetailOut(ItemOut):
    light_text: str | None = Field(description="Why the item has its light, in words.")


class CheckpointOut(Schema):
    period: str = Field(description="The calendar's label of the period: 2026-03-D1, 2026-W10.")
    due_date: datetime.date
    planned_quantity: Decimal | None
    milestone: str
    reached_on: datetime.date | None


class ReportOut(Schema):
    id: int
    item: str
    period: str
    quantity: Decimal | None
    milestone_done: bool
    note: str
    state: str = Field(description="submitted, verified or returned.")
    return_reason: str
    reported_by: str | None
    reported_at: datetime.datetime
    verified_by: str | None
    verified_at: datetime.datetime | None
    version: int

    @staticmethod
    def resolve_item(obj):
        return obj.item.code

    @staticmethod
    def resolve_reported_by(obj):
        return obj.reported_by.get_username() if obj.reported_by_id else None

    @staticmethod
    def resolve_verified_by(obj):
        return obj.verified_by.get_username() if obj.verified_by_id else None


class ReportIn(Schema):
    period: str = Field(description="The period reported: 2026-03-D1, 2026年3月上旬, ...")
    quantity: Decimal | None = Field(
        None, description="Quantity items: the cumulative quantity done so far."
    )
    milestone_done: bool = Field(False, description="Milestone items: the period's milestone done.")
    note: str = ""
    version: int | None = Field(
        None,
        description="Correcting a report not yet verified (or returned): the version you"
        ' read (or If-Match: "listreport-2"); required while one is filed, else 409.',
    )


class CheckpointIn(Schema):
    period: str = Field(description="The period: 2026-03, 2026年3月上旬, 2026-W10 ...")
    planned_quantity: Decimal | None = Field(None, description="Quantity items: cumulative plan.")
    milestone: str = Field("", description="Milestone items: what is reached in the period.")
    due_date: datetime.date | None = Field(
        None, description="Its due date; the campaign's deadline rule when left out."
    )
    remove: bool = Field(False, description="Remove this checkpoint (not one already reached).")


class ItemPatchIn(Schema):
    requirement: str | None = None
    responsible_person: str | None = Field(
        None, description="The name of a person of the unit that owes the item."
    )
    deadline: datetime.date | None = None
    cadence: str | None = Field(None, description="weekly, dekad or monthly.")
    target_quantity: Decimal | None = None
    measuring_unit: str | None = None
    checkpoints: list[CheckpointIn] = Field(
        [], description="Checkpoints to add, change (by period) or remove; others stay."
    )
    reason: str = ""
    version: int | None = Field(
        None,
        description='The item\'s version you read (or If-Match: "listitem-3"); required.',
    )


class VerifyIn(Schema):
    version: int | None = Field(None, description="The report's version you read.")


class ReturnIn(Schema):
    reason: str
    version: int | None = Field(None, description="The report's version you read.")


def _items(user, campaign):
    campaign = current_campaign(campaign)
    return queries.with_facts(queries.items_for(user, campaign), campaign)


def _item(user, code, campaign):
    return get_object_or_404(_items(user, campaign), code=code)


def _report(user, report_id, campaign):
    return get_object_or_404(
        queries.reports_for(user, current_campaign(campaign)).select_related(
            "item__unit", "item__campaign", "reported_by", "verified_by"
        ),
        pk=report_id,
    )


@router.get("/list-items", response=list[ItemOut], summary="List items")
@paginate(PageNumberPagination)
def list_items(
    request,
    campaign: str | None = None,
    unit: str = "",
    battle: str = "",
    light: str = "",
    q: str = "",
):
    """The items the caller sees: ``unit`` (code), ``battle``, ``light`` (red, yellow, green)."""
    filters = {"unit": unit, "battle": battle, "light": light, "q": q}
    return queries.filtered_items(request.user, current_campaign(campaign), filters)


@router.get("/list-items/{code}", response=ItemDetailOut, summary="One list item")
def get_item(request, code: str, campaign: str | None = None):
    """One item with its light and why."""
    item = _item(request.user, code, campaign)
    state = lights_for(KIND, [item.pk], campaign=item.campaign_id).get(item.pk)
    item.light_text = state.reason_text if state else None
    return item


@router.get(
    "/list-items/{code}/checkpoints", response=list[CheckpointOut], summary="An item's checkpoints"
)
@paginate(PageNumberPagination)
def list_checkpoints(request, code: str, campaign: str | None = None):
    """The item's plan, period by period."""
    return queries.checkpoints_of(_item(request.user, code, campaign))


@router.get(
    "/list-items/{code}/reports", response=list[ReportOut], summary="An item's progress reports"
)
@paginate(PageNumberPagination)
def list_item_reports(request, code: str, campaign: str | None = None):
    """The item's progress reports, the latest period first, in every state."""
    return queries.reports_of(_item(request.user, code, campaign)).select_related(
        "item", "reported_by", "verified_by"
    )


@router.post(
    "/list-items/{code}/reports",
    response={201: ReportOut},
    summary="Report progress on an item",
    openapi_extra={"responses": {409: {"description": "The report changed meanwhile."}}},
)
def report_progress(request, code: str, payload: ReportIn, campaign: str | None = None):
    """File the unit's progress for a period (a reporter of the unit that owes the item).

    A report not yet verified, or returned, is filed again for the same period.
    """
    item = _item(request.user, code, campaign)
    access.require_report_progress(request.user, item)
    report = do_report_progress(
        item,
        period=payload.period,
        quantity=payload.quantity,
        milestone_done=payload.milestone_done,
        note=payload.note,
        version=expected_version(request, payload.version, prefix="listreport"),
        actor=request.user,
    )
    return Status(201, _report(request.user, report.pk, campaign))


@router.patch(
    "/list-items/{code}",
    response=ItemDetailOut,
    summary="Edit a list item",
    openapi_extra={"responses": {409: {"description": "The item changed meanwhile."}}},
)
def edit_item(request, code: str, payload: ItemPatchIn, campaign: str | None = None):
    """Change an item's facts and checkpoints (the office, or its battle's task force), at
    the version read; a stale version gets 409 naming who changed it, and nothing changes."""
    item = _item(request.user, code, campaign)
    access.require_edit_item(request.user, item)
    given = payload.dict(exclude_unset=True)
    changes = {name: given[name] for name in EDITABLE if name in given}
    if "responsible_person" in changes:
        changes["responsible_person"] = _person_of(item, changes["responsible_person"])
    rows = [
        CheckpointRow(
            period=row.period,
            planned_quantity=row.planned_quantity,
            milestone=row.milestone,
            due=row.due_date,
            remove=row.remove,
        )
        for row in payload.checkpoints
    ]
    do_edit_item(
        item,
        actor=request.user,
        version=expected_version(request, payload.version, prefix="listitem"),
        checkpoints=rows,
        reason=payload.reason,
        **changes,
    )
    return get_item(request, code, campaign)


def _person_of(item, name):
    """The person of the item's unit named ``name``; refused, saying so, when none or two."""
    found = list(Person.objects.filter(unit_id=item.unit_id, name=(name or "").strip())[:2])
    if len(found) != 1:
        if found:
            message = _("{unit} has more than one person named “{name}”.").format(
                unit=item.unit.name, name=name
            )
        else:
            message = _("{person} is not a person of {unit}.").format(
                person=name, unit=item.unit.name
            )
        raise ValidationError({"responsible_person": message})
    return found[0]


@router.get("/list-reports", response=list[ReportOut], summary="Progress reports")
@paginate(PageNumberPagination)
def list_reports(request, campaign: str | None = None, state: str = "", unit: str = ""):
    """Every report the caller sees: ``state`` (submitted, verified, returned), ``unit``."""
    reports = queries.reports_for(request.user, current_campaign(campaign)).select_related(
        "item", "reported_by", "verified_by"
    )
    if state:
        reports = reports.filter(state=state)
    if unit:
        reports = reports.filter(item__unit__code=unit)
    return reports.order_by("-reported_at", "-pk")


@router.post(
    "/list-reports/{report_id}/verify",
    response=ReportOut,
    summary="Verify a progress report",
    openapi_extra={"responses": {409: {"description": "Verified or returned meanwhile."}}},
)
def verify_report(request, report_id: int, payload: VerifyIn, campaign: str | None = None):
    """Verify (核验) a report: its progress counts (the task force of the item's battle)."""
    report = _report(request.user, report_id, campaign)
    access.require_verify_progress(request.user, report.item)
    do_verify_report(
        report,
        actor=request.user,
        version=expected_version(request, payload.version, prefix="listreport"),
    )
    return _report(request.user, report_id, campaign)


@router.post(
    "/list-reports/{report_id}/return",
    response=ReportOut,
    summary="Return a progress report",
    openapi_extra={"responses": {409: {"description": "Verified or returned meanwhile."}}},
)
def return_report(request, report_id: int, payload: ReturnIn, campaign: str | None = None):
    """Return a report to its unit with a reason (the task force of the item's battle)."""
    report = _report(request.user, report_id, campaign)
    access.require_verify_progress(request.user, report.item)
    do_return_report(
        report,
        actor=request.user,
        reason=payload.reason,
        version=expected_version(request, payload.version, prefix="listreport"),
    )
    return _report(request.user, report_id, campaign)
