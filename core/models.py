"""The append-only base (the audit log, the ledger) and the in-app notices of `notify`."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} cannot be deleted.")


class AppendOnlyModel(models.Model):
    """Rows that are only ever inserted (the audit log, the ledger): saving an existing row,
    deleting one, and bulk updates or deletes all raise AppendOnlyError. On Postgres the
    table also gets a trigger that refuses UPDATE and DELETE (`core.db.RefuseChanges` in the
    model's migration), so not even raw SQL rewrites history."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name} cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self._meta.verbose_name} cannot be deleted.")


class Deferred(models.Model):
    """A row that is also the schedule of the outside call it waits for (a payout, a refund to
    a card, an e-mail): the outbox pattern. The task queued after commit is only the fast path;
    if it is lost (the broker was down, a worker died) or the provider asks to try later, the
    row's `next_attempt_at` brings it back to a sweep (`core.retry`), so an outage delays the
    call and never loses it."""

    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)

    class Meta:
        abstract = True


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("To be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    NONE = "none", _("No e-mail")


class Notification(Deferred):
    """A notice to one user (`core.services.notify`): shown in the account and, when the kind
    says so, e-mailed. Text is rendered from `kind` and `context` in the reader's language
    when it is read, so a notice never freezes the language it was created in."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=64)
    context = models.JSONField(_("context"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_status = models.CharField(
        _("e-mail"), max_length=16, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    email_error = models.TextField(_("last e-mail error"), blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(email_status__in=EmailStatus.values), name="core_notification_email"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="core_notif_user"),
            # The header's unread count reads only unread rows, however many were read.
            models.Index(fields=["user"], name="core_notif_unread", condition=Q(read_at=None)),
            # What still has to be e-mailed, when (the sweep behind the task's fast path).
            models.Index(
                fields=["next_attempt_at"],
                name="core_notif_email_due",
                condition=Q(email_status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id}"
