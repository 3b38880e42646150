"""Status lights (亮灯): per-campaign thresholds, the current light of every subject, and
every change of light as an event row.

Lights are derived data: ``supervision.lights.recompute`` writes them set-based from the
certified facts, so nothing else writes ``LightState`` or ``LightEvent``.
"""

import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from vanguard.supervision.choices import Light
from vanguard.supervision.kinds import kind_choices
from vanguard.supervision.reasons import reason_text

SHARE_VALIDATORS = [MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))]


class LightPolicy(models.Model):
    """A campaign's thresholds for its status lights; a campaign without one uses the defaults.

    Unit roll-up (a unit's light from the lights of the projects it leads, grey ones
    not counted): red when at least ``unit_red_share`` of them are red; yellow when
    any of them is red or at least ``unit_yellow_share`` of them are red or yellow;
    green otherwise; grey when none of them can be judged.
    """

    campaign = models.OneToOneField(
        "org.Campaign",
        on_delete=models.CASCADE,
        related_name="light_policy",
        verbose_name=_("campaign"),
    )
    node_warning_working_days = models.PositiveSmallIntegerField(
        _("key node warning (working days)"),
        default=3,
        help_text=_("A key node not done turns yellow this many working days before it is due."),
    )
    project_yellow_points = models.PositiveSmallIntegerField(
        _("yellow when behind schedule by (points)"), default=10
    )
    project_red_points = models.PositiveSmallIntegerField(
        _("red when behind schedule by more than (points)"), default=30
    )
    stage_yellow_days = models.PositiveSmallIntegerField(
        _("yellow when a stage is late by (days)"), default=30
    )
    stage_red_days = models.PositiveSmallIntegerField(
        _("red when a stage is late by (days)"), default=90
    )
    unit_yellow_share = models.DecimalField(
        _("unit yellow share of red or yellow projects"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.30"),
        validators=SHARE_VALIDATORS,
    )
    unit_red_share = models.DecimalField(
        _("unit red share of red projects"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.30"),
        validators=SHARE_VALIDATORS,
    )
    # Indicators (跟踪预警): growth in percentage points.
    indicator_gap_red_points = models.DecimalField(
        _("indicator red when below a target or comparator by (points)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("1.0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Below by less than this, the indicator is yellow."),
    )
    indicator_drop_points = models.DecimalField(
        _("indicator yellow when its growth falls from the previous month by more than (points)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("2.0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    indicator_data_working_days = models.PositiveSmallIntegerField(
        _("indicator figures due (working days after the month)"),
        default=10,
        help_text=_("A month's figures missing after this many working days give a warning."),
    )

    class Meta:
        verbose_name = _("light policy")
        verbose_name_plural = _("light policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(project_red_points__gte=F("project_yellow_points")),
                name="light_policy_points_ordered",
            ),
            models.CheckConstraint(
                condition=Q(stage_red_days__gte=F("stage_yellow_days")),
                name="light_policy_stage_days_ordered",
            ),
            models.CheckConstraint(
                condition=Q(unit_yellow_share__gt=0, unit_yellow_share__lte=1)
                & Q(unit_red_share__gt=0, unit_red_share__lte=1),
                name="light_policy_shares_in_range",
            ),
        ]

    def __str__(self):
        return str(self.campaign)


class LightState(models.Model):
    """The current light of one subject (a key node, a project, a unit, ...) in a campaign.

    ``unit`` is the unit the subject belongs to (a project's lead unit, the unit
    itself), kept so that the access module and the roll-up scope lights by unit.
    Units take part in several campaigns, so a subject is (kind, object_id, campaign).
    """

    # No index of its own: the indexes below start with the campaign.
    campaign = models.ForeignKey(
        "org.Campaign",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("campaign"),
        db_index=False,
    )
    # The kinds the domains register with the engine (``kinds.register``).
    kind = models.CharField(_("subject kind"), max_length=16, choices=kind_choices)
    object_id = models.BigIntegerField(_("subject id"))
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    light = models.CharField(_("light"), max_length=8, choices=Light)
    reason = models.CharField(_("reason"), max_length=32)
    params = models.JSONField(_("facts behind the reason"), default=dict)
    since = models.DateTimeField(_("light recorded at"))
    since_date = models.DateField(_("light since"))

    class Meta:
        verbose_name = _("status light")
        verbose_name_plural = _("status lights")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "campaign"], name="one_light_per_subject"
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "kind", "light"]),
            models.Index(fields=["campaign", "kind", "unit"]),
        ]

    def __str__(self):
        return "{} {} {}".format(self.kind, self.object_id, self.light)

    @property
    def reason_text(self):
        """Why the subject has its light, in the user's language."""
        return reason_text(self.kind, self.reason, self.params)


