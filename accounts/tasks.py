from __future__ import annotations

from celery import shared_task

from accounts import services


@shared_task(name="accounts.tasks.clear_expired_sessions")
def clear_expired_sessions() -> str:
    return f"deleted {services.clear_expired_sessions()} expired sessions"
