"""The overview's rows of targets, drawn in Python.

A district's overview shows every target of the plan with its standing, and each row's
tags, filters and translations took most of the page's time. The HTML is the same as the
template drew (board/overview.html keeps the table around the rows).
"""

from html import escape

from django.template.defaultfilters import date, floatformat
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _

from vanguard.supervision.templatetags.light_badges import light_badge
from vanguard.targets.choices import TargetKind

SPARK = (
    '<svg class="vg-spark" viewBox="0 0 100 24" width="100" height="24" role="img" '
    'aria-label="{label}"><polyline fill="none" stroke="currentColor" stroke-width="1.5" '
    'points="{points}"/></svg>'
)


def target_rows(campaign, targets, whole_district):
    """The ``<tr>`` of each target, in order; ``whole_district`` adds the standing's cells."""
    words = {
        key: escape(text)
        for key, text in (
            ("period", _("Period")),
            ("value", _("Value")),
            ("checkpoint", _("Checkpoint today")),
            ("actual", _("Actual to date")),
            ("gap", _("Gap")),
            ("trend", _("Trend")),
            ("above", _("above")),
            ("not_below", _("not below guidance target")),
            ("no_figure", _("no figure yet")),
            ("on_pace", _("on pace")),
        )
    }
    return [_row(campaign, target, whole_district, words) for target in targets]


def _row(campaign, target, whole_district, words):
    standing = getattr(target, "standing", None)
    light = light_badge(standing.light if standing else "") + " " if whole_district else ""
    description = (
        '<div class="small text-muted d-none d-md-block">{}</div>'.format(
            escape(target.description)
        )
        if target.description
        else ""
    )
    if target.kind == TargetKind.RELATIVE:
        if target.comparators:
            value = "{} {}".format(words["above"], escape(target.comparator_display))
        else:
            value = words["not_below"]
    else:
        value = escape(target.value_display)
    cells = [
        '<td class="vg-card-title">{light}<a class="link-dark" href="{url}">{name}</a>'
        "{description}</td>".format(
            light=light,
            url=escape(reverse("board:target", args=[campaign.code, target.code])),
            name=escape(target.name),
            description=description,
        ),
        '<td class="text-nowrap" data-label="{}">{}</td>'.format(
            words["period"], escape(target.period_display)
        ),
        '<td class="text-end text-nowrap fw-semibold" data-label="{}">{}</td>'.format(
            words["value"], value
        ),
        '<td class="text-end text-nowrap" data-label="{}">{}</td>'.format(
            words["checkpoint"], escape(target.expected_display or "—")
        ),
    ]
    if whole_district:
        cells += _standing_cells(target, standing, words)
    cells.append(
        '<td class="d-none d-lg-table-cell">{}</td>'.format(
            escape(target.task_force.name) if target.task_force else ""
        )
    )
    return mark_safe('<tr data-target="{}">{}</tr>'.format(escape(target.code), "".join(cells)))


def _standing_cells(target, standing, words):
    if standing is not None and standing.has_figure:
        shown = escape(standing.actual_display)
        if standing.url:
            shown = '<a href="{}" title="{}">{}</a>'.format(
                escape(standing.url), escape(standing.source), shown
            )
        if standing.as_of:
            at = date(template_localtime(standing.as_of), "m-d H:i")
            shown += '<div class="small text-muted">{}</div>'.format(
                escape(_("as of %(at)s") % {"at": at})
            )
    else:
        shown = '<span class="text-muted">{}</span>'.format(words["no_figure"])
    gap = standing.gap if standing is not None else None
    if gap is None:
        gap_shown = "—"
    elif gap:
        unit = "" if target.kind == TargetKind.RELATIVE else target.unit_of_measure
        gap_shown = '<span class="text-danger">{}{}</span>'.format(
            escape(str(floatformat(gap, "-2"))), escape(unit)
        )
    else:
        gap_shown = words["on_pace"]
    points = getattr(target, "trend_points", "")
    trend = (
        SPARK.format(label=words["trend"], points=escape(points))
        if points
        else '<span class="text-muted">—</span>'
    )
    return [
        '<td class="text-end text-nowrap" data-label="{}" data-cell="actual">{}</td>'.format(
            words["actual"], shown
        ),
        '<td class="text-end text-nowrap" data-label="{}" data-cell="gap">{}</td>'.format(
            words["gap"], gap_shown
        ),
        '<td data-label="{}">{}</td>'.format(words["trend"], trend),
    ]
