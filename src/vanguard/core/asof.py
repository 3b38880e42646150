"""The 数据截至 line every page, export and document of figures carries."""

from django.utils import timezone
from django.utils.translation import gettext as _


def as_of_line(moment):
    """ "数据截至 2026-11-26 16:05", or that there are no figures yet."""
    if moment is None:
        return _("Data as of: no figures yet")
    return _("Data as of {at}").format(at=timezone.localtime(moment).strftime("%Y-%m-%d %H:%M"))
