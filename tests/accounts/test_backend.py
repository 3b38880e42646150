"""The signed-in user is read as the ORM reads it, and an inactive account is refused."""

import pytest
from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict

from tests.conftest import make_person
from vanguard.accounts.backends import AccountBackend

pytestmark = pytest.mark.django_db


def test_the_user_read_is_the_orms_user():
    user = make_person("one", "甲")
    user.last_login = user.date_joined
    user.save()
    found = AccountBackend().get_user(user.pk)
    stored = get_user_model().objects.get(pk=user.pk)
    assert model_to_dict(found) == model_to_dict(stored)
    assert (found.pk, found.last_login, found.is_active) == (user.pk, stored.last_login, True)


def test_an_inactive_or_unknown_account_is_no_user():
    user = make_person("one", "甲")
    user.is_active = False
    user.save()
    assert AccountBackend().get_user(user.pk) is None
    assert AccountBackend().get_user(10**9) is None


def test_a_deactivated_account_is_signed_out_on_its_next_request(client):
    from tests.conftest import PASSWORD

    user = make_person("one", "甲")
    assert client.post("/login/", {"username": "one", "password": PASSWORD}).status_code == 302
    assert client.get("/account/password/").status_code == 200
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    assert client.get("/account/password/").status_code == 302
