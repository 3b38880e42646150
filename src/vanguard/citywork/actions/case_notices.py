"""Telling a unit of a case at its door: the responsible unit's reporters hear at once
(inbox, e-mail and the unit's group robots) when a case is dispatched to it, and when
its return is refused and the case stays with it."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.notices.choices import NoticeKind
from vanguard.notices.send import notify_unit


def tell_dispatched(case, *, refused=False):
    """Tell the unit of ``case`` (inside the action's transaction: a rolled-back step
    tells nobody). Each dispatch is told once, however often it is asked."""
    due = timezone.localtime(case.due_at)
    subject = (
        _("City case {number} stays with your unit: the return is refused")
        if refused
        else _("City case {number} dispatched to your unit: {category}")
    )
    notify_unit(
        case.unit_id,
        kind=NoticeKind.CASE_DISPATCHED,
        subject=subject.format(number=case.number, category=case.category.name),
        body=_("Handle by {due}: {description}").format(
            due=due.strftime("%Y-%m-%d %H:%M"), description=case.description[:200]
        ),
        url=reverse("citywork:case_detail", args=[case.number]),
        key="case:{}:{}".format(case.pk, case.version),
        campaign=case.campaign_id,
        due=due.date(),
        at_once=True,
    )
