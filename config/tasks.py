from __future__ import annotations

from celery import shared_task


@shared_task(name="config.tasks.heartbeat")
def heartbeat() -> str:
    """Does nothing but finish: its JobRun row shows that beat and the worker are alive."""
    return "ok"
