"""What the talks hand out to the work queue (supervision.queue): the cases referred to
the discipline commission, for the inspector who records its decision. Two queries."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from vanguard.org import access
from vanguard.supervision.models import Referral
from vanguard.supervision.models.talks import ReferralState
from vanguard.supervision.queue import INSPECTOR, QueueItem, Section, register_queue


def referred_cases(campaign, user, today, limit):
    """The cases waiting for the commission's decision, oldest referral first."""
    waiting = access.referrals_for(
        Referral.objects.filter(campaign=campaign, state=ReferralState.REFERRED), user
    )
    items = [
        QueueItem(
            label=referral.subject_label,
            url=reverse("talks:referral_detail", args=[referral.pk]),
            reason=referral.reason,
            unit=referral.unit.name,
        )
        for referral in waiting.select_related("unit").order_by("referred_at", "pk")[:limit]
    ]
    return Section(waiting.count(), items)


def register():
    register_queue(
        "referred_cases",
        gettext_lazy("Referred cases"),
        referred_cases,
        role=INSPECTOR,
        applies=access.may_decide_referral,
        more_url=lambda campaign: "{}?state={}".format(
            reverse("talks:referral_list"), ReferralState.REFERRED
        ),
    )
