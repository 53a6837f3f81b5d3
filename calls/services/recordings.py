"""Recordings (C-11, J-1): collected from the provider into the `recordings` storage after the
call, and expired exactly on time, here and at the provider. Collecting and deleting run after
commit and from sweeps (the row is the schedule), so a lost task or a provider outage delays
that work and never loses it.
"""

from __future__ import annotations

import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet

from calls import notices
from calls.models import (
    Call,
    Recording,
    RecordingStatus,
    recordings_storage,
)
from calls.providers import MEDIA, TRANSCRIPT, ProviderError, RecordingFile, video
from core import clock
from core.retry import retry_due, retry_later
from core.services import notify
from core.sweep import sweep

logger = logging.getLogger(__name__)
# An expiry batch's file and provider deletions run side by side: each one waits (for the disk,
# an S3 or provider round trip) rather than computes. On the bench disk 16 threads remove a
# file in 40 us where one thread takes 70-90 us (docs/performance.md, section 7).
EXPIRY_WORKERS = 16


# ---------------------------------------------------------------- recordings (C-11)
def collect_recording(call_id: str, *, now: datetime | None = None) -> Recording:
    """Fetch the call's recording files from the provider into the `recordings` storage. Safe
    to run twice and at once (the row is locked; only a pending recording is collected); a
    provider that is not done yet, or fails, is asked again later (`core.retry`)."""
    now = now or clock.now()
    with transaction.atomic():
        recording = (
            Recording.objects.select_for_update(of=("self",))
            .select_related("call")
            .get(call_id=call_id)
        )
        if recording.status != RecordingStatus.PENDING:
            return recording
        if recording.is_expired(now):  # the expiry job deletes it; nothing left to collect
            return recording
        try:
            files = video().fetch_recordings(recording.call.provider_meeting_id)
            stored = {file.kind: _store(recording.call, file) for file in files}
        except ProviderError as error:
            logger.warning("recording of call %s not collected: %s", call_id, error)
            recording.save(update_fields=retry_later(recording, now=now))
            return recording
        if MEDIA not in stored:  # still being processed at the provider
            recording.save(update_fields=retry_later(recording, now=now))
            return recording
        media_name, media_file = stored[MEDIA]
        recording.media.name = media_name
        recording.media_type = media_file.content_type
        recording.media_bytes = media_file.size_bytes
        if TRANSCRIPT in stored:
            recording.transcript.name = stored[TRANSCRIPT][0]
        recording.status = RecordingStatus.AVAILABLE
        recording.available_at = now
        recording.next_attempt_at = None
        recording.save()
        for participant in recording.call.participants.select_related("user"):
            notify(
                participant.user,
                notices.RECORDING_READY,
                {
                    "call": call_id,
                    "topic": recording.call.topic,
                    "days": settings.RECORDING_RETENTION_DAYS,
                },
            )
    return recording


def _store(call: Call, file: RecordingFile) -> tuple[str, RecordingFile]:
    content = b"".join(video().download(file))
    name = recordings_storage().save(recording_name(call.pk, file), ContentFile(content))
    return name, file


def recording_name(call_id: uuid.UUID, file: RecordingFile) -> str:
    """`calls/3f/3f2a…-media.wav`: no directory per call, which expiry would leave behind
    empty, and a fixed fan-out of 256 directories, so none grows to millions of entries."""
    return f"calls/{call_id.hex[:2]}/{call_id}-{file.kind}.{file.extension}"


def _due_recordings(now: datetime) -> QuerySet[Recording]:
    return Recording.objects.filter(status=RecordingStatus.PENDING, next_attempt_at__lte=now)


def retry_recordings(*, now: datetime | None = None) -> int:
    """Recordings whose collection task was lost or must be tried again."""
    return retry_due(
        _due_recordings, lambda recording: collect_recording(str(recording.pk)), now=now
    )


# ---------------------------------------------------------------- expiry (J-1)
def expire_recordings(*, now: datetime | None = None, batch_size: int = 500) -> int:
    """J-1: every recording past its retention, pending or available, loses its files — from
    our storage and, permanently, from the provider — and keeps its row as the record that it
    existed and when it was deleted. Batches claimed with SKIP LOCKED (`core.sweep`): two runs
    at once delete each file once, a crashed run is finished by the next, and a run after days
    of downtime catches up. A file already gone is not an error."""
    return sweep(
        _due_for_expiry,
        _expire,
        order_by=("expires_at", "call_id"),
        now=now,
        batch_size=batch_size,
    )


def _due_for_expiry(now: datetime) -> QuerySet[Recording]:
    return (
        Recording.objects.filter(expires_at__lte=now)
        .exclude(status=RecordingStatus.DELETED)
        # What the expiry reads, the call's meeting id included: one query a batch, not two.
        .select_related("call")
        .only("call_id", "expires_at", "media", "transcript", "call__provider_meeting_id")
    )


def _expire(batch: list[Recording], now: datetime) -> None:
    storage = recordings_storage()
    names = [field.name for row in batch for field in (row.media, row.transcript) if field.name]
    meetings = [row.call.provider_meeting_id for row in batch]
    with ThreadPoolExecutor(max_workers=EXPIRY_WORKERS) as pool:
        # A missing file is no error (Storage.delete); any other error rolls the batch back.
        list(pool.map(storage.delete, names))
        at_provider = list(pool.map(_delete_at_provider, meetings))
    deleted: list[uuid.UUID] = []
    kept: list[uuid.UUID] = []
    for recording, done in zip(batch, at_provider, strict=True):
        (deleted if done else kept).append(recording.call_id)
    gone: dict[str, Any] = {
        "status": RecordingStatus.DELETED,
        "deleted_at": now,
        "media": "",
        "transcript": "",
    }
    Recording.objects.filter(pk__in=deleted).update(
        **gone, provider_deleted_at=now, next_attempt_at=None
    )
    # Ours are gone; the provider's copy is asked again by `retry_provider_deletions`.
    Recording.objects.filter(pk__in=kept).update(**gone, next_attempt_at=now + timedelta(minutes=5))


def _delete_at_provider(meeting_id: str) -> bool:
    if not meeting_id:
        return True
    try:
        video().delete_recordings(meeting_id)
    except ProviderError:
        logger.warning("provider kept the recordings of meeting %s", meeting_id, exc_info=True)
        return False
    return True


def _due_provider_deletions(now: datetime) -> QuerySet[Recording]:
    return Recording.objects.filter(
        status=RecordingStatus.DELETED,
        provider_deleted_at__isnull=True,
        next_attempt_at__lte=now,
    ).select_related("call")


def retry_provider_deletions(*, now: datetime | None = None) -> int:
    def act(batch: list[Recording], at: datetime) -> None:
        for recording in batch:
            if _delete_at_provider(recording.call.provider_meeting_id):
                recording.provider_deleted_at, recording.next_attempt_at = at, None
                recording.save(update_fields=["provider_deleted_at", "next_attempt_at"])
            else:
                recording.save(update_fields=retry_later(recording, now=at))

    return sweep(_due_provider_deletions, act, order_by=("next_attempt_at", "pk"), now=now)
