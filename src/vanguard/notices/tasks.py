"""Background jobs of the notices: send what is due, every few minutes."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from vanguard.notices.delivery import send_pending


@db_task()
def send_deliveries():
    """Send every delivery due now (new ones, and retries whose wait is over)."""
    return send_pending()


@db_periodic_task(crontab(minute="*/5"))
def send_due_deliveries():
    """Every five minutes: retries whose wait is over, and messages held by quiet hours."""
    return send_pending()
