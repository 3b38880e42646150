"""Key enterprises as a source of the one pool of problems (blockers.sources).

Problems found on a visit (``do_record_visit``) are about the enterprise, raised on the
visit, owned by the serving unit unless the visit names another; each is a problem of
its own, even when an earlier visit found the same.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanguard.blockers.sources import Source
from vanguard.org.choices import Battle


def describe(enterprise, visit):
    """The key enterprise, and the visit that found the problem."""
    parts = [(enterprise.name, reverse("enterprises:detail", args=[enterprise.credit_code]))]
    if visit is not None:
        parts.append((_("visit of {date}").format(date=visit.visited_on.isoformat()), ""))
    return parts


def reference(enterprise, visit):
    """The API's fields: the enterprise's credit code and the visit."""
    return {"enterprise": enterprise.credit_code, "visit": visit.pk if visit is not None else None}


# Registered by EnterprisesConfig.ready(); its key is Blocker.source_kind and the API's ``source``.
SOURCE = Source(
    key="enterprise",
    model="enterprises.keyenterprise",
    occasion="enterprises.visit",
    battle=Battle.INDICATORS,
    label=gettext_lazy("Key enterprise"),
    unit_field="serving_unit",
    describe=describe,
    reference=reference,
)
