"""Counts of talks and referrals per unit, for the monthly bulletin's deductions."""

from django.db.models import Count

from vanguard.supervision.models import Referral, Talk
from vanguard.supervision.models.talks import TalkState


def talk_facts(campaign, start, end):
    """``{unit_id: {"talks": n, "referrals": n}}``: talks held and cases referred between
    ``start`` and ``end`` (dates, both included), two aggregate queries."""
    facts = {}
    held = (
        Talk.objects.filter(campaign=campaign, held_on__gte=start, held_on__lte=end)
        .exclude(state__in=[TalkState.PROPOSED, TalkState.APPROVED, TalkState.NOTIFIED])
        .values("unit_id")
        .annotate(n=Count("pk"))
    )
    for row in held:
        facts.setdefault(row["unit_id"], {"talks": 0, "referrals": 0})["talks"] = row["n"]
    referred = (
        Referral.objects.filter(
            campaign=campaign, referred_at__date__gte=start, referred_at__date__lte=end
        )
        .values("unit_id")
        .annotate(n=Count("pk"))
    )
    for row in referred:
        facts.setdefault(row["unit_id"], {"talks": 0, "referrals": 0})["referrals"] = row["n"]
    return facts
