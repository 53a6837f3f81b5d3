"""Notifications (`notify`): an in-app notice and, when its kind says so, an e-mail in the
recipient's language, sent after commit by a task (a sweep catches what the task missed),
retried while the mail server refuses, and sent once.

Any app calls `notify(user, kind, context)` inside its own transaction: the notice exists
exactly when the change it reports was committed.
"""

from __future__ import annotations

import smtplib
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core import clock
from core.models import EmailStatus, Notification
from core.notifications import KINDS, NotificationKind, render_kind
from core.queue import enqueue_after_commit
from core.retry import first_attempt_at, retry_due, retry_later

SEND_NOTIFICATION_EMAIL = "core.tasks.send_notification_email"
MAX_EMAIL_ATTEMPTS = 6


def notify(user: Any, kind: NotificationKind, context: Mapping[str, Any]) -> Notification:
    """Tell `user` about something that just happened. `context` is JSON (ids, titles, amounts
    in cents) and fills the kind's placeholders."""
    now = clock.now()
    notification = _notification(user, kind, context, now=now, email_due=first_attempt_at(now))
    notification.save(force_insert=True)
    if notification.email_status == EmailStatus.PENDING:
        enqueue_after_commit(SEND_NOTIFICATION_EMAIL, str(notification.pk))
    return notification


def notify_many(
    kind: NotificationKind, notices: Sequence[tuple[Any, Mapping[str, Any]]]
) -> list[Notification]:
    """`notify` for a batch of (user, context) — the orders a ban cancels: one INSERT. Their
    e-mails are due at once and go by the `send_pending_notifications` sweep, not by a task
    each: a batch does not put hundreds of messages on the broker inside its transaction."""
    now = clock.now()
    checked: set[frozenset[str]] = set()  # contexts with the same keys fill the same placeholders
    rows = []
    for user, context in notices:
        keys = frozenset(context)
        rows.append(
            _notification(user, kind, context, now=now, email_due=now, check=keys not in checked)
        )
        checked.add(keys)
    return Notification.objects.bulk_create(rows)


def _notification(
    user: Any,
    kind: NotificationKind,
    context: Mapping[str, Any],
    *,
    now: datetime,
    email_due: datetime,
    check: bool = True,
) -> Notification:
    context = dict(context)
    if check:
        with translation.override(settings.LANGUAGE_CODE):
            # A missing placeholder fails here, in the sender's transaction.
            render_kind(kind, context)
    wants_email = kind.email and bool(user.email) and user.is_active
    return Notification(
        user=user,
        kind=kind.name,
        context=context,
        created_at=now,
        email_status=EmailStatus.PENDING if wants_email else EmailStatus.NONE,
        next_attempt_at=email_due if wants_email else None,
    )


def send_notification_email(notification_id: str) -> Notification:
    """E-mail one notice in its recipient's language. Safe to run twice and at once: the row is
    locked while sending and only a pending notice is sent. The Message-ID is derived from the
    notice, so should a crash come between the mail server's acceptance and our commit, the
    retried copy carries the same Message-ID and mail systems drop it as a duplicate. A refusing
    mail server schedules the next attempt (`core.retry`); after MAX_EMAIL_ATTEMPTS it gives up."""
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
        with translation.override(user.language), timezone.override(user.zone):
            rendered = render_kind(kind, notification.context)
            body = render_to_string(
                kind.email_template,
                {
                    "user": user,
                    "notice": rendered,
                    "happened_at": notification.created_at,
                    "url": f"{settings.SITE_URL}{rendered.url}" if rendered.url else "",
                    "context": notification.context,
                },
            )
        message = EmailMessage(
            subject=rendered.title,
            body=body,
            to=[user.email],
            headers={"Message-ID": f"<{notification.pk}@{urlsplit(settings.SITE_URL).hostname}>"},
        )
        now = clock.now()
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as error:
            changed = ["email_error", *retry_later(notification, now=now)]
            notification.email_error = str(error)[:1000]
            if notification.attempts >= MAX_EMAIL_ATTEMPTS:
                notification.email_status = EmailStatus.FAILED
                changed.append("email_status")
        else:
            notification.attempts += 1
            notification.email_status = EmailStatus.SENT
            notification.emailed_at = now
            changed = ["attempts", "email_status", "emailed_at"]
        notification.save(update_fields=changed)
    return notification


def _due_emails(now: datetime) -> QuerySet[Notification]:
    return Notification.objects.filter(email_status=EmailStatus.PENDING, next_attempt_at__lte=now)


def send_pending_notifications(*, now: datetime | None = None) -> int:
    """The e-mails whose task never ran (the broker was down) or whose server refused: each
    sent, or its next attempt scheduled."""
    return retry_due(_due_emails, lambda notice: send_notification_email(str(notice.pk)), now=now)


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
