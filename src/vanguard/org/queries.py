"""Reads of the organisation, scoped by org.access."""

from django.utils.translation import gettext as _

from vanguard.org.access import restrict
from vanguard.org.models import Person


def people_rows(user):
    """Header and rows of the people directory the user may see (for exports)."""
    headers = [_("Unit"), _("Name"), _("Post"), _("Phone"), _("Username")]
    rows = (
        restrict(Person.objects.all(), user)
        .order_by("unit__code", "name")
        .values_list("unit__name", "name", "post", "phone", "user__username")
    )
    return headers, rows.iterator(chunk_size=2000)
