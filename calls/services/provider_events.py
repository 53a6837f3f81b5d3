"""What the provider tells us by webhook (Zoom: meeting started, someone joined, meeting ended,
recording and transcript completed).

The endpoint only logs the event — once, by its business key (`record_provider_event`) — and
answers; a task applies it after commit (`apply_provider_event`), and `retry_provider_events`
applies what a lost task left. Applying converges on one state whatever the order and however
often Zoom repeats itself: a meeting that ended or has a recording had started, a recording
means the meeting ended, and collecting stores each file once. An event for a meeting this
product did not create is kept for the record and ignored.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from calls import webhooks
from calls.models import Call, EventOutcome, ProviderEvent
from calls.providers.zoom import recording_files
from calls.services.meetings import end_call, mark_call_started
from calls.services.recordings import collect_recording
from calls.webhooks import Notice
from core import clock
from core.queue import enqueue_after_commit
from core.retry import first_attempt_at, retry_due

logger = logging.getLogger(__name__)

APPLY_EVENT = "calls.tasks.apply_provider_event"


def record_provider_event(notice: Notice, *, now: datetime | None = None) -> ProviderEvent | None:
    """Log an event the endpoint accepted and queue its application. Zoom's retry of an event
    already logged changes nothing (None)."""
    now = now or clock.now()
    try:
        with transaction.atomic():
            event = ProviderEvent.objects.create(
                event=notice.event,
                key=notice.key,
                meeting_id=notice.meeting_id,
                meeting_uuid=notice.meeting_uuid,
                body=notice.body,
                received_at=now,
                next_attempt_at=first_attempt_at(now),
            )
    except IntegrityError:
        return None
    enqueue_after_commit(APPLY_EVENT, event.pk)
    return event


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
    """Events whose task was lost (the broker was down) or failed."""
    return retry_due(_due_events, lambda event: apply_provider_event(event.pk), now=now)
