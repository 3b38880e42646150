"""City cases (城市管理案件): one pool of 事件/部件 problems, worked the national way.

Patrols, citizens' photo reports (随手拍), the 12345 hotline, inspections and volunteer
activities all feed one pool. A case goes 采集 → 立案 → 派遣 → 处置 → 反馈 → 核查 → 结案
(GB/T 30428.8):

- a report from the public waits for the task force to register it (立案) or discard
  it; a patrol's report is registered as it comes in (the patrol saw it);
- dispatch names the responsible unit, suggested by category and grid; the time limit
  of the category starts at dispatch, not at signing, and is counted on the official
  calendar (``calendar.worktime``);
- the unit may return the dispatch with a reason (退单); the dispatcher upholds the
  return and dispatches again, or refuses it against the grid and the clock runs on;
  bounces are counted;
- the unit's reply (处置反馈, with after photos) stops the clock; a person other than
  the handler checks it on site (核查); only a passed check closes the case, a failed
  one sends it back as rework (返工);
- a postponement (缓办) is asked for by the unit and approved by the task force;
- a new report near an open case of the same category may be merged into it and then
  counts as support ("me too").

``CaseEvent`` is the case's flow record (流转记录), shown on its page and, where public,
on the citizen's tracking page; the change log keeps every write besides.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vanguard.calendar.worktime import TimeUnit
from vanguard.citywork.models.located import Located
from vanguard.core.coords import CoordinateSystem

DEFAULT_DUPLICATE_RADIUS_M = 250
# Tracking codes avoid letters and digits read alike (0/O, 1/I/L).
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 10


def number_of(pk):
    return f"AJ{pk:08d}" if pk else ""


def pk_of_number(text):
    """The id a case number names (``AJ00000042``, ``aj42``, ``42``), or None."""
    text = (text or "").strip().upper().removeprefix("AJ")
    return int(text) if text.isdigit() and 0 < int(text) < 2**62 else None


def new_tracking_code():
    return "".join(secrets.choice(TRACKING_ALPHABET) for _i in range(TRACKING_LENGTH))


class CaseKind(models.TextChoices):
    EVENT = "event", _("Event (事件)")
    COMPONENT = "component", _("Component (部件)")


class CaseSource(models.TextChoices):
    PATROL = "patrol", _("Patrol")
    CITIZEN = "citizen", _("Citizen photo report")
    HOTLINE = "hotline", _("12345 hotline")
    INSPECTION = "inspection", _("Inspection")
    VOLUNTEER = "volunteer", _("Volunteer activity")
    OPEN311 = "open311", _("Open311")


class CaseState(models.TextChoices):
    REPORTED = "reported", _("Awaiting registration")
    REGISTERED = "registered", _("Awaiting dispatch")
    DISPATCHED = "dispatched", _("Being handled")
    RETURNED = "returned", _("Returned by the unit")
    HANDLED = "handled", _("Awaiting check")
    CLOSED = "closed", pgettext_lazy("case state", "Closed")
    DISCARDED = "discarded", _("Not registered")
    MERGED = "merged", _("Merged into another case")


# The states in which a case is open (its clock, if started, runs or has stopped at the
# unit's reply) and in which it is at a unit's door.
OPEN_STATES = (
    CaseState.REPORTED,
    CaseState.REGISTERED,
    CaseState.DISPATCHED,
    CaseState.RETURNED,
    CaseState.HANDLED,
)
TIMED_STATES = (CaseState.DISPATCHED, CaseState.RETURNED, CaseState.HANDLED)


class CaseCategory(models.Model):
    """A category of case: a 大类 (no parent) or a 小类 under one, with its time limit.

    Only a 小类 takes cases. Its time limit (处置时限) is counted from dispatch in
    working hours, working days or emergency hours; its unit, if named, handles its
    cases wherever they are (a department: water, power), otherwise the grid's town or
    street does (属地管理). The radius is how near an open case of the same category a
    new report must be to be offered as the same problem.
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("main category"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CaseKind, default=CaseKind.EVENT)
    time_limit = models.DecimalField(_("time limit"), max_digits=6, decimal_places=1, default=5)
    time_unit = models.CharField(
        _("counted in"),
        max_length=2,
        choices=TimeUnit.choices(),
        default=TimeUnit.WORKING_DAYS.value,
    )
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_categories",
        verbose_name=_("responsible department"),
        help_text=_("Empty: the town or street of the case's grid handles it."),
    )
    duplicate_radius_m = models.PositiveIntegerField(
        _("duplicate radius (m)"), default=DEFAULT_DUPLICATE_RADIUS_M
    )
    close_condition = models.CharField(_("condition for closing"), max_length=300, blank=True)
    public = models.BooleanField(
        _("offered to the public"),
        default=True,
        help_text=_("Citizens may choose it on the photo report page and through Open311."),
    )
    active = models.BooleanField(_("in use"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(time_limit__gt=0), name="case_category_time_limit_positive"
            ),
        ]

    def __str__(self):
        if self.parent_id:
            return f"{self.parent.name} / {self.name}"
        return self.name


class CaseRoute(models.Model):
    """Who handles a category's cases in a grid, where it is not the grid's own office."""

    category = models.ForeignKey(
        CaseCategory, on_delete=models.CASCADE, related_name="routes", verbose_name=_("category")
    )
    grid = models.ForeignKey(
        "citywork.Grid",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="routes",
        verbose_name=_("grid"),
        help_text=_("Empty: every grid."),
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="case_routes", verbose_name=_("unit")
    )

    class Meta:
        verbose_name = _("case route")
        verbose_name_plural = _("case routes")
        constraints = [
            models.UniqueConstraint(fields=["category", "grid"], name="case_route_once"),
        ]

    def __str__(self):
        return f"{self.category} → {self.unit}"


