"""The ``vanguard`` console command: Django's management command line."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanguard.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 (reads the settings: a missing key shows here)
    except ImproperlyConfigured as exc:
        # A setup problem is the operator's to fix: say what, without a traceback.
        sys.stderr.write(f"vanguard: {exc}\n")
        sys.exit(2)
    execute_from_command_line(["vanguard", *sys.argv[1:]])


if __name__ == "__main__":
    main()
