"""Signing in with a password, and finding the signed-in user on every request.

``AccountBackend`` is Django's ``ModelBackend`` (the same password check, the same
refusal of an inactive account), reading the session's user with SQL written once a
process (``core.compiled``): every page request reads it, and the ORM took more CPU to
write the query than the database took to answer it.
"""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import DEFAULT_DB_ALIAS

from vanguard.core.compiled import Compiled


@functools.cache
def user_fields():
    """The user model's concrete fields, in the order ``user_from_row`` takes them."""
    return tuple(field.attname for field in get_user_model()._meta.concrete_fields)


def _user_row(user_id):
    return get_user_model()._default_manager.filter(pk=user_id).values_list(*user_fields())


_USER = Compiled(_user_row, -918273645)


def user_from_row(row):
    """A user built from a row of its concrete fields, in ``user_fields``' order."""
    return get_user_model().from_db(DEFAULT_DB_ALIAS, user_fields(), row)


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        rows = _USER.rows(user_id)
        if not rows:
            return None
        user = user_from_row(rows[0])
        return user if self.user_can_authenticate(user) else None