class Case(Located):
    """One case of the pool, where it is in the workflow and what its clock says."""

    campaign = models.ForeignKey(
        "org.Campaign", on_delete=models.CASCADE, related_name="cases", verbose_name=_("campaign")
    )
    tracking_code = models.CharField(
        _("tracking code"), max_length=16, unique=True, default=new_tracking_code
    )
    source = models.CharField(_("source"), max_length=16, choices=CaseSource)
    category = models.ForeignKey(
        CaseCategory, on_delete=models.PROTECT, related_name="cases", verbose_name=_("category")
    )
    description = models.TextField(_("description"), max_length=4000)
    address = models.CharField(pgettext_lazy("case", "address"), max_length=300, blank=True)
    coordinate_system = models.CharField(
        _("entered as"), max_length=8, choices=CoordinateSystem, default=CoordinateSystem.WGS84
    )
    grid = models.ForeignKey(
        "citywork.Grid",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("grid"),
    )
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("responsible unit"),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=CaseState, default=CaseState.REPORTED
    )
    hotline_ticket = models.CharField(_("12345 ticket"), max_length=64, blank=True)
    # Who reported: a user (patrol, office) or a member of the public, whose contact is
    # kept for the unit's call-back and never shown publicly.
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reporter_name = models.CharField(_("reporter's name"), max_length=100, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=32, blank=True)
    reported_at = models.DateTimeField(_("reported at"))
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    # Three quarters of the time limit used: the light turns yellow.
    warn_at = models.DateTimeField(_("warning from"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed for at"), null=True, blank=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    reply = models.TextField(_("the unit's reply"), blank=True)
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checker"),
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_on_time = models.BooleanField(_("closed in time"), null=True, blank=True)
    bounce_count = models.PositiveIntegerField(_("returns"), default=0)
    rework_count = models.PositiveIntegerField(_("rework"), default=0)
    postponed = models.BooleanField(_("postponed"), default=False)
    postpone_until = models.DateTimeField(_("postponement asked until"), null=True, blank=True)
    postpone_reason = models.CharField(_("reason for postponement"), max_length=500, blank=True)
    return_reason = models.CharField(_("reason for the return"), max_length=500, blank=True)
    supporters = models.PositiveIntegerField(_("also reported by"), default=0)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("merged into"),
    )
    citizen_confirmed = models.BooleanField(_("confirmed by the reporter"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["campaign", "state", "category"], name="case_state"),
            models.Index(fields=["unit", "state"], name="case_unit_state"),
            models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="case_bbox"),
            models.Index(fields=["category", "lon", "lat"], name="case_near"),
            models.Index(fields=["campaign", "closed_at"], name="case_closed"),
            models.Index(fields=["checker", "state"], name="case_checker"),
            # The map's open cases: the open states, a box on (lon, lat), and everything
            # the layer groups, colours and filters by, so a district of 100,000 open
            # cases reads this index alone. Not a partial index: SQLite plans a query
            # before its parameters are bound and would not use one for ``state IN``.
            models.Index(
                fields=[
                    "state",
                    "lon",
                    "lat",
                    "campaign",
                    "unit",
                    "category",
                    "due_at",
                    "warn_at",
                    "handled_at",
                ],
                name="case_state_place",
            ),
            # A unit's cases in a state, soonest due first.
            models.Index(fields=["unit", "state", "due_at"], name="case_unit_due"),
            # Open311's requests, newest first, in a window of report times.
            models.Index(fields=["reported_at", "id"], name="case_reported"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "hotline_ticket"],
                condition=~Q(hotline_ticket=""),
                name="case_hotline_ticket_once",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def number(self):
        """The case number (案件编号) staff quote: ``AJ`` and the row's id."""
        return number_of(self.pk)

    @property
    def code(self):
        """How the light engine and lists name a case."""
        return self.number

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    @property
    def lead_unit_id(self):
        """The access rules read a subject's lead unit: a case's is its responsible unit."""
        return self.unit_id


class CaseAction(models.TextChoices):
    REPORT = "report", pgettext_lazy("case step", "Reported")
    REGISTER = "register", _("Registered")
    DISCARD = "discard", _("Not registered")
    DISPATCH = "dispatch", pgettext_lazy("case step", "Dispatched")
    SIGN = "sign", _("Signed for")
    RETURN = "return", _("Returned by the unit")
    RETURN_UPHELD = "return_upheld", _("Return accepted")
    RETURN_REFUSED = "return_refused", _("Return refused")
    HANDLE = "handle", _("Handled")
    CHECK_PASSED = "check_passed", _("Check passed, closed")
    CHECK_FAILED = "check_failed", _("Check failed, rework")
    POSTPONE_ASKED = "postpone_asked", _("Postponement asked")
    POSTPONE_APPROVED = "postpone_approved", _("Postponement approved")
    POSTPONE_REFUSED = "postpone_refused", _("Postponement refused")
    MERGE = "merge", _("Merged")
    SUPPORT = "support", _("Reported again")
    CONFIRM = "confirm", _("Fix confirmed by the reporter")
    REOPEN = "reopen", _("Reopened by the reporter: not fixed")


class CaseEvent(models.Model):
    """One step of a case's flow: who did what, for which unit, with what note."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("step"), max_length=24, choices=CaseAction)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    note = models.TextField(_("note"), blank=True)
    # Shown on the citizen's tracking page (a reason for discarding, the unit's reply);
    # internal notes (why a return was refused) are not.
    public = models.BooleanField(_("public"), default=True)

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_case")]

    def __str__(self):
        return f"{self.case_id} {self.action}"
