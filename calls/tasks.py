from __future__ import annotations

from datetime import timedelta

from celery import shared_task

from calls import services
from core.jobs import scheduled


@shared_task(name=services.COLLECT_RECORDING)
def collect_recording(call_id: str) -> str:
    """The fast path; a recording the provider has not finished is asked for again later."""
    return services.collect_recording(call_id).status


@shared_task(name=services.DELETE_PROVIDER_COPY)
def delete_provider_copy(call_id: str) -> None:
    services.delete_provider_copy(call_id)


@shared_task(name=services.DRAIN_EVENTS)
def drain_provider_events() -> str:
    return f"applied {services.drain_provider_events()} events"


@scheduled(
    every=timedelta(minutes=5),
    name="retry_provider_events",
    description="Webhook events whose task was lost (the broker was down) or failed.",
)
@shared_task(name="calls.tasks.retry_provider_events")
def retry_provider_events() -> str:
    return f"applied {services.retry_provider_events()} events"


@shared_task(name=services.END_MEETING)
def end_provider_meeting(call_id: str) -> None:
    services.end_provider_meeting(call_id)


@scheduled(
    every=timedelta(minutes=5),
    name="reconcile_recordings",
    description=(
        "C-11 and the provider's lost webhooks: calls that should have ended are ended, and "
        "recordings not yet collected are fetched through the provider's API."
    ),
)
@shared_task(name="calls.tasks.reconcile_recordings")
def reconcile_recordings() -> str:
    ended = services.end_overdue_calls()
    return f"ended {ended} overdue calls, handled {services.retry_recordings()} recordings"


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
