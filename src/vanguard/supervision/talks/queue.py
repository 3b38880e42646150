"""What the talks hand out to the work queue (supervision.queue): the talks proposed, for
a leader to approve or decline; the cases referred to the discipline commission, for
the inspector who records its decision. Two queries each."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from vanguard.org import access
from vanguard.supervision.models import Referral, Talk
from vanguard.supervision.models.talks import ReferralState, TalkState
from vanguard.supervision.queue import INSPECTOR, LEADER, QueueItem, Section, register_queue


def talks_to_approve(campaign, user, today, limit):
    """The talks proposed and waiting for a leader's approval, oldest first."""
    waiting = access.talks_for(
        Talk.objects.filter(campaign=campaign, state=TalkState.PROPOSED), user
    )
    items = [
        QueueItem(
            label=talk.subject_label,
            url=reverse("talks:talk_detail", args=[talk.pk]),
            reason=talk.reason,
            unit=talk.unit.name,
        )
        for talk in waiting.select_related("unit").order_by("proposed_at", "pk")[:limit]
    ]
    return Section(waiting.count(), items)


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
        "talks_to_approve",
        gettext_lazy("Talks to approve"),
        talks_to_approve,
        role=LEADER,
        applies=access.may_approve_talk,
        more_url=lambda campaign: "{}?state={}".format(
            reverse("talks:talk_list"), TalkState.PROPOSED
        ),
    )
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
