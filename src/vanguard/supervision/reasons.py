"""Why a subject has its light: one reason code per rule, with the light it gives.

A light's reason is stored as a code and the facts behind it (``params``); the text is
made here at display time, so it shows in the reader's language.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from vanguard.supervision.choices import Light, SubjectKind


@dataclass(frozen=True)
class Reason:
    """A rule's outcome: the light it gives and how it reads."""

    light: str
    text: str


REASONS = {
    SubjectKind.MILESTONE: {
        "done": Reason(Light.GREEN, _("Done on {actual}.")),
        "not_needed": Reason(Light.GREEN, _("Not needed for this project.")),
        "no_plan": Reason(Light.GREY, _("No planned date.")),
        "overdue": Reason(Light.RED, _("Overdue: planned for {planned} and not done.")),
        "due_soon": Reason(
            Light.YELLOW,
            _("Due on {planned}, within {warning_days} working days, and not done."),
        ),
        "on_schedule": Reason(Light.GREEN, _("Planned for {planned}.")),
    },
    SubjectKind.PROJECT: {
        "red_nodes": Reason(Light.RED, _("{red_nodes} key node(s) overdue.")),
        "far_behind_schedule": Reason(
            Light.RED, _("{points_behind} percentage points behind the schedule to date.")
        ),
        "stage_far_late": Reason(
            Light.RED, _("{stage} was planned for {stage_due} and is not reached.")
        ),
        "behind_schedule": Reason(
            Light.YELLOW, _("{points_behind} percentage points behind the schedule to date.")
        ),
        "stage_late": Reason(
            Light.YELLOW, _("{stage} was planned for {stage_due} and is not reached.")
        ),
        "no_plan": Reason(Light.GREY, _("No planned dates to judge against.")),
        "on_schedule": Reason(Light.GREEN, _("On schedule.")),
    },
    SubjectKind.UNIT: {
        "red_share": Reason(Light.RED, _("{red} of {judged} projects are red.")),
        "has_red": Reason(Light.YELLOW, _("{red} of {judged} projects are red.")),
        "lagging_share": Reason(
            Light.YELLOW, _("{lagging} of {judged} projects are red or yellow.")
        ),
        "no_data": Reason(Light.GREY, _("None of its projects can be judged yet.")),
        "on_schedule": Reason(Light.GREEN, _("{green} of {judged} projects are green.")),
    },
    # Growth in percentage points; each rule that fires is also kept as a warning in
    # ``params["warnings"]`` and read with the same texts (``indicator_warnings``).
    SubjectKind.INDICATOR: {
        "below_target_far": Reason(
            Light.RED,
            _("{period}: growth {growth}%, {gap_abs} points below the target of {target}%."),
        ),
        "below_comparator_far": Reason(
            Light.RED,
            _(
                "{period}: growth {growth}%, {gap_abs} points below {comparator_name} ({reference}%)."
            ),
        ),
        "below_target": Reason(
            Light.YELLOW,
            _("{period}: growth {growth}%, {gap_abs} points below the target of {target}%."),
        ),
        "below_comparator": Reason(
            Light.YELLOW,
            _(
                "{period}: growth {growth}%, {gap_abs} points below {comparator_name} ({reference}%)."
            ),
        ),
        "level_with_comparator": Reason(
            Light.YELLOW,
            _(
                "{period}: growth {growth}%, level with {comparator_name} ({reference}%): "
                "not above it."
            ),
        ),
        "falling": Reason(
            Light.YELLOW,
            _(
                "{period}: growth {growth}%, down {drop} points from {previous_growth}% in {previous_period}."
            ),
        ),
        "data_missing": Reason(Light.YELLOW, _("No figure for {missing_period}, due on {due}.")),
        "on_track": Reason(
            Light.GREEN, _("{period}: growth {growth}%, at or above its targets and comparators.")
        ),
        "no_reference": Reason(
            Light.GREY, _("{period}: growth {growth}%; no target or comparator to judge against.")
        ),
        "no_data": Reason(Light.GREY, _("No figure yet.")),
    },
}


class _Facts(dict):
    """Format values that fall back to a dash when a fact is missing."""

    def __missing__(self, key):
        return "—"


def reason_text(kind, code, params):
    """The reader's text for a reason code and its facts."""
    reason = REASONS.get(kind, {}).get(code)
    if reason is None:
        return code
    facts = _Facts({k: v for k, v in (params or {}).items() if v is not None})
    if "stage" in facts:
        from vanguard.projects.choices import Stage

        if facts["stage"] in Stage.values:
            facts["stage"] = Stage(facts["stage"]).label
    return str(reason.text).format_map(facts)
