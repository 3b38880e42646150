"""The ``vanguard`` console command: Django's management command line."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanguard.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["vanguard", *sys.argv[1:]])


if __name__ == "__main__":
    main()
