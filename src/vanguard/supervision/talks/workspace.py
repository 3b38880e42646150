"""What the office's workspace shows of talks and referrals: the talks waiting at each
step (approval, notice, record, follow-up, a referral to decide) and the cases with the
commission, each a count linking to the list it counts. Two queries."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vanguard.org import access
from vanguard.supervision.models import Referral, Talk
from vanguard.supervision.models.talks import ReferralState, TalkState

# (state, what waits for whom), in the order a talk goes.
WAITING = [
    (TalkState.PROPOSED, _("waiting for a leader's approval")),
    (TalkState.APPROVED, _("approved, the notice to issue")),
    (TalkState.NOTIFIED, _("notified, the talk to hold and record")),
    (TalkState.HELD, _("held, to follow up after the pledge deadline")),
    (TalkState.REFERRAL_PROPOSED, _("still red: refer or dismiss")),
]


def talk_rows(user, campaign, today):
    """``[(label, count, url, due)]`` of the talks and cases waiting; empty for a user who
    reads no talks. ``due`` counts, for held talks, those whose pledge deadline passed."""
    rows = []
    if access.may_see_talks(user):
        talks = access.talks_for(Talk.objects.filter(campaign=campaign), user)
        counts = talks.aggregate(
            **{state: Count("pk", filter=Q(state=state)) for state, _label in WAITING},
            follow_up=Count("pk", filter=Q(state=TalkState.HELD, pledge_due__lt=today)),
        )
        base = reverse("talks:talk_list")
        for state, label in WAITING:
            due = counts["follow_up"] if state == TalkState.HELD else None
            rows.append((label, counts[state], "{}?state={}".format(base, state), due))
    if access.may_see_referrals(user):
        referrals = access.referrals_for(Referral.objects.filter(campaign=campaign), user)
        waiting = referrals.filter(state=ReferralState.REFERRED).count()
        rows.append(
            (
                _("with the discipline commission, waiting for its decision"),
                waiting,
                "{}?state={}".format(reverse("talks:referral_list"), ReferralState.REFERRED),
                None,
            )
        )
    return rows
