"""Demo monthly bulletins: one issued for each past month of the campaign.

The lights are recomputed as of each month's last day first (oldest first, before the
demo's recompute for today), so each bulletin scores the lights the units had at the
end of its month and the dekad reports and statistics the demo generated; each is
then issued under the office's next document number on the month's due date, at every
scale: a month costs a light recompute and a draft whose facts the database counts.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from vanguard.org.access import SYSTEM
from vanguard.supervision.bulletins.actions import (
    do_draft_bulletin,
    do_issue_bulletin,
    do_load_scoring_rule,
    month_window,
)
from vanguard.supervision.bulletins.tasks import month_due_date
from vanguard.supervision.lights import recompute

RULE = Path(settings.PROJECT_DIR) / "plans" / "xihaian-bulletin-rule.yaml"
ISSUER_SHORT = "西海岸攻坚办"
FIRST_NUMBER = 3  # the office's earlier documents of the year took the first numbers


def past_months(campaign, today):
    """The campaign's months whose bulletin fell due by ``today``, oldest first."""
    months, month = [], campaign.start_date.replace(day=1)
    while month < today.replace(day=1):
        if month_due_date(campaign, month) <= today:
            months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def generate(campaign, today, last=None):
    """Month-end lights, then an issued bulletin for each past month (or the ``last`` few)."""
    months = past_months(campaign, today)
    if last:
        months = months[-last:]
    for month in months:
        recompute(campaign, month_window(month)[1])
    if not months:
        return []
    do_load_scoring_rule(
        campaign, RULE.read_text(encoding="utf-8"), actor=SYSTEM, source_name=RULE.name
    )
    cutoff = timezone.now()
    issued = []
    first = FIRST_NUMBER + len(past_months(campaign, today)) - len(months)
    for n, month in enumerate(months, start=first):
        draft = do_draft_bulletin(campaign, month, actor=SYSTEM, cutoff=cutoff)
        draft = do_edit_bulletin_copy(draft)
        issued.append(
            do_issue_bulletin(
                draft,
                actor=SYSTEM,
                expected_version=draft.version,
                number="{}〔{}〕{}号".format(ISSUER_SHORT, month.year, n),
                issued_on=month_due_date(campaign, month),
            )
        )
    return issued


def do_edit_bulletin_copy(draft):
    """The 抄送 line the office writes on every bulletin."""
    from vanguard.supervision.bulletins.actions import do_edit_bulletin

    return do_edit_bulletin(
        draft,
        actor=SYSTEM,
        expected_version=draft.version,
        copy_to="区委办公室，区人大常委会办公室，区政府办公室，区政协办公室，区纪委监委",
    )
