"""What the patrols' API reads and answers: a patrol, its findings and their cases, the cases
awaiting a check, the open cases offered before a duplicate; and the problem reported on
the spot, which volunteer activities report too.

Times are answered in Beijing time (+08:00); a time sent without a zone is Beijing time.
"""

from django.urls import reverse
from ninja import Field, Schema

from vanguard.citywork.api.case_schemas import CaseNames
from vanguard.citywork.api.common import PhotoOut, photo_out
from vanguard.core.schemas import InputSchema, LocalDateTime


def _username(user):
    return user.get_username() if user is not None else None


class CaseBriefOut(CaseNames):
    """A case as a patrol's or an activity's page lists it, with its photos."""

    number: str = Field(description="The case number (案件编号): GET /city/cases/{number}.")
    source: str
    category: str = Field(description="The subcategory's code.")
    category_name: str
    description: str
    address: str
    unit: str | None = Field(description="The responsible unit's code, once dispatched.")
    unit_name: str | None
    state: str
    state_label: str
    reported_at: LocalDateTime
    handled_at: LocalDateTime | None
    reply: str = Field(description="What the unit says it did.")
    supporters: int = Field(description="Further reports of the same problem added to it.")
    version: int
    url: str
    photos: list[PhotoOut] = Field(
        description="before (the report's), after (the unit's and the check's), report."
    )

    @staticmethod
    def resolve_photos(obj):
        found = getattr(obj, "photos", None) or {}
        return [photo_out(a) for a in sorted(sum(found.values(), []), key=lambda a: a.pk)]


class CheckOut(CaseBriefOut):
    """A handled case awaiting its check (核查), with the unit's reply and photos."""

    handled_by: str | None = Field(description="Who replied for the unit (username).")
    checker: str | None = Field(description="Who is to check it (username).")
    rework_count: int = Field(description="Checks failed before (返工).")

    @staticmethod
    def resolve_handled_by(obj):
        return _username(obj.handled_by)

    @staticmethod
    def resolve_checker(obj):
        return _username(obj.checker)


class ChecksOut(Schema):
    mine: list[CheckOut] = Field(description="The handled cases whose checker is the caller.")
    others: list[CheckOut] = Field(description="Other handled cases the caller may check.")


class FindingOut(Schema):
    found_at: LocalDateTime
    supported: bool = Field(description="True: added to an open case already there.")
    note: str = Field(description="What the member saw.")
    case: CaseBriefOut


class PatrolOut(Schema):
    id: int
    number: str = Field(description="How staff quote a patrol: XC and its id.")
    member: str = Field(description="The member on patrol (username).")
    member_name: str | None
    started_at: LocalDateTime
    ended_at: LocalDateTime | None
    is_open: bool
    grid: str | None = Field(description="The grid's code, if one was patrolled.")
    area: str
    note: str
    found: int = Field(description="Problems recorded.")
    url: str

    @staticmethod
    def resolve_member(obj):
        return obj.member.get_username()

    @staticmethod
    def resolve_member_name(obj):
        person = getattr(obj.member, "person", None)
        return person.name if person is not None else None

    @staticmethod
    def resolve_grid(obj):
        return obj.grid.code if obj.grid_id else None

    @staticmethod
    def resolve_url(obj):
        return reverse("citywork:patrol_detail", args=[obj.pk])


class PatrolDetailOut(PatrolOut):
    findings: list[FindingOut] = Field(description="What it found, in order, with the cases.")
    new_cases: int = Field(description="Cases it reported.")
    supported: int = Field(description="Open cases it added to.")
    closed: int = Field(description="Of its cases, those closed.")

    @staticmethod
    def resolve_findings(obj):
        return obj.findings_listed


class CandidateOut(Schema):
    """An open case of the same category near the problem reported."""

    number: str
    state: str
    state_label: str
    description: str
    reported_at: LocalDateTime
    distance_m: int
    url: str


class OfferOut(Schema):
    """The answer 409 to a problem reported beside open cases of its category."""

    message: str
    candidates: list[CandidateOut] = Field(description="The open cases nearby, nearest first.")
    kept: list[str] = Field(
        description="The photos sent, kept by their SHA-256: send them back as ``kept``."
    )


def offer_out(message, candidates, kept):
    """The offer of the open cases ``candidates`` ([(case, metres)]) and the photos kept."""
    return {
        "message": message,
        "candidates": [
            {
                "number": case.number,
                "state": case.state,
                "state_label": str(case.get_state_display()),
                "description": case.description,
                "reported_at": case.reported_at,
                "distance_m": round(metres),
                "url": reverse("citywork:case_detail", args=[case.number]),
            }
            for case, metres in candidates
        ],
        "kept": kept,
    }


class ProblemIn(InputSchema):
    """A problem seen on the spot (multipart form fields; the photos come as ``photos``)."""

    category: str = Field(max_length=64, description="A subcategory's code.")
    description: str = Field(description="What is wrong.")
    lon: float
    lat: float
    coordinate_system: str = Field(
        "wgs84", max_length=8, description="wgs84 (the phone's), gcj02 (WeChat, Gaode), bd09."
    )
    address: str = Field("", max_length=300)


class FindingIn(ProblemIn):
    decision: str = Field(
        "",
        max_length=32,
        description="Empty at first; after a 409 offer: “support:AJ00000042” (the same problem"
        " as that open case) or “new” (report a new case).",
    )
    kept: list[str] = Field(
        [], max_length=9, description="The photos kept by a 409 offer (their SHA-256)."
    )


class StartIn(InputSchema):
    grid: str | None = Field(None, max_length=64, description="The grid's code, if any.")
    area: str = Field("", max_length=200, description="The area patrolled, in words.")
    note: str = Field("", max_length=2000)


class EndIn(InputSchema):
    note: str | None = Field(None, max_length=2000, description="Replaces the patrol's note.")


class CheckIn(InputSchema):
    passed: bool = Field(description="True closes the case; false sends it back as rework.")
    note: str = Field("", max_length=2000, description="Required when failed: what is wrong.")
    version: int | None = Field(
        None, description='The case\'s version read (or If-Match: "case-3").'
    )
