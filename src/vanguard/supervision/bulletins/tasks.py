"""The periodic job: each month's bulletin is drafted on the month's due date.

The due date is the campaign's monthly report deadline (working days after the month,
``calendar.due``); on it, or on the first run after it, a month without a bulletin gets
its draft, scored with the newest rule, for the office to review and issue.
"""

import datetime

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from vanguard.calendar.due import due
from vanguard.calendar.periods import PeriodKind, period_containing
from vanguard.calendar.services import load_calendar
from vanguard.org.access import SYSTEM
from vanguard.org.choices import CampaignStatus
from vanguard.org.models import Campaign
from vanguard.org.queries import report_working_days
from vanguard.supervision.bulletins.actions import do_draft_bulletin, latest_rule
from vanguard.supervision.models import Bulletin


def month_due_date(campaign, month, calendar=None):
    """The day ``month``'s bulletin falls due: the monthly reports' deadline."""
    period = period_containing(PeriodKind.MONTH, month)
    return due(
        period, calendar or load_calendar(), report_working_days(campaign, PeriodKind.MONTH)
    ).day


def draft_due(today=None):
    """Draft last month's bulletin of every active campaign whose due date has come."""
    today = today or timezone.localdate()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    drafted = []
    calendar = load_calendar()
    for campaign in Campaign.objects.filter(status=CampaignStatus.ACTIVE):
        if not campaign.start_date.replace(day=1) <= last_month <= campaign.end_date:
            continue
        if latest_rule(campaign) is None or today < month_due_date(campaign, last_month, calendar):
            continue
        if Bulletin.objects.filter(campaign=campaign, month=last_month).exists():
            continue
        drafted.append(do_draft_bulletin(campaign, last_month, actor=SYSTEM))
    return drafted


# Huey reads crontabs in UTC: 17:30 UTC is 01:30 in Beijing, after the lights' night run.
@db_periodic_task(crontab(hour="17", minute="30"))
def draft_due_bulletins():
    draft_due()
