"""What the weekly work's API shares: schemas of reports and photos, finding units and people
by name, the doors to weekly reports."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Schema

from vanguard.core.preconditions import expected_version
from vanguard.org import access
from vanguard.org.models import Person, Unit
from vanguard.org.queries import current_campaign


class PhotoOut(Schema):
    sha256: str = Field(description="The SHA-256 of the public copy: the photo's name.")
    url: str = Field(description="The public copy: JPEG, at most 2048 px, no metadata.")
    thumbnail_url: str = Field(description="A 320 px thumbnail.")
    width: int
    height: int
    role: str = Field(description="What the photo shows: inspection, before, after, ...")


def photo_out(attachment):
    """An attached photo as PhotoOut reads it."""
    photo = attachment.photo
    return {
        "sha256": photo.sha256,
        "url": photo.url,
        "thumbnail_url": photo.thumbnail_url,
        "width": photo.width,
        "height": photo.height,
        "role": attachment.role,
    }


class WeeklyReportOut(Schema):
    id: int
    period: str = Field(description="The ISO week, as the calendar labels it: 2026-W10.")
    due_date: datetime.date
    note: str
    state: str = Field(description="submitted, verified or returned.")
    late: bool = Field(description="Filed after its due date.")
    return_reason: str
    reported_by: str | None
    reported_at: datetime.datetime
    verified_by: str | None
    verified_at: datetime.datetime | None
    version: int

    @staticmethod
    def resolve_reported_by(obj):
        return obj.reported_by.get_username() if obj.reported_by_id else None

    @staticmethod
    def resolve_verified_by(obj):
        return obj.verified_by.get_username() if obj.verified_by_id else None


class VerifyIn(Schema):
    version: int | None = Field(None, description="The report's version you read.")


class ReturnIn(Schema):
    reason: str
    version: int | None = Field(None, description="The report's version you read.")


def unit_and_person(unit_code, person_name, *, required=True):
    """The unit a body names by code and its person by name; ValidationError naming the field."""
    if not unit_code and not required:
        return None, None
    unit = Unit.objects.filter(code=unit_code).first()
    if unit is None:
        raise ValidationError({"lead_unit": _("Unknown unit “{code}”.").format(code=unit_code)})
    found = list(Person.objects.filter(unit=unit, name=(person_name or "").strip())[:2])
    if len(found) != 1:
        raise ValidationError(
            {
                "responsible_person": (
                    _("{unit} has several people named “{name}”.")
                    if found
                    else _("{unit} has no person named “{name}”.")
                ).format(unit=unit.name, name=person_name)
            }
        )
    return unit, found[0]


class OwnerOut(Schema):
    """How a campaign, a place or a project names its lead unit (by code) and its person."""

    @staticmethod
    def resolve_lead_unit(obj):
        return obj.lead_unit.code

    @staticmethod
    def resolve_responsible_person(obj):
        return obj.responsible_person.name


def owner_changes(changes, current):
    """``changes`` with its lead unit and person found, if it names either; the one it does
    not name stays ``current``'s."""
    if "lead_unit" in changes or "responsible_person" in changes:
        changes["lead_unit"], changes["responsible_person"] = unit_and_person(
            changes.get("lead_unit") or current.lead_unit.code,
            changes.get("responsible_person") or current.responsible_person.name,
        )
    return changes


# --- weekly reports ---------------------------------------------------------------------------

REPORT_CHANGED = {"responses": {409: {"description": "Verified or returned meanwhile."}}}


@dataclass(frozen=True)
class WeeklyReports:
    """The API's doors to one sort of weekly report: ``reports_for(user, campaign)`` are those
    the user sees, ``subject`` the report's field naming what it reports on, ``prefix`` the
    name of its versions in If-Match."""

    reports_for: Callable
    subject: str
    prefix: str

    def find(self, user, pk, campaign):
        """The report ``pk`` the user sees, with what it reports on, else 404."""
        return get_object_or_404(
            self.reports_for(user, current_campaign(campaign)).select_related(
                self.subject + "__lead_unit",
                self.subject + "__campaign",
                "reported_by",
                "verified_by",
            ),
            pk=pk,
        )

    def listed(self, user, campaign, *, state="", week=""):
        """The reports the user sees, in ``state`` and of ``week`` (when given), the latest
        filed first."""
        access.require_participant(user)
        reports = self.reports_for(user, current_campaign(campaign)).select_related(
            self.subject, "reported_by", "verified_by"
        )
        if state:
            reports = reports.filter(state=state)
        if week:
            reports = reports.filter(period=week)
        return reports.order_by("-reported_at", "-pk")

    def step(self, request, report_id, campaign, act, payload, **kwargs):
        """The city-work task force verifies or returns a report (``act``); the report as it
        is now."""
        report = self.find(request.user, report_id, campaign)
        access.require_verify_weekly(request.user, getattr(report, self.subject))
        act(
            report,
            actor=request.user,
            version=expected_version(request, payload.version, prefix=self.prefix),
            **kwargs,
        )
        return self.find(request.user, report_id, campaign)
