from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "vanguard.demo"
    label = "demo"

    def ready(self):
        from vanguard.accounts.checks import register_shared_password
        from vanguard.demo.org import DEMO_PASSWORD, FIRST_ACCOUNTS

        # `vanguard check --deploy` refuses a deployment these still open.
        register_shared_password(DEMO_PASSWORD, FIRST_ACCOUNTS)
