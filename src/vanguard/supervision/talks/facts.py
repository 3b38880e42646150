"""Counts of talks and referrals per unit, for the monthly bulletin's deductions."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vanguard.supervision.models import Referral, Talk

FACTS = {
    "talks": _("talks (约谈) held"),
    "referrals": _("cases referred for accountability"),
}


def talk_facts(campaign, start, end, cutoff=None):
    """``{unit_id: {"talks": n, "referrals": n}}``: talks held and cases referred between
    ``start`` and ``end`` (dates, both included), as recorded by ``cutoff`` (an aware
    datetime; None: now), so a bulletin recomputed later counts the same. Two queries."""
    facts = {}
    held = Talk.objects.filter(
        campaign=campaign, held_on__gte=start, held_on__lte=end, recorded_at__isnull=False
    )
    referred = Referral.objects.filter(
        campaign=campaign, referred_at__date__gte=start, referred_at__date__lte=end
    )
    if cutoff is not None:
        held = held.filter(recorded_at__lte=cutoff)
        referred = referred.filter(referred_at__lte=cutoff)
    for name, rows in (("talks", held), ("referrals", referred)):
        for row in rows.values("unit_id").annotate(n=Count("pk")).order_by("unit_id"):
            facts.setdefault(row["unit_id"], dict.fromkeys(FACTS, 0))[name] = row["n"]
    return facts


def talks_link(campaign, unit_code, start, end):
    """The talks (the unit's among them, newest first)."""
    return reverse("talks:talk_list")
