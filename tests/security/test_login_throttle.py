"""The login throttle: an account locks against the address that failed, never district-wide."""

import pytest
from axes.models import AccessAttempt

from tests.conftest import PASSWORD, make_person

SPRAYER = "10.9.9.9"
OWNER_DESK = "10.1.1.1"


def post_login(client, username, password, address, path="/login/"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def thirty_accounts(db):
    return [make_person("clerk{:02d}".format(i), "科员{}".format(i)) for i in range(30)]


def test_password_spraying_from_one_address_locks_no_account_elsewhere(client, thirty_accounts):
    for _ in range(4):
        for user in thirty_accounts:
            post_login(client, user.username, "Spring2026!", SPRAYER)
    for user in thirty_accounts:
        response = post_login(client, user.username, PASSWORD, OWNER_DESK)
        assert response.status_code == 302, user.username
        client.post("/logout/")


def test_the_spraying_address_itself_is_paused(client, thirty_accounts):
    for _ in range(4):
        for user in thirty_accounts:
            post_login(client, user.username, "Spring2026!", SPRAYER)
    response = post_login(client, "clerk00", PASSWORD, SPRAYER)
    assert response.status_code == 429
    assert "此地址" in response.content.decode()


def test_five_failures_lock_the_account_from_that_address_with_a_chinese_message(
    client, office_clerk
):
    for _ in range(5):
        post_login(client, "office", "wrong", SPRAYER)
    response = post_login(client, "office", PASSWORD, SPRAYER)
    assert response.status_code == 429
    content = response.content.decode()
    assert "登录失败次数过多" in content
    assert "15 分钟" in content
    assert "_auth_user_id" not in client.session


def test_the_owner_still_logs_in_from_another_address(client, office_clerk):
    for _ in range(5):
        post_login(client, "office", "wrong", SPRAYER)
    assert post_login(client, "office", PASSWORD, OWNER_DESK).status_code == 302


def test_the_admin_login_counts_and_is_refused_too(client, sysadmin):
    for _ in range(5):
        post_login(client, "sysadmin", "wrong", SPRAYER, path="/admin/login/")
    response = post_login(client, "sysadmin", PASSWORD, SPRAYER, path="/admin/login/")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    # The lock made at the admin's door holds at the front door as well.
    assert post_login(client, "sysadmin", PASSWORD, SPRAYER).status_code == 429


def test_bad_api_tokens_from_one_address_are_throttled_with_json(client, db):
    headers = {"HTTP_AUTHORIZATION": "Bearer vg_notarealtoken", "REMOTE_ADDR": SPRAYER}
    statuses = [client.get("/api/v1/campaigns", **headers).status_code for _ in range(6)]
    assert statuses[:4] == [401] * 4
    assert statuses[-1] == 429
    response = client.get("/api/v1/campaigns", **headers)
    assert "失败次数过多" in response.json()["message"]
    assert "15 分钟" in response.json()["message"]
    elsewhere = client.get(
        "/api/v1/campaigns", HTTP_AUTHORIZATION="Bearer vg_notarealtoken", REMOTE_ADDR=OWNER_DESK
    )
    assert elsewhere.status_code == 401


def test_the_security_administrator_sees_and_clears_a_lockout(client, office_clerk, secadmin):
    for _ in range(5):
        post_login(client, "office", "wrong", SPRAYER)
    assert post_login(client, "secadmin", PASSWORD, OWNER_DESK).status_code == 302
    listing = client.get("/admin/axes/accessattempt/", REMOTE_ADDR=OWNER_DESK)
    assert listing.status_code == 200
    assert SPRAYER in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="office")
    detail = client.get(
        "/admin/axes/accessattempt/{}/change/".format(attempt.pk), REMOTE_ADDR=OWNER_DESK
    )
    assert detail.status_code == 200
    assert SPRAYER in detail.content.decode()
    response = client.post(
        "/admin/axes/accessattempt/{}/delete/".format(attempt.pk),
        {"post": "yes"},
        REMOTE_ADDR=OWNER_DESK,
    )
    assert response.status_code == 302
    client.post("/logout/")
    assert post_login(client, "office", PASSWORD, SPRAYER).status_code == 302


def test_other_administrators_do_not_see_lockouts(login, sysadmin):
    client = login(sysadmin)
    assert client.get("/admin/axes/accessattempt/").status_code == 403


def test_behind_the_proxy_a_forged_forwarded_address_does_not_dodge_the_lock(
    client, office_clerk, settings
):
    settings.BEHIND_PROXY = True
    for i in range(5):
        client.post(
            "/login/",
            {"username": "office", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="192.0.2.{}, {}".format(i, SPRAYER),
        )
    response = client.post(
        "/login/",
        {"username": "office", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="192.0.2.99, {}".format(SPRAYER),
    )
    assert response.status_code == 429
    other = client.post(
        "/login/",
        {"username": "office", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=OWNER_DESK,
    )
    assert other.status_code == 302


def test_the_admin_lists_lockouts_in_chinese_and_keeps_no_password(client, secadmin):
    post_login(client, "office", "Secret-guess-2026", SPRAYER)
    assert "Secret-guess-2026" not in AccessAttempt.objects.get().post_data
    post_login(client, "secadmin", PASSWORD, OWNER_DESK)
    index = client.get("/admin/", REMOTE_ADDR=OWNER_DESK).content.decode()
    assert "登录防护" in index
    assert "登录失败与锁定" in index
    log = client.get("/admin/axes/accesslog/", REMOTE_ADDR=OWNER_DESK).content.decode()
    assert "secadmin" in log
