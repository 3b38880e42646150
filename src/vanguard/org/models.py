"""The organisation of a campaign: who runs it, who answers for what."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vanguard.org.choices import Battle, Cadence, CampaignStatus, Role, UnitKind


class Campaign(models.Model):
    """A year-long campaign (攻坚行动) with its targets."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(
        _("status"), max_length=16, choices=CampaignStatus, default=CampaignStatus.ACTIVE
    )

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="campaign_dates_ordered"
            )
        ]

    def __str__(self):
        return self.name


class Headquarters(models.Model):
    """The campaign's headquarters (总指挥部), led by the top leaders."""

    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, related_name="headquarters", verbose_name=_("campaign")
    )
    name = models.CharField(_("name"), max_length=200)
    commander = models.CharField(_("commander"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("headquarters")
        verbose_name_plural = _("headquarters")

    def __str__(self):
        return self.name


class Office(models.Model):
    """The headquarters' office (办公室) that runs the process."""

    headquarters = models.OneToOneField(
        Headquarters,
        on_delete=models.CASCADE,
        related_name="office",
        verbose_name=_("headquarters"),
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self):
        return self.name


class TaskForce(models.Model):
    """A task force (专班) that owns one battle and schedules it on its cadence."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="task_forces", verbose_name=_("campaign")
    )
    battle = models.CharField(_("battle"), max_length=16, choices=Battle)
    name = models.CharField(_("name"), max_length=200)
    cadence = models.CharField(_("cadence"), max_length=16, choices=Cadence)
    duties = models.TextField(_("duties"), blank=True)

    class Meta:
        verbose_name = _("task force")
        verbose_name_plural = _("task forces")
        ordering = ["campaign", "battle"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "battle"], name="one_task_force_per_battle")
        ]

    def __str__(self):
        return self.name


class ReportDeadline(models.Model):
    """When a cadence's report falls due: the n-th working day after its period ends."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("campaign")
    )
    cadence = models.CharField(_("cadence"), max_length=16, choices=Cadence)
    working_days_after = models.PositiveSmallIntegerField(
        _("working days after period end"), default=1
    )

    class Meta:
        verbose_name = _("report deadline")
        verbose_name_plural = _("report deadlines")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "cadence"], name="one_deadline_per_cadence"
            ),
            models.CheckConstraint(
                condition=Q(working_days_after__gte=1), name="deadline_after_period_end"
            ),
        ]

    def __str__(self):
        return f"{self.get_cadence_display()} {self.working_days_after}"


class Unit(models.Model):
    """A responsible unit (责任单位): a department, town/street office or enterprise."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    # What sheets also write for the unit: "区发改局" for 青岛西海岸新区发展和改革局.
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    aliases = models.TextField(
        _("other names"),
        blank=True,
        help_text=_("Other names offices write for this unit in sheets, one per line."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind, default=UnitKind.DEPARTMENT)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["kind", "code"]

    def __str__(self):
        return self.name

    def other_names(self):
        """The short name and the aliases: every name a sheet may use besides the full one."""
        names = [self.short_name, *self.aliases.splitlines()]
        return [n.strip() for n in names if n and n.strip()]


class Person(models.Model):
    """A person with an account, working in a unit at a post."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="person",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=100)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("unit"),
    )
    post = models.CharField(_("post"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["unit", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # A person's account is theirs for good: re-pointing it would hand their roles
        # (a leader's, an inspector's) to whoever holds the other account.
        if self.pk is not None:
            linked = Person.objects.filter(pk=self.pk).values_list("user_id", flat=True).first()
            if linked is not None and linked != self.user_id:
                raise ValueError("A person's account cannot be changed.")
        super().save(*args, **kwargs)


class RoleAssignment(models.Model):
    """A person holding a role; a task-force member names the task force, a reporter the unit."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="roles", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role)
    task_force = models.ForeignKey(
        TaskForce,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("task force"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reporters",
        verbose_name=_("unit"),
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role=Role.TASK_FORCE_MEMBER, task_force__isnull=False, unit__isnull=True)
                    | Q(role=Role.UNIT_REPORTER, unit__isnull=False, task_force__isnull=True)
                    | (
                        ~Q(role__in=[Role.TASK_FORCE_MEMBER, Role.UNIT_REPORTER])
                        & Q(task_force__isnull=True, unit__isnull=True)
                    )
                ),
                name="role_scope_matches_role",
            ),
        ]

    def __str__(self):
        scope = self.task_force or self.unit
        label = self.get_role_display()
        return f"{label} · {scope}" if scope else str(label)


def name_of(user):
    """How a page names whoever did something: the person's name, else the account's."""
    if user is None:
        return str(_("the system"))
    person = Person.objects.filter(user=user).only("name").first()
    return person.name if person is not None else user.get_username()
