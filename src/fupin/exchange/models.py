from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fupin.core.models import TimeStampedModel


class ImportRun(TimeStampedModel):
    """One upload through the web: its validation report, then its import in the background."""

    class State(models.TextChoices):
        INVALID = "invalid", _("has errors")
        READY = "ready", _("valid, waiting for confirmation")
        UNCHANGED = "unchanged", _("valid, nothing to change")
        IMPORTING = "importing", _("importing")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file"), max_length=255)
    path = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.BigIntegerField(default=0)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # the first errors: [file, line, column, reason]
    counts = models.JSONField(default=dict, blank=True)  # entity -> {created, updated, unchanged}
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    # who imports it ("host:pid") and when it last said so: a run whose worker died (killed,
    # restarted) is found by its heartbeat and its lock, marked failed and can start again
    worker = models.CharField(_("worker"), max_length=255, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else (100 if self.state == self.State.DONE else 0)
