"""Versioned figures: a figure is revised by adding a row, never by overwriting one.

A monthly figure (an indicator's published observation, a key enterprise's output) is
kept as rows: the first is version 1; a revision is a new row with the next version,
``supersedes`` pointing at the row it replaces, which stays with ``is_current`` off.
One row per figure's key (e.g. enterprise and month) is current, a partial unique
constraint (``one_current``). Reads take ``Model.objects.current()``.

Every door (a page form, the API, an import) goes through ``revise_figure``: it locks,
checks that the submission names the version in force (``StaleVersion``, with one set
of messages naming who revised it and when), does nothing when the figures are the same,
marks the old row not current and inserts the next version. The caller validates before
and records the change log after, in the same transaction (see 0020).

This module imports no app of Vanguard (0017): who a user is, is named by the
``name_user`` the caller passes.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanguard.core.actors import user_of
from vanguard.core.preconditions import STALE


class FigureSource(models.TextChoices):
    """Through which door a figure came."""

    FORM = "form", gettext_lazy("Page form")
    API = "api", gettext_lazy("API")
    IMPORT = "import", gettext_lazy("Excel import")
    DEMO = "demo", gettext_lazy("Demo data")


class StaleVersion(ValidationError):
    """A change made on a version that someone else has replaced meanwhile (409 in the API)."""

    def __init__(self, message, code=STALE, params=None):
        super().__init__(message, code=code, params=params)


class VersionedFigureQuerySet(models.QuerySet):
    def current(self):
        """Only the figures in force (the newest version of each figure)."""
        return self.filter(is_current=True)


class VersionedFigure(models.Model):
    """The columns every versioned figure has; a concrete model adds its key and figures.

    A concrete model names ``figure_key`` (the fields one figure is known by, e.g.
    ``("enterprise", "month")``) and ``figure_values`` (the figures compared to decide
    whether a submission changes anything), and adds ``one_current(...)`` to its
    constraints.
    """

    figure_key: tuple = ()
    figure_values: tuple = ()

    version = models.PositiveIntegerField(gettext_lazy("version"), default=1)
    is_current = models.BooleanField(gettext_lazy("current"), default=True)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=gettext_lazy("supersedes"),
    )
    source = models.CharField(gettext_lazy("source"), max_length=16, choices=FigureSource)
    reason = models.CharField(gettext_lazy("reason"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("recorded by"),
    )
    recorded_at = models.DateTimeField(gettext_lazy("recorded at"), default=timezone.now)

    objects = VersionedFigureQuerySet.as_manager()

    class Meta:
        abstract = True


def one_current(fields, name):
    """The constraint that at most one row of a figure's ``fields`` is current."""
    return models.UniqueConstraint(fields=list(fields), condition=Q(is_current=True), name=name)


@dataclass
class Revision:
    """What a submission did: the figure now in force, and the row it replaced."""

    figure: models.Model
    created: bool
    revised: models.Model | None = None


def _username(user):
    return user.get_username() if user is not None else _("the system")


def check_version(current, revises, where, *, name_user=_username):
    """Refuse a submission that does not name the version in force (``StaleVersion``)."""
    if current is None:
        if revises:
            raise StaleVersion(_("There is no figure of {where} to revise.").format(where=where))
        return
    if revises is None:
        raise StaleVersion(
            _(
                "{where} is already recorded (version {version}); a revision must name the"
                " version it revises."
            ).format(where=where, version=current.version)
        )
    if int(revises) != current.version:
        when = timezone.localtime(current.recorded_at).strftime("%Y-%m-%d %H:%M")
        raise StaleVersion(
            _(
                "{where} was revised to version {version} by {who} at {when} after version"
                " {revises} you revised; reload it and enter your change again."
            ).format(
                where=where,
                version=current.version,
                who=name_user(current.recorded_by),
                when=when,
                revises=revises,
            )
        )


def revise_figure(
    model,
    key,
    values,
    *,
    lock,
    revises,
    where,
    actor,
    source,
    reason="",
    name_user=_username,
    before_write=None,
):
    """Record a figure, or revise it naming the version revised; returns a ``Revision``.

    ``key``: the figure's key fields ({"enterprise": e, "month": m}); ``values``: its
    figures. ``lock``: a queryset of the row that serialises submissions of this figure
    (the indicator, the enterprise). ``before_write()`` runs once the version is known to
    be in force and the figures to differ (a check against neighbouring rows). Runs in
    the caller's transaction, who records the change log: ``revision.revised`` went from
    current to not current, ``revision.figure`` was created.
    """
    with transaction.atomic():
        # Submissions of one figure queue here, so the version read is the one revised.
        lock.select_for_update().first()
        current = model.objects.current().filter(**key).select_related("recorded_by").first()
        check_version(current, revises, where, name_user=name_user)
        if current is not None and all(
            getattr(current, name) == value for name, value in values.items()
        ):
            return Revision(current, created=False)
        if before_write is not None:
            before_write()
        if current is not None:
            current.is_current = False
            current.save(update_fields=["is_current"])
        figure = model(
            **key,
            **values,
            version=current.version + 1 if current else 1,
            is_current=True,
            supersedes=current,
            source=source,
            reason=(reason or "").strip()[:500],
            recorded_by=user_of(actor),
            recorded_at=timezone.now(),
        )
        try:
            with transaction.atomic():
                figure.save(force_insert=True)
        except IntegrityError:
            # Someone else recorded the first figure between our read and our write.
            raise StaleVersion(
                _(
                    "{where} was recorded by someone else a moment ago; reload and check it"
                    " before entering a revision."
                ).format(where=where)
            ) from None
    return Revision(figure, created=True, revised=current)
