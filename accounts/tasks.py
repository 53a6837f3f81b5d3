from __future__ import annotations

from datetime import timedelta

from celery import shared_task

from accounts import services
from core.jobs import scheduled


@scheduled(
    every=timedelta(hours=6),
    name="clear_expired_sessions",
    description="Deletes expired login sessions.",
)
@shared_task(name="accounts.tasks.clear_expired_sessions")
def clear_expired_sessions() -> str:
    return f"deleted {services.clear_expired_sessions()} expired sessions"


@scheduled(
    every=timedelta(hours=6),
    name="clear_expired_api_tokens",
    description="Deletes expired API tokens (they are refused on use already).",
)
@shared_task(name="accounts.tasks.clear_expired_api_tokens")
def clear_expired_api_tokens() -> str:
    return f"deleted {services.clear_expired_api_tokens()} expired API tokens"
