"""The notices' tests: a mail server and a robot receiver on this machine, and the people."""

import pytest

from tests.notices.servers import start_receiver, start_smtp, stop
from tests.projects.conftest import plan, projects_member  # noqa: F401
from tests.supervision.conftest import make_project  # noqa: F401


@pytest.fixture
def smtp(settings):
    server = start_smtp()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.server_address[1]
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "xianfeng@example.cn"
    yield server
    stop(server)


@pytest.fixture
def receiver(settings):
    server = start_receiver()
    settings.NOTICE_WEBHOOK_ALLOW_HOSTS = ["127.0.0.1"]
    yield server
    stop(server)


@pytest.fixture(autouse=True)
def _no_quiet_hours(settings):
    # Tests run at any hour: the quiet hours have their own tests.
    settings.NOTICE_QUIET_HOURS = ""


def hook_url(receiver, path="/cgi-bin/webhook/send?key=fgj-robot"):
    return "http://127.0.0.1:{}{}".format(receiver.server_address[1], path)
