"""What the weekly work's API shares: schemas of reports, finding units and people by name."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Schema

from vanguard.org.models import Person, Unit


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
