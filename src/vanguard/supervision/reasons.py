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
