from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from fupin.core.choices import Channel


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), db_default=Now(), editable=False)
    updated_at = models.DateTimeField(_("updated"), db_default=Now(), editable=False)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One state change, written by the service that made it, in its transaction.

    ``root`` names the aggregate the change belongs to (a member's or an income record's
    household), so that a household's page shows the history of everything it owns.
    ``area_code`` is the area of the object, so reads of the log are scoped like
    everything else.

    The log is append-only in the database (triggers refuse UPDATE, DELETE and TRUNCATE)
    and tamper-evident: ``hash`` is the SHA-256 of the event's content and ``prev_hash``,
    the hash of the event before it (``fupin.core.auditchain``; ``fupin audit verify``).
    A user who acted is therefore never deleted (``PROTECT``): deactivate the account.
    """

    at = models.DateTimeField(_("time"), db_default=Now(), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    root_type = models.CharField(max_length=64, blank=True)
    root_id = models.CharField(max_length=64, blank=True)
    area_code = models.CharField(_("area code"), max_length=12, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, editable=False)
    hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["root_type", "root_id", "at"], name="audit_root_idx"),
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["area_code"], name="audit_area_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field whose value differs."""
        before = self.before or {}
        after = self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
