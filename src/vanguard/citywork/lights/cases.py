"""The light of every dispatched city case, from its time limit.

A case's clock starts at dispatch and stops at its unit's reply (处置反馈); the light is:

  red    when its time limit has passed without a reply (超期);
  red    when it was replied to after its time limit, while it waits for its check;
  yellow when three quarters of its time limit are used (its warning time has passed);
  green  otherwise (within its time limit, or replied to in time and awaiting check).

A closed case keeps its verdict on its row (``closed_on_time``) rather than a light;
cases not yet dispatched have no clock and no light.

Judged as of the run's day: today now, a past day (the month-end lights a bulletin
reads) at its end, from the case's times: dispatched by then, not closed by then,
replied to by then. A case keeps only its latest clock, so a past day reads the time
limit as it stands now.
"""

import datetime

from django.db.models import Case as When_
from django.db.models import F, Q, Value, When
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanguard.citywork.models.cases import TIMED_STATES, Case, CaseState
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import subject_rows
from vanguard.supervision.reasons import Reason


def as_of(judging):
    """The moment a run judges at: now, or the end of its day when that day is past."""
    day_end = timezone.make_aware(
        datetime.datetime.combine(judging.today + datetime.timedelta(days=1), datetime.time())
    )
    return min(timezone.now(), day_end)


def rows(campaign, judging):
    """One row per case dispatched and not closed at the run's moment (module docstring)."""
    now = as_of(judging)
    handled = Q(handled_at__lte=now)
    reason = When_(
        When(handled & Q(handled_at__gt=F("due_at")), then=Value("handled_late")),
        When(handled, then=Value("handled")),
        When(due_at__lt=now, then=Value("overdue")),
        When(warn_at__lte=now, then=Value("due_soon")),
        default=Value("on_time"),
    )
    open_then = Q(state__in=TIMED_STATES) | Q(state=CaseState.CLOSED, closed_at__gt=now)
    queryset = Case.objects.filter(
        open_then, campaign=campaign, due_at__isnull=False, dispatched_at__lte=now
    )
    return subject_rows(
        queryset,
        object_id=F("pk"),
        unit=F("unit_id"),
        reason=reason,
        params=JSONObject(postponed=F("postponed")),
    )


REASONS = {
    "overdue": Reason(Light.RED, _("Its time limit has passed without the unit's reply.")),
    "handled_late": Reason(
        Light.RED, _("The unit replied after the time limit; awaiting the check.")
    ),
    "due_soon": Reason(Light.YELLOW, _("Three quarters of its time limit are used.")),
    "handled": Reason(Light.GREEN, _("The unit replied in time; awaiting the check.")),
    "on_time": Reason(Light.GREEN, _("Within its time limit.")),
}
