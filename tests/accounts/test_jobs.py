"""The accounts' nightly housekeeping."""

import datetime

from axes.models import AccessAttempt
from django.utils import timezone

from vanguard.accounts import tasks


def test_old_failed_logins_are_purged(client, db):
    client.post("/login/", {"username": "office", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(days=2))
    client.post("/login/", {"username": "office", "password": "wrong"}, REMOTE_ADDR="10.0.0.2")
    tasks.purge_login_failures.call_local()
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["10.0.0.2"]
