"""Enumerations of the change log."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class ChangeAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")


# Reasons the system itself records, stored as these English words and shown in the
# reader's language (the history translates a stored reason when it knows it).
IMPORT_REASON = gettext_noop("Excel import")
DEMO_REASON = gettext_noop("Demo data")
