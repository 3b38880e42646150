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

__all__ = [
    "Bulletin",
    "BulletinLine",
    "BulletinState",
    "LightEvent",
    "LightPolicy",
    "LightRecompute",
    "LightState",
    "ScoringRule",
]
