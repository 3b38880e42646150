"""django-axes under a name the security administrator reads in the admin.

Kept out of accounts/apps.py: a second AppConfig there would hide AccountsConfig.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class LoginThrottleConfig(AxesAppConfig):
    """The login throttle's records (django-axes), shown as 登录防护."""

    verbose_name = _("Login throttle")


# django-axes names its models and admin columns in English and ships no Chinese: these
# are its texts, listed so that `make messages` keeps their Chinese in our catalogue.
AXES_TEXTS = [
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("Attempt Time"),
    gettext_noop("Failed Logins"),
    gettext_noop("Form Data"),
    gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"),
    gettext_noop("IP Address"),
    gettext_noop("Logout Time"),
    gettext_noop("Meta Data"),
    gettext_noop("Path"),
    gettext_noop("POST Data"),
    gettext_noop("User Agent"),
]
