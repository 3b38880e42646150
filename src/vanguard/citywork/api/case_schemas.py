"""What the city cases' API reads and answers: a case, its flow, a category, each step's body."""

import datetime
from decimal import Decimal

from django.urls import reverse
from ninja import Field, Schema

from vanguard.citywork.api.common import PhotoOut, photo_out
from vanguard.core.schemas import InputSchema
from vanguard.org import access


class CaseNames(Schema):
    """How a case's answers name its category, unit, state and page, whichever schema."""

    @staticmethod
    def resolve_category(obj):
        return obj.category.code

    @staticmethod
    def resolve_category_name(obj):
        return obj.category.name

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.code if obj.unit_id else None

    @staticmethod
    def resolve_unit_name(obj):
        return obj.unit.name if obj.unit_id else None

    @staticmethod
    def resolve_state_label(obj):
        return str(obj.get_state_display())

    @staticmethod
    def resolve_url(obj):
        return reverse("citywork:case_detail", args=[obj.number])


class CaseOut(CaseNames):
    number: str = Field(description="The case number (案件编号): AJ and eight digits.")
    tracking_code: str = Field(description="The code the reporter follows the case by.")
    source: str = Field(description="patrol, citizen, hotline, inspection, volunteer, open311.")
    category: str = Field(description="The subcategory's code.")
    category_name: str
    main_category: str | None = Field(description="The main category's code.")
    description: str
    address: str
    lon: float = Field(description="WGS84.")
    lat: float = Field(description="WGS84.")
    coordinate_system: str = Field(description="The system it was entered in.")
    grid: str | None = Field(description="The grid's code.")
    unit: str | None = Field(description="The responsible unit's code, once dispatched.")
    unit_name: str | None
    state: str = Field(
        description="reported, registered, dispatched, returned, handled, closed, discarded, merged."
    )
    state_label: str
    hotline_ticket: str
    reported_at: datetime.datetime
    registered_at: datetime.datetime | None
    dispatched_at: datetime.datetime | None
    due_at: datetime.datetime | None = Field(description="The time limit, counted from dispatch.")
    signed_at: datetime.datetime | None
    handled_at: datetime.datetime | None
    reply: str
    checked_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    closed_on_time: bool | None
    late: bool = Field(description="Past its time limit: not replied to in time, or closed late.")
    light: str | None = Field(None, description="red, yellow or green while its clock runs.")
    bounce_count: int = Field(description="Returns (退单) by units.")
    rework_count: int = Field(description="Checks failed (返工).")
    postponed: bool
    postpone_until: datetime.datetime | None = Field(description="More time asked for, pending.")
    return_reason: str
    supporters: int = Field(description="Further reports of the same problem merged in.")
    merged_into: str | None
    version: int
    url: str

    @staticmethod
    def resolve_main_category(obj):
        return obj.category.parent.code if obj.category.parent_id else None

    @staticmethod
    def resolve_grid(obj):
        return obj.grid.code if obj.grid_id else None

    @staticmethod
    def resolve_late(obj):
        return bool(getattr(obj, "late", False))

    @staticmethod
    def resolve_merged_into(obj):
        return "AJ{:08d}".format(obj.merged_into_id) if obj.merged_into_id else None


class EventOut(Schema):
    action: str
    action_label: str
    at: datetime.datetime
    by: str | None
    unit: str | None
    note: str
    public: bool = Field(description="Shown to the reporter on the tracking page.")

    @staticmethod
    def resolve_action_label(obj):
        return str(obj.get_action_display())

    @staticmethod
    def resolve_by(obj):
        return obj.by.get_username() if obj.by_id else None

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.code if obj.unit_id else None


class CaseDetailOut(CaseOut):
    checker: str | None = Field(description="Who checks (username).")
    postpone_reason: str
    reporter_name: str | None = Field(
        description="For the call-back: the office, the task force and the unit only."
    )
    reporter_phone: str | None
    flow: list[EventOut] = Field(description="The flow record (流转记录), oldest first.")
    steps: list[str] = Field(description="The steps the caller may take now.")
    photos: list[PhotoOut] = Field(
        description="Photos as reported, before, and after the unit's work or at the check."
    )

    @staticmethod
    def resolve_photos(obj):
        return [photo_out(a) for a in getattr(obj, "attached", ())]

    @staticmethod
    def resolve_checker(obj):
        return obj.checker.get_username() if obj.checker_id else None

    @staticmethod
    def resolve_reporter_name(obj):
        return obj.reporter_name if getattr(obj, "contact", False) else None

    @staticmethod
    def resolve_reporter_phone(obj):
        return obj.reporter_phone if getattr(obj, "contact", False) else None


def may_read_contact(user, case):
    """The reporter's contact is for the call-back: the office, the task force, the unit."""
    return access.may_keep_cases(user) or access.reports_for(user, case.unit_id)


class CategoryOut(Schema):
    code: str
    name: str
    parent: str | None = Field(description="The main category's code; none for a main category.")
    kind: str = Field(description="event (事件) or component (部件).")
    time_limit: Decimal
    time_unit: str = Field(description="wh working hours, wd working days, h emergency hours.")
    unit: str | None = Field(description="The responsible department's code; none: the grid's.")
    duplicate_radius_m: int
    close_condition: str
    public: bool
    active: bool

    @staticmethod
    def resolve_parent(obj):
        return obj.parent.code if obj.parent_id else None

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.code if obj.unit_id else None


class CaseIn(InputSchema):
    source: str = Field(description="patrol, inspection or hotline.")
    category: str = Field(description="A subcategory's code (GET /city/case-categories).")
    lon: float
    lat: float
    coordinate_system: str = Field("wgs84", description="wgs84, gcj02 or bd09.")
    address: str = ""
    description: str
    hotline_ticket: str = Field("", max_length=64, description="The 12345 ticket number.")
    reporter_name: str = Field("", max_length=100)
    reporter_phone: str = Field("", max_length=32, description="For the unit's call-back only.")


class StepIn(InputSchema):
    version: int | None = Field(
        None, description='The case\'s version read (or If-Match: "case-3").'
    )


class ReasonIn(StepIn):
    reason: str


class DispatchIn(StepIn):
    unit: str | None = Field(None, description="The unit's code; none: the route's suggestion.")
    checker: str | None = Field(
        None, description="Who checks (a username of the office or task force)."
    )


class DecideReturnIn(StepIn):
    uphold: bool = Field(description="True: the case goes to ``unit``; false: it stays.")
    unit: str | None = None
    note: str = ""


class HandleIn(StepIn):
    reply: str = Field(description="What was done: the reply the reporter sees.")


class CheckIn(StepIn):
    passed: bool
    note: str = ""


class PostponeIn(StepIn):
    until: datetime.datetime = Field(description="Without a zone, Beijing time (+08:00).")
    reason: str


class DecideIn(StepIn):
    approve: bool
    note: str = ""


class MergeIn(StepIn):
    into: str = Field(description="The number of the open case this one repeats.")
