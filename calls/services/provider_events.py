"""What the provider tells us by webhook (Zoom: meeting started, someone joined, meeting ended,
recording and transcript completed).

The endpoint only logs the event — once, by its business key (`record_provider_event`) — and
answers; a task queued after commit applies the pending events (`drain_provider_events`, each
by `apply_provider_event`), and `retry_provider_events` applies what a lost task left.
Applying converges on one state whatever the order and however often Zoom repeats itself: a
meeting that ended or has a recording had started, a recording means the meeting ended, and
collecting stores each file once. An event for a meeting this product did not create is kept
for the record and ignored.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from calls import webhooks
from calls.models import Call, EventOutcome, ProviderEvent
from calls.providers.zoom import recording_files
from calls.services.meetings import end_call, mark_call_started
from calls.services.recordings import collect_recording
from calls.webhooks import Notice
from core import clock
from core.queue import send_now
from core.retry import first_attempt_at, retry_due, retry_later

logger = logging.getLogger(__name__)

DRAIN_EVENTS = "calls.tasks.drain_provider_events"
# Set while a drain task is queued and not yet started: the requests in between queue no other.
DRAIN_QUEUED = "calls:provider-events:drain-queued"
DRAIN_QUEUED_SECONDS = 60


def record_provider_event(notice: Notice, *, now: datetime | None = None) -> None:
    """Log an event the endpoint accepted — one INSERT that does nothing for Zoom's retry of
    an event already logged — and make sure a drain task is queued to apply it.

    One task drains every pending event rather than one task per event: publishing a task costs
    more than the rest of the request, and Zoom sends bursts. The task clears the flag before it
    reads the pending events, so an event committed after that read finds the flag clear and
    queues the next drain; a lost task leaves its events to `retry_provider_events`."""
    now = now or clock.now()
    event = ProviderEvent(
        event=notice.event,
        key=notice.key,
        meeting_id=notice.meeting_id,
        meeting_uuid=notice.meeting_uuid,
        body=notice.body,
        received_at=now,
        next_attempt_at=first_attempt_at(now),
    )
    try:
        # One INSERT, committed on its own: no BEGIN and COMMIT round trips around it (the
        # endpoint's cost is mostly this row). Inside a caller's transaction, a savepoint keeps
        # a duplicate from breaking it.
        if transaction.get_connection().in_atomic_block:
            with transaction.atomic():
                event.save(force_insert=True)
        else:
            event.save(force_insert=True)
    except IntegrityError:
        return  # Zoom's retry of an event already logged
    transaction.on_commit(_queue_drain)


def _queue_drain() -> None:
    """After the event's commit: a drain task, unless one is queued and not yet started. The
    flag is set only here and cleared again if the broker refuses the task, so no event waits
    behind a flag that no task will clear."""
    try:
        if not cache.add(DRAIN_QUEUED, 1, timeout=DRAIN_QUEUED_SECONDS):
            return
    except Exception:  # no cache: queue one anyway (draining twice is harmless)
        logger.warning("cache unavailable; queuing a drain for this event", exc_info=True)
    if not send_now(DRAIN_EVENTS):
        try:
            cache.delete(DRAIN_QUEUED)
        except Exception:
            logger.warning("cache unavailable; the flag expires on its own", exc_info=True)


def drain_provider_events() -> int:
    """Apply every event that has not been tried yet, oldest first, each in its own
    transaction (`apply_provider_event`). Safe to run twice and at once. An event whose
    application fails is left to `retry_provider_events`, with backoff."""
    try:
        cache.delete(DRAIN_QUEUED)
    except Exception:
        logger.warning("cache unavailable; the next event queues its own drain", exc_info=True)
    applied = 0
    while ids := list(
        ProviderEvent.objects.filter(outcome=EventOutcome.PENDING, attempts=0)
        .order_by("received_at", "pk")
        .values_list("pk", flat=True)[:100]
    ):
        for event_id in ids:
            try:
                apply_provider_event(event_id)
            except Exception:
                logger.exception("provider event %s not applied; retried later", event_id)
                _postpone(event_id)
            applied += 1
    return applied


def _postpone(event_id: int) -> None:
    with transaction.atomic():
        event = ProviderEvent.objects.select_for_update().get(pk=event_id)
        if event.outcome == EventOutcome.PENDING:
            event.save(update_fields=retry_later(event, now=clock.now()))


def apply_provider_event(event_id: int, *, now: datetime | None = None) -> ProviderEvent:
    """Bring the call to what the event says. Safe to run twice and at once (the event's row is
    locked, and only a pending event is applied); a recording's files are collected after the
    event is applied, by `collect_recording`, which has its own retries."""
    now = now or clock.now()
    with transaction.atomic():
        event = ProviderEvent.objects.select_for_update().get(pk=event_id)
        if event.outcome != EventOutcome.PENDING:
            return event
        call = Call.objects.filter(provider_meeting_id=event.meeting_id).first()
        if call is None:
            event.outcome = EventOutcome.UNKNOWN_MEETING
        else:
            _apply(call, event, now)
            event.outcome = EventOutcome.APPLIED
        event.applied_at, event.next_attempt_at = now, None
        event.save(update_fields=["outcome", "applied_at", "next_attempt_at"])
    if call is not None and event.event in (
        webhooks.RECORDING_COMPLETED,
        webhooks.TRANSCRIPT_COMPLETED,
    ):
        collect_recording(str(call.pk), files=_files(event.body), now=now)
    return event


def _apply(call: Call, event: ProviderEvent, now: datetime) -> None:
    joined = ""
    if event.event == webhooks.PARTICIPANT_JOINED:
        joined = str(event.body["payload"]["object"]["participant"].get("email") or "")
    # Every event but a join's start implies the meeting started (it may have been dropped).
    mark_call_started(call, joined_email=joined, now=now)
    if event.event in (
        webhooks.MEETING_ENDED,
        webhooks.RECORDING_COMPLETED,
        webhooks.TRANSCRIPT_COMPLETED,
    ):
        end_call(call, actor=None)


def _files(body: dict[str, Any]) -> list[Any]:
    token = body.get("download_token") or ""
    return recording_files(body["payload"]["object"], download_token=str(token))


def _due_events(now: datetime) -> QuerySet[ProviderEvent]:
    return ProviderEvent.objects.filter(outcome=EventOutcome.PENDING, next_attempt_at__lte=now)


def retry_provider_events(*, now: datetime | None = None) -> int:
    """Events whose task was lost (the broker was down) or failed — one failing again is put
    off with backoff, never holding up the others."""

    def run(event: ProviderEvent) -> None:
        try:
            with transaction.atomic():
                apply_provider_event(event.pk)
        except Exception:
            logger.exception("provider event %s not applied; retried later", event.pk)
            event.save(update_fields=retry_later(event, now=clock.now()))

    return retry_due(_due_events, run, now=now)
