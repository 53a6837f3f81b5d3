"""Notifications (`notify`): an in-app notice and, when its kind says so, an e-mail in the
recipient's language, sent after commit by a task, retried, and sent once.

Any app calls `notify(user, kind, context)` inside its own transaction: the notice exists
exactly when the change it reports was committed.
"""

from __future__ import annotations

import smtplib
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import translation

from core import clock
from core.models import EmailStatus, Notification
from core.notifications import KINDS, NotificationKind, render_kind
from core.queue import enqueue_after_commit

SEND_NOTIFICATION_EMAIL = "core.tasks.send_notification_email"
MAX_EMAIL_ATTEMPTS = 6


class EmailNotSent(Exception):
    """The mail server did not take the e-mail; trying again later may help."""


def notify(user: Any, kind: NotificationKind, context: Mapping[str, Any]) -> Notification:
    """Tell `user` about something that just happened. `context` is JSON (ids, titles, amounts
    in cents) and fills the kind's placeholders."""
    context = dict(context)
    with translation.override(settings.LANGUAGE_CODE):
        render_kind(kind, context)  # a missing placeholder fails here, in the sender's transaction
    wants_email = kind.email and bool(user.email) and user.is_active
    notification = Notification.objects.create(
        user=user,
        kind=kind.name,
        context=context,
        email_status=EmailStatus.PENDING if wants_email else EmailStatus.NONE,
    )
    if wants_email:
        enqueue_after_commit(SEND_NOTIFICATION_EMAIL, str(notification.pk))
    return notification


def send_notification_email(notification_id: str) -> Notification:
    """E-mail one notice in its recipient's language. Safe to run twice and at once: the row is
    locked while sending and only a pending notice is sent. The Message-ID is derived from the
    notice, so should a crash come between the mail server's acceptance and our commit, the
    retried copy carries the same Message-ID and mail systems drop it as a duplicate."""
    failed: Exception | None = None
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(pk=notification_id)
        )
        if notification.email_status != EmailStatus.PENDING:
            return notification
        user = notification.user
        kind = KINDS.get(notification.kind)
        if kind is None or not user.is_active:
            # A kind nobody declares any more, or an account closed since: nothing to send.
            notification.email_status = EmailStatus.NONE
            notification.save(update_fields=["email_status"])
            return notification
        with translation.override(user.language):
            rendered = render_kind(kind, notification.context)
            body = render_to_string(
                kind.email_template,
                {
                    "user": user,
                    "notice": rendered,
                    "url": f"{settings.SITE_URL}{rendered.url}" if rendered.url else "",
                    "context": notification.context,
                },
            )
        notification.email_attempts += 1
        message = EmailMessage(
            subject=rendered.title,
            body=body,
            to=[user.email],
            headers={"Message-ID": f"<{notification.pk}@{urlsplit(settings.SITE_URL).hostname}>"},
        )
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as error:
            failed = error
            notification.email_error = str(error)[:1000]
            if notification.email_attempts >= MAX_EMAIL_ATTEMPTS:
                notification.email_status = EmailStatus.FAILED
        else:
            notification.email_status = EmailStatus.SENT
            notification.emailed_at = clock.now()
        notification.save(
            update_fields=["email_attempts", "email_error", "email_status", "emailed_at"]
        )
    if failed is not None and notification.email_status == EmailStatus.PENDING:
        raise EmailNotSent(str(failed)) from failed
    return notification


def mark_notification_read(notification: Notification, *, actor: Any) -> None:
    """Selectors only hand out the actor's own notices; this marks one read (once)."""
    if notification.read_at is None:
        notification.read_at = clock.now()
        Notification.objects.filter(pk=notification.pk, read_at=None).update(
            read_at=notification.read_at
        )


def mark_all_notifications_read(*, actor: Any) -> int:
    unread: QuerySet[Notification] = Notification.objects.filter(user=actor, read_at=None)
    return unread.update(read_at=clock.now())
