"""django-axes under a name the security administrator reads in the admin.

Kept out of accounts/apps.py: a second AppConfig there would hide AccountsConfig.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class LoginThrottleConfig(AxesAppConfig):
    """The login throttle's records (django-axes), shown as 登录防护."""

    verbose_name = _("Login throttle")
