"""API tokens: named, expiring (90 days by default), and revoked for good."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.conftest import PASSWORD
from vanguard.accounts.models import ApiToken


def create_token(capsys, *args):
    call_command("token", "create", *args)
    return capsys.readouterr().out.strip()


def api_get(client, token):
    return client.get("/api/v1/campaigns", HTTP_AUTHORIZATION="Bearer " + token)


def test_a_token_needs_a_name(leader):
    with pytest.raises(CommandError):
        call_command("token", "create", "leader")


def test_a_token_lasts_90_days_by_default(leader, capsys):
    create_token(capsys, "leader", "--name", "统计报表脚本")
    token = ApiToken.objects.get(user=leader)
    assert token.name == "统计报表脚本"
    expected = timezone.now() + datetime.timedelta(days=90)
    assert abs(token.expires_at - expected) < datetime.timedelta(minutes=5)


def test_an_expired_token_gets_401_with_a_chinese_message(client, leader, capsys):
    raw = create_token(capsys, "leader", "--name", "脚本", "--days", "7")
    assert api_get(client, raw).status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = api_get(client, raw)
    assert response.status_code == 401
    assert "已过期" in response.json()["message"]


def test_a_revoked_token_cannot_be_unrevoked_in_the_admin(client, leader, secadmin, capsys):
    raw = create_token(capsys, "leader", "--name", "脚本")
    token = ApiToken.objects.get(user=leader)
    client.post("/login/", {"username": "secadmin", "password": PASSWORD})
    url = "/admin/accounts/apitoken/{}/change/".format(token.pk)
    assert client.post(url, {"name": "脚本", "revoked": "on"}).status_code == 302
    assert api_get(client.__class__(), raw).status_code == 401
    page = client.get(url).content.decode()
    assert 'name="revoked"' not in page
    client.post(url, {"name": "脚本"})
    token.refresh_from_db()
    assert token.revoked


def test_the_model_refuses_to_unrevoke(leader, capsys):
    create_token(capsys, "leader", "--name", "脚本")
    token = ApiToken.objects.get(user=leader)
    ApiToken.objects.filter(pk=token.pk).update(revoked=True)
    token.refresh_from_db()
    token.revoked = False
    with pytest.raises(ValidationError):
        token.save()


def test_changing_ones_own_password_revokes_ones_tokens(login, leader, capsys):
    raw = create_token(capsys, "leader", "--name", "脚本")
    client = login(leader)
    new = "Qingdao-harbour-lights-9"
    response = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert api_get(client.__class__(), raw).status_code == 401
    assert ApiToken.objects.get(user=leader).revoked
