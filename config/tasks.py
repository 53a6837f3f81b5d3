from __future__ import annotations

from celery import shared_task
from django.conf import settings

from core.jobs import scheduled


@scheduled(
    every=settings.HEARTBEAT_INTERVAL,
    name="heartbeat",
    description="Proves that beat and the worker are alive; /healthz/ reports its age.",
)
@shared_task(name="config.tasks.heartbeat")
def heartbeat() -> str:
    """Does nothing but finish: its JobRun row shows that beat and the worker are alive."""
    return "ok"
