"""Background jobs of the accounts (huey; see docs/decisions/0002-jobs.md)."""

import datetime

from axes.models import AccessAttempt
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="1", minute="10"))
def purge_login_failures():
    """Forget failed logins (the throttle's counts) older than a day."""
    cutoff = timezone.now() - datetime.timedelta(days=1)
    deleted, _ = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
    return deleted
