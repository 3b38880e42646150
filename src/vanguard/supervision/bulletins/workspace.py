"""What the office's workspace shows of the monthly bulletin: the drafts waiting to be
reviewed and issued, and last month's bulletin when it is due and not drafted yet."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from vanguard.org import access
from vanguard.supervision.bulletins.tasks import month_due_date
from vanguard.supervision.models import Bulletin, BulletinState


def bulletin_rows(user, campaign, today):
    """``[(label, url)]`` of the bulletins waiting for the office; empty for anyone who
    does not keep bulletins. Two queries."""
    if not access.may_manage_bulletins(user):
        return []
    rows = [
        (
            _("{title}: draft to review and issue").format(title=bulletin.title),
            reverse("bulletins:detail", args=[bulletin.pk]),
        )
        for bulletin in Bulletin.objects.filter(
            campaign=campaign, state=BulletinState.DRAFT
        ).order_by("-month")
    ]
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    if (
        campaign.start_date <= today
        and last_month >= campaign.start_date.replace(day=1)
        and month_due_date(campaign, last_month) <= today
        and not Bulletin.objects.filter(campaign=campaign, month=last_month).exists()
    ):
        rows.append(
            (
                _("{month}: the bulletin is due and not drafted yet").format(
                    month=last_month.strftime("%Y-%m")
                ),
                reverse("bulletins:list"),
            )
        )
    return rows
