"""Sessions end after 30 idle minutes or 8 hours after login; weak passwords are refused."""

import time

import pytest

from tests.conftest import PASSWORD


class Clock:
    """Moves time.time() for the session rules without waiting."""

    def __init__(self, monkeypatch):
        self.now = time.time()
        monkeypatch.setattr(time, "time", lambda: self.now)

    def advance(self, minutes):
        self.now += minutes * 60


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def test_a_session_idle_for_30_minutes_leads_back_to_the_login_page(login, office_clerk, clock):
    client = login(office_clerk)
    assert client.get("/org/units/").status_code == 200
    clock.advance(30)
    response = client.get("/org/units/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_session_in_use_is_kept_past_30_minutes(login, office_clerk, clock):
    client = login(office_clerk)
    for _ in range(4):
        clock.advance(20)
        assert client.get("/org/units/").status_code == 200


def test_a_session_in_use_ends_8_hours_after_login(login, office_clerk, clock):
    client = login(office_clerk)
    for _ in range(23):
        clock.advance(20)
        assert client.get("/org/units/").status_code == 200
    clock.advance(20)
    response = client.get("/org/units/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_an_idle_session_gets_401_from_the_api(login, office_clerk, clock):
    client = login(office_clerk)
    assert client.get("/api/v1/campaigns").status_code == 200
    clock.advance(31)
    assert client.get("/api/v1/campaigns").status_code == 401


@pytest.mark.parametrize("weak", ["zhangsan2026", "Zhangsan@2026"])
def test_a_name_and_year_password_is_refused_on_the_password_page(login, fgj_reporter, weak):
    fgj_reporter.username = "zhangsan"
    fgj_reporter.save(update_fields=["username"])
    client = login(fgj_reporter)
    response = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak},
    )
    assert response.status_code == 200
    assert 'data-error-for="new_password2"' in response.content.decode()
    client.post("/logout/")
    # The old password still works: nothing was changed.
    assert login(fgj_reporter).get("/org/units/").status_code == 200


def test_sessions_are_kept_in_a_cache_only_when_every_web_process_shares_it(settings):
    # A cache of one process would keep a session that another process logged out.
    shared = "LocMemCache" not in settings.CACHES["default"]["BACKEND"]
    cached = settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    assert cached == shared
