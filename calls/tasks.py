from __future__ import annotations

from datetime import timedelta

from celery import shared_task

from calls import services
from core.jobs import scheduled


@shared_task(name=services.COLLECT_RECORDING)
def collect_recording(call_id: str) -> str:
    """The fast path; a recording the provider has not finished is asked for again later."""
    return services.collect_recording(call_id).status


@shared_task(name=services.END_MEETING)
def end_provider_meeting(call_id: str) -> None:
    services.end_provider_meeting(call_id)


@scheduled(
    every=timedelta(minutes=5),
    name="retry_recordings",
    description="C-11: recordings whose collection was lost or must be tried again.",
)
@shared_task(name="calls.tasks.retry_recordings")
def retry_recordings() -> str:
    return f"handled {services.retry_recordings()} recordings"


@scheduled(
    every=timedelta(minutes=15),
    name="expire_recordings",
    description="J-1: recordings past their 30 days lose their files, here and at the provider.",
)
@shared_task(name="calls.tasks.expire_recordings")
def expire_recordings() -> str:
    deleted = services.expire_recordings()
    retried = services.retry_provider_deletions()
    return f"expired {deleted} recordings, retried {retried} provider deletions"
