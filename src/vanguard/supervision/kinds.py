"""The kinds of subject the light engine judges: each domain registers its own.

A domain app calls ``register(kind, LightRules(...))`` in its ``AppConfig.ready()`` for
every kind of subject it lights (a key node, a project, an indicator, ...). The rules
say how to judge every subject of a campaign at once, what each reason code means,
which stored lights they read, and how the API names a subject. The engine imports no
domain: it judges, stores and reads whatever kinds are registered, in the order they
were registered.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from vanguard.supervision.choices import Light

# The width of ``LightState.kind`` and ``LightState.reason``.
KIND_LENGTH = 16
REASON_LENGTH = 32


@dataclass(frozen=True)
class LightRules:
    """How the engine lights one kind of subject.

    ``judge(campaign, judging)`` returns one row per subject of the campaign, set-based:
    a queryset from ``lights.subject_rows``, SQL as a ``lights.JudgedSql``, or subjects
    judged in Python through ``lights.listed_rows``. ``judging`` is the run's
    ``lights.Judging`` (the day, the campaign's policy, the calendar).
    """

    label: object
    judge: Callable
    # Reason code -> ``reasons.Reason``: the light each code gives and how it reads.
    reasons: Mapping
    # Kinds whose stored lights ``judge`` reads (a roll-up): registered, so judged, before.
    reads: tuple = ()
    # () -> an expression naming the subject of ``OuterRef("object_id")`` (its code).
    subject_code: Callable | None = None
    # () -> an expression naming it for people, where its code alone does not (a key
    # node: its project's code and name and the node's name); the code when None.
    subject_name: Callable | None = None
    # True: a reader sees the lights of their own units only; False: campaign-wide.
    by_unit: bool = True
    # facts -> the facts a reason's text shows (a stage's code turned into its label).
    facts: Callable | None = None
    # False: the bulletin does not count these subjects among a unit's lights. For a kind
    # whose subjects come and go by the thousand and whose domain gives the bulletin facts
    # of its own (city cases: 超期 is their red), a subject that is gone would otherwise
    # count with its last light in every month after.
    in_bulletin: bool = True
    # False: the escalation ladder proposes no supervision order for its red subjects (a
    # kind pressed along a flow of its own, by the thousand: an overdue city case is
    # pressed within its case, not by an order each).
    escalate: bool = True
    # The group of kinds one battle's writes change (a battle's name; list items are a
    # group of their own): a write asks for its group's recompute, not the campaign's.
    # "": judged only when the whole campaign is.
    group: str = ""


class UnknownKind(LookupError):
    """A kind of subject no domain has registered light rules for."""

    def __init__(self, kind):
        self.kind = kind
        super().__init__(
            "No light rules are registered for the kind {!r} (registered: {}).".format(
                kind, ", ".join(KINDS) or "none"
            )
        )


# kind -> LightRules, in the order they are judged.
KINDS: dict[str, LightRules] = {}


def register(kind, rules):
    """Declare how subjects of ``kind`` are lit (from the domain's ``AppConfig.ready()``).

    Refused loudly rather than judged wrongly later: a kind registered twice, a name
    that does not fit the stored column, a reason whose light is not a light, or a
    roll-up that reads a kind not registered before it.
    """
    kind = str(kind)
    if not kind or len(kind) > KIND_LENGTH:
        raise ValueError("A light kind is 1 to {} characters long: {!r}.".format(KIND_LENGTH, kind))
    if kind in KINDS:
        raise ValueError("Light rules for the kind {!r} are already registered.".format(kind))
    if not isinstance(rules, LightRules):
        raise TypeError("The rules of {!r} must be a LightRules.".format(kind))
    if not rules.reasons:
        raise ValueError("The light rules of {!r} name no reasons.".format(kind))
    for code, reason in rules.reasons.items():
        if len(code) > REASON_LENGTH or reason.light not in Light.values:
            raise ValueError(
                "The reason {!r} of {!r} needs a code of at most {} characters "
                "and a light among {}.".format(code, kind, REASON_LENGTH, ", ".join(Light.values))
            )
    missing = [read for read in rules.reads if str(read) not in KINDS]
    strangers = [
        str(read)
        for read in rules.reads
        if str(read) in KINDS and KINDS[str(read)].group != rules.group
    ]
    if strangers:
        # A group's recompute judges its own kinds only: a roll-up across groups would
        # go stale when the other group changes.
        raise ValueError(
            "The light rules of {!r} (group {!r}) read {} of another group.".format(
                kind, rules.group, ", ".join(map(repr, strangers))
            )
        )
    if missing:
        raise ValueError(
            "The light rules of {!r} read {} which must be registered first.".format(
                kind, ", ".join(map(repr, missing))
            )
        )
    KINDS[kind] = rules


def rules_for(kind):
    """The registered ``LightRules`` of ``kind``; ``UnknownKind`` when there are none."""
    try:
        return KINDS[str(kind)]
    except KeyError:
        raise UnknownKind(kind) from None


def name_expression(kind):
    """The expression naming a subject of ``kind`` for people, or None when it has none."""
    rules = rules_for(kind)
    made = rules.subject_name or rules.subject_code
    return made() if made is not None else None


def kinds():
    """Every registered kind, in the order a recompute judges them."""
    return list(KINDS)


def groups():
    """The groups of kinds, in the order their first kind was registered."""
    return list(dict.fromkeys(rules.group for rules in KINDS.values() if rules.group))


def kinds_in(group):
    """The kinds of ``group``, in the order a recompute judges them; ValueError when none."""
    found = [kind for kind, rules in KINDS.items() if rules.group and rules.group == group]
    if not found:
        raise ValueError(
            "No light kinds are registered in the group {!r} (groups: {}).".format(
                group, ", ".join(groups()) or "none"
            )
        )
    return found


def kind_choices():
    """``[(kind, label)]`` of the registered kinds: the choices of the ``kind`` columns."""
    return [(kind, rules.label) for kind, rules in KINDS.items()]


def escalated_kinds():
    """The kinds whose red subjects the escalation ladder proposes orders for."""
    return [kind for kind, rules in KINDS.items() if rules.escalate]
