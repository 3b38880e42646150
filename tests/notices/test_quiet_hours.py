"""Quiet hours: a message due inside them waits for their end; the inbox does not."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from vanguard.notices.delivery import backoff
from vanguard.notices.quiet import not_before

BEIJING = timezone.get_default_timezone()


def at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=BEIJING)


@pytest.mark.parametrize(
    "moment, waits_until",
    [
        ("2026-06-22 21:59", "2026-06-22 21:59"),
        ("2026-06-22 22:00", "2026-06-23 07:00"),
        ("2026-06-22 23:30", "2026-06-23 07:00"),
        ("2026-06-23 03:00", "2026-06-23 07:00"),
        ("2026-06-23 07:00", "2026-06-23 07:00"),
    ],
)
def test_a_message_in_the_night_waits_for_the_morning(settings, moment, waits_until):
    settings.NOTICE_QUIET_HOURS = "22:00-07:00"
    assert not_before(at(moment)) == at(waits_until)


def test_quiet_hours_within_one_day(settings):
    settings.NOTICE_QUIET_HOURS = "12:00-13:30"
    assert not_before(at("2026-06-22 12:10")) == at("2026-06-22 13:30")
    assert not_before(at("2026-06-22 11:59")) == at("2026-06-22 11:59")


def test_no_quiet_hours_when_empty_and_a_clear_error_when_misspelt(settings):
    settings.NOTICE_QUIET_HOURS = ""
    assert not_before(at("2026-06-22 23:00")) == at("2026-06-22 23:00")
    settings.NOTICE_QUIET_HOURS = "22h-7h"
    with pytest.raises(ImproperlyConfigured, match="NOTICE_QUIET_HOURS"):
        not_before(at("2026-06-22 23:00"))


def test_each_wait_is_twice_the_last_up_to_six_hours(settings):
    settings.NOTICE_RETRY_SECONDS = 300
    waits = [backoff(n).total_seconds() for n in range(1, 9)]
    assert waits[:4] == [300, 600, 1200, 2400]
    assert max(waits) == 6 * 3600
