from __future__ import annotations

from datetime import timedelta

from celery import shared_task

from core import services
from core.jobs import scheduled


@shared_task(name=services.SEND_NOTIFICATION_EMAIL)
def send_notification_email(notification_id: str) -> str:
    """The fast path; a refused attempt is rescheduled on the row, which the sweep retries."""
    return services.send_notification_email(notification_id).email_status


@scheduled(
    every=timedelta(minutes=1),
    name="send_pending_notifications",
    description="E-mails of notices whose task was lost or whose mail server refused.",
)
@shared_task(name="core.tasks.send_pending_notifications")
def send_pending_notifications() -> str:
    return f"handled {services.send_pending_notifications()} e-mails"
