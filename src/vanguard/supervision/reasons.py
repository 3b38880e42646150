"""Why a subject has its light: one reason code per rule, with the light it gives.

A light's reason is stored as a code and the facts behind it (``params``); the text is
made here at display time, so it shows in the reader's language. Each domain registers
its reason codes and texts with its light rules (``kinds.register``).
"""

from dataclasses import dataclass

from vanguard.supervision.kinds import KINDS


@dataclass(frozen=True)
class Reason:
    """A rule's outcome: the light it gives and how it reads."""

    light: str
    text: str


class _Facts(dict):
    """Format values that fall back to a dash when a fact is missing."""

    def __missing__(self, key):
        return "—"


def reason_text(kind, code, params):
    """The reader's text for a reason code and its facts (the code itself when unknown)."""
    rules = KINDS.get(str(kind))
    reason = rules.reasons.get(code) if rules is not None else None
    if reason is None:
        return code
    facts = {k: v for k, v in (params or {}).items() if v is not None}
    if rules.facts is not None:
        facts = rules.facts(facts)
    return str(reason.text).format_map(_Facts(facts))
