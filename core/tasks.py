from __future__ import annotations

from celery import shared_task

from core import services


@shared_task(
    name=services.SEND_NOTIFICATION_EMAIL,
    autoretry_for=(services.EmailNotSent,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=services.MAX_EMAIL_ATTEMPTS - 1,
)
def send_notification_email(notification_id: str) -> str:
    return services.send_notification_email(notification_id).email_status
