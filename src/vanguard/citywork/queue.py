"""What city cases hand out to the work queue (supervision.queue).

- The responsible unit's reporters: cases dispatched to their units (a refused return
  and a failed check send a case back there too), soonest due first, so the overdue
  ones lead.
- The office and the city-work task force: reports awaiting registration, registered
  cases awaiting dispatch, returns and postponements to decide.
- The same people as checkers: handled cases awaiting their check, those assigned to
  the person first, never one they handled or one of a unit they report for.

Each kind reads in two queries at most (one when nothing waits), however many cases.
"""

from django.db.models import Case as Cases
from django.db.models import Count, F, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanguard.citywork.models import Case
from vanguard.citywork.models.cases import CaseState
from vanguard.org import access
from vanguard.supervision.queue import REPORTER, TASK_FORCE, QueueItem, Section, register_queue


def _item(case, reason="", *, late=False):
    return QueueItem(
        label="{} {}".format(case.number, case.category.name),
        url=reverse("citywork:case_detail", args=[case.number]),
        due=timezone.localtime(case.due_at).date() if case.due_at else None,
        late=late,
        reason=reason,
        unit=case.unit.name if case.unit_id else "",
    )


def _section(waiting, order, limit, describe, late=None):
    """Count the waiting cases (and the late ones) in one query; read the first ``limit``."""
    counted = {"n": Count("pk")}
    if late is not None:
        counted["late"] = Count("pk", filter=late)
    counts = waiting.order_by().aggregate(**counted)
    if not counts["n"]:
        return Section(0)
    rows = waiting.select_related("category", "unit").order_by(*order)[:limit]
    return Section(counts["n"], [describe(case) for case in rows], counts.get("late") or 0)


def _cases(campaign):
    return Case.objects.filter(campaign=campaign)


def cases_to_handle(campaign, user, today, limit):
    """Cases at the user's units' door, soonest due first."""
    now = timezone.now()
    waiting = _cases(campaign).filter(
        state=CaseState.DISPATCHED, unit_id__in=access.access_for(user).unit_ids
    )

    def describe(case):
        if case.rework_count and case.checked_at and case.checked_at > case.dispatched_at:
            reason = _("Check failed: rework")
        elif not case.signed_at:
            reason = _("To sign for and handle: {text}").format(text=case.description[:80])
        else:
            reason = case.description[:80]
        return _item(case, reason, late=case.due_at < now)

    return _section(waiting, ("due_at", "pk"), limit, describe, Q(due_at__lt=now))


def _waiting_for_keepers(state, **more):
    def provider(campaign, user, today, limit):
        waiting = _cases(campaign).filter(state=state, **more)
        return _section(
            waiting,
            ("reported_at", "pk"),
            limit,
            lambda case: _item(case, _reason(case)),
        )

    return provider


def _reason(case):
    if case.state == CaseState.RETURNED:
        return _("Returned: {reason}").format(reason=case.return_reason)
    if case.postpone_until is not None:
        return _("More time asked until {until}: {reason}").format(
            until=timezone.localtime(case.postpone_until).strftime("%Y-%m-%d %H:%M"),
            reason=case.postpone_reason,
        )
    return case.description[:80]


def cases_to_check(campaign, user, today, limit):
    """Handled cases awaiting a check the user may make: theirs first, oldest reply first."""
    held = access.access_for(user)
    waiting = (
        _cases(campaign)
        .filter(state=CaseState.HANDLED)
        .exclude(unit_id__in=held.unit_ids)
        .exclude(handled_by_id=held.user_id)
    )
    mine = Cases(
        When(checker_id=held.user_id, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return _section(
        waiting.annotate(mine=mine),
        ("mine", "handled_at", "pk"),
        limit,
        lambda case: _item(case, case.reply[:80], late=case.handled_at > case.due_at),
        Q(handled_at__gt=F("due_at")),
    )


def _list_url(**query):
    def url(campaign):
        params = "&".join("{}={}".format(key, value) for key, value in query.items())
        return "{}?campaign={}&{}".format(reverse("citywork:case_list"), campaign.code, params)

    return url


def _reports_for_some_unit(user):
    return bool(access.access_for(user).unit_ids)


def register():
    register_queue(
        "cases_to_handle",
        gettext_lazy("City cases to handle"),
        cases_to_handle,
        role=REPORTER,
        applies=_reports_for_some_unit,
        more_url=_list_url(state=CaseState.DISPATCHED),
    )
    for kind, label, provider, query in (
        (
            "cases_to_register",
            gettext_lazy("City cases to register"),
            _waiting_for_keepers(CaseState.REPORTED),
            {"state": CaseState.REPORTED},
        ),
        (
            "cases_to_dispatch",
            gettext_lazy("City cases to dispatch"),
            _waiting_for_keepers(CaseState.REGISTERED),
            {"state": CaseState.REGISTERED},
        ),
        (
            "case_returns_to_decide",
            gettext_lazy("Returned city cases to decide"),
            _waiting_for_keepers(CaseState.RETURNED),
            {"state": CaseState.RETURNED},
        ),
        (
            "case_postponements_to_decide",
            gettext_lazy("Postponements of city cases to decide"),
            _waiting_for_keepers(CaseState.DISPATCHED, postpone_until__isnull=False),
            {"postpone": "1"},
        ),
        (
            "cases_to_check",
            gettext_lazy("City cases to check"),
            cases_to_check,
            {"state": CaseState.HANDLED},
        ),
    ):
        register_queue(
            kind,
            label,
            provider,
            role=TASK_FORCE,
            applies=access.may_keep_cases,
            more_url=_list_url(**query),
        )
