"""Logging in and out, the lockout, and the language switch."""

from tests.conftest import PASSWORD


def test_the_login_page_is_in_chinese_by_default(client, db):
    content = client.get("/login/").content.decode()
    assert "登录" in content
    assert "先锋" in content


def test_the_login_page_switches_to_english(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"}, follow=True)
    assert "Log in" in response.content.decode()


def test_a_wrong_password_is_refused_with_a_chinese_message(client, office_clerk):
    response = client.post("/login/", {"username": "office", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_an_account_locks_after_five_failures_even_for_the_right_password(client, office_clerk):
    for _ in range(5):
        client.post("/login/", {"username": "office", "password": "wrong"})
    response = client.post("/login/", {"username": "office", "password": PASSWORD})
    assert response.status_code == 429
    assert "锁定 15 分钟" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_clears_earlier_failures(client, office_clerk):
    for _ in range(4):
        client.post("/login/", {"username": "office", "password": "wrong"})
    assert client.post("/login/", {"username": "office", "password": PASSWORD}).status_code == 302
    client.post("/logout/")
    for _ in range(4):
        client.post("/login/", {"username": "office", "password": "wrong"})
    assert client.post("/login/", {"username": "office", "password": PASSWORD}).status_code == 302


def test_pages_need_a_login(client, db):
    response = client.get("/org/units/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_logout_ends_the_session(login, office_clerk):
    client = login(office_clerk)
    client.post("/logout/")
    assert client.get("/org/units/").status_code == 302


def test_the_health_check_answers(client, db):
    assert client.get("/health/").json()["status"] == "ok"


def test_an_english_browser_still_gets_chinese_until_the_user_switches(client, db):
    content = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录" in content
