"""Imports and exports run in the background: who started one, how far it got, what it did."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    """Where a job stands."""

    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    CHECKED = "checked", _("Checked, not applied")
    APPLIED = "applied", _("Applied")
    FAILED = "failed", _("Nothing saved")


class Job(models.Model):
    """One check or apply of an uploaded sheet, or one long export, run by a worker; only its owner sees it.

    ``params`` say what the domain needs to build its importer or export again (the
    campaign, the preview's versions, the list's filters); ``result`` holds what the
    result page shows: counts and problems, a check's preview, or the exported file. Progress (phase,
    done, total) is written between steps, never inside an import's own transaction,
    so the page can follow it while the import writes. ``token`` names the kept upload,
    or the file an export writes.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=32)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("started by"),
    )
    token = models.CharField(max_length=64)
    filename = models.CharField(_("file"), max_length=255, blank=True)
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=JobState.choices, default=JobState.QUEUED
    )
    phase = models.CharField(max_length=16, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["owner", "created_at"])]

    def __str__(self):
        return "{} {}".format(self.kind, self.pk)

    @property
    def finished(self):
        return self.state in (JobState.CHECKED, JobState.APPLIED, JobState.FAILED)
