"""The supervision models, one module per subject: lights; the ladder, proposals, orders
and exemptions; talks and referrals; the monthly bulletin."""

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
    "Exemption",
    "LadderRules",
    "LightEvent",
    "LightPolicy",
    "LightRecompute",
    "LightState",
    "OrderCounter",
    "OrderEvidence",
    "OrderStep",
    "Proposal",
    "Referral",
    "SupervisionOrder",
    "Talk",
]
