from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "vanguard.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from vanguard.accounts import checks  # noqa: F401 (registers the deployment checks)
        from vanguard.accounts.middleware import remember_password_state

        user_logged_in.connect(remember_password_state, dispatch_uid="vanguard.password_state")