class LightEvent(models.Model):
    """A change of one subject's light: the history (red in May, yellow in June) is these rows."""

    # No index of its own: the indexes below start with the campaign.
    campaign = models.ForeignKey(
        "org.Campaign",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("campaign"),
        db_index=False,
    )
    # The kinds the domains register with the engine (``kinds.register``).
    kind = models.CharField(_("subject kind"), max_length=16, choices=kind_choices)
    object_id = models.BigIntegerField(_("subject id"))
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    # Blank on a subject's first light.
    from_light = models.CharField(_("from"), max_length=8, choices=Light, blank=True)
    to_light = models.CharField(_("to"), max_length=8, choices=Light)
    reason = models.CharField(_("reason"), max_length=32)
    params = models.JSONField(_("facts behind the reason"), default=dict)
    # The date the recompute judged, which a back-dated recompute sets in the past.
    as_of = models.DateField(_("as of"))
    at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("status light change")
        verbose_name_plural = _("status light changes")
        ordering = ["as_of", "at", "pk"]
        indexes = [
            models.Index(fields=["kind", "object_id", "as_of"]),
            models.Index(fields=["campaign", "as_of"]),
            models.Index(fields=["campaign", "unit", "as_of"]),
        ]

    def __str__(self):
        return "{} {} {}→{}".format(self.kind, self.object_id, self.from_light, self.to_light)

    @property
    def reason_text(self):
        """Why the subject took this light, in the user's language."""
        return reason_text(self.kind, self.reason, self.params)


class LightRecompute(models.Model):
    """The last recompute of a campaign's lights: when it read the facts, and the day it judged.

    Pages that show lights state this moment as their as-of (亮灯截至), since a light says
    what the facts were when it was last judged, not what they are now. A write asks for
    the recompute of its battle's kinds alone, so each group of kinds has its own moment
    (``at_for``); a page across battles states the oldest (``oldest``).
    """

    campaign = models.OneToOneField(
        "org.Campaign",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("campaign"),
    )
    # The moment the last recompute of the whole campaign read the facts: anything
    # recorded later is not in its lights.
    at = models.DateTimeField(_("facts read at"))
    as_of = models.DateField(_("judged as of"))
    events = models.PositiveIntegerField(_("lights changed"), default=0)
    # Group of kinds (a battle) -> when its own recompute read the facts, as ISO text, for
    # the groups recomputed since the whole campaign was; emptied by a whole recompute.
    groups = models.JSONField(_("groups read at"), default=dict, blank=True)

    class Meta:
        verbose_name = _("light recompute")
        verbose_name_plural = _("light recomputes")

    def __str__(self):
        return "{} {}".format(self.campaign_id, self.at)

    def at_for(self, group):
        """When the lights of ``group`` last read the facts."""
        since = self.groups.get(str(group))
        return datetime.datetime.fromisoformat(since) if since else self.at

    def oldest(self, groups):
        """When the lights of all of ``groups`` had read the facts: the oldest of their moments."""
        return min((self.at_for(group) for group in groups), default=self.at)

    @property
    def latest(self):
        """The moment of the newest recompute, whole or of a group: lights changed since then."""
        return max([self.at, *(datetime.datetime.fromisoformat(v) for v in self.groups.values())])
