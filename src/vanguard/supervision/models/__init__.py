"""The supervision models, one module per subject: lights; the ladder, proposals, orders
and exemptions; talks and referrals; the monthly bulletin."""

from vanguard.supervision.models.bulletins import (
    Bulletin,
    BulletinLine,
    BulletinState,
    ScoringRule,
)
from vanguard.supervision.models.lights import (
    LightEvent,
    LightPolicy,
    LightRecompute,
    LightState,
)
from vanguard.supervision.models.orders import (
    Exemption,
    LadderRules,
    OrderCounter,
    OrderEvidence,
    OrderStep,
    Proposal,
    SupervisionOrder,
)
from vanguard.supervision.models.talks import Referral, Talk

__all__ = [
    "Bulletin",
    "BulletinLine",
    "BulletinState",
    "Exemption",
    "LadderRules",
    "LightEvent",
    "LightPolicy",
    "LightRecompute",
    "LightState",
    "ScoringRule",
    "OrderCounter",
    "OrderEvidence",
    "OrderStep",
    "Proposal",
    "Referral",
    "SupervisionOrder",
    "Talk",
]
