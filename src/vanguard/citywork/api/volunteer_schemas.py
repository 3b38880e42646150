"""What the volunteer activities' API reads and answers: an activity, its signups (for its
organisers only), the problems it found, the weekly count per unit; the bodies of a plan,
a change, a record of it held and a cancel.

Times are answered in Beijing time (+08:00); a time sent without a zone is Beijing time.
"""

import datetime

from django.urls import reverse
from ninja import Field, Schema

from vanguard.citywork.api.common import PhotoOut, photo_out
from vanguard.citywork.api.patrol_schemas import CaseBriefOut
from vanguard.core.schemas import InputSchema, LocalDateTime


class ActivityOut(Schema):
    id: int
    title: str
    kind: str = Field(description="community (城管进社区), cleanup (人人动手·洁净家园), other.")
    kind_label: str
    starts_at: LocalDateTime
    ends_at: LocalDateTime | None
    address: str
    lon: float = Field(description="WGS84.")
    lat: float = Field(description="WGS84.")
    coordinate_system: str = Field(description="The system it was entered in.")
    unit: str = Field(description="The organising unit's code.")
    unit_name: str
    capacity: int = Field(description="Places for volunteers.")
    signed_up: int = Field(description="Places taken by residents.")
    found: int = Field(description="Problems it found, each a case.")
    description: str
    state: str = Field(description="planned, held or cancelled.")
    state_label: str
    participants: int | None = Field(description="How many took part, once held.")
    summary: str = Field(description="What was done, once held.")
    held_recorded_at: LocalDateTime | None
    cancel_reason: str
    version: int
    url: str

    @staticmethod
    def resolve_kind_label(obj):
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.code

    @staticmethod
    def resolve_unit_name(obj):
        return obj.unit.name

    @staticmethod
    def resolve_state_label(obj):
        return str(obj.get_state_display())

    @staticmethod
    def resolve_url(obj):
        return reverse("citywork:activity_detail", args=[obj.pk])


class SignupOut(Schema):
    name: str
    phone: str
    created_at: LocalDateTime


class ActivityFindingOut(Schema):
    found_at: LocalDateTime
    case: CaseBriefOut


class ActivityDetailOut(ActivityOut):
    may_change: bool = Field(
        description="The caller organises it: changes, holds, reports, cancels, reads signups."
    )
    signups: list[SignupOut] | None = Field(
        description="Who signed up: for its organising unit, the office and the city-work task"
        " force only; null for everyone else."
    )
    findings: list[ActivityFindingOut] = Field(description="The problems found, with their cases.")
    photos: list[PhotoOut] = Field(description="The activity's own photos.")

    @staticmethod
    def resolve_signups(obj):
        return obj.signups_listed

    @staticmethod
    def resolve_photos(obj):
        return [photo_out(a) for a in obj.photos_listed]

    @staticmethod
    def resolve_findings(obj):
        return obj.findings_listed


class ActivityIn(InputSchema):
    title: str = Field(max_length=200)
    kind: str = Field(max_length=16, description="community, cleanup or other.")
    starts_at: datetime.datetime = Field(description="Without a zone, Beijing time (+08:00).")
    ends_at: datetime.datetime | None = None
    address: str = Field(max_length=300, description="Where the volunteers meet.")
    lon: float
    lat: float
    coordinate_system: str = Field("wgs84", max_length=8, description="wgs84, gcj02 or bd09.")
    unit: str = Field(max_length=64, description="The organising unit's code.")
    capacity: int = Field(description="Places for volunteers (1 to 10,000).")
    description: str = Field("", max_length=4000)


class ActivityChangeIn(InputSchema):
    """What changes (the rest stays); ``lon`` and ``lat`` together."""

    title: str | None = Field(None, max_length=200)
    kind: str | None = Field(None, max_length=16)
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    address: str | None = Field(None, max_length=300)
    lon: float | None = None
    lat: float | None = None
    coordinate_system: str = Field("wgs84", max_length=8)
    unit: str | None = Field(None, max_length=64)
    capacity: int | None = None
    description: str | None = Field(None, max_length=4000)
    version: int | None = Field(None, description='The version read (or If-Match: "activity-2").')


class HeldIn(InputSchema):
    """Multipart form fields; the photos come as ``photos``."""

    participants: int = Field(description="How many took part (0 to 100,000).")
    summary: str = Field("", max_length=4000, description="What was done.")
    version: int | None = Field(None, description='The version read (or If-Match: "activity-2").')


class CancelIn(InputSchema):
    reason: str = Field(max_length=500)
    version: int | None = Field(None, description='The version read (or If-Match: "activity-2").')


class UnitWeekOut(Schema):
    unit: str = Field(description="The organising unit's code; empty in the total.")
    unit_name: str
    held: int = Field(description="Activities held that week (by their start).")
    participants: int
    problems: int = Field(description="Problems they found.")

    @staticmethod
    def resolve_unit(obj):
        return obj.code

    @staticmethod
    def resolve_unit_name(obj):
        return obj.name


class ActivityWeekOut(Schema):
    week: str = Field(description="The ISO week: 2026-W10.")
    start: datetime.date
    end: datetime.date
    units: list[UnitWeekOut] = Field(description="The units that held activities, most first.")
    total: UnitWeekOut
    data_at: LocalDateTime = Field(description="When the figures were read (数据截至).")
