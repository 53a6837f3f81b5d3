"""Recordings (C-11, J-1): collected from the provider into the `recordings` storage after the
call, and expired exactly on time, here and at the provider. Collecting and deleting run after
commit and from sweeps (the row is the schedule), so a lost task or a provider outage delays
that work and never loses it.
"""

from __future__ import annotations

import logging
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce

from calls import notices
from calls.models import (
    Call,
    Recording,
    RecordingStatus,
    recordings_storage,
)
from calls.providers import MEDIA, TRANSCRIPT, ProviderError, RecordingFile, video
from calls.transcript_filters import ScreenedTranscript, transcript_filter
from core import clock
from core.queue import enqueue_after_commit
from core.retry import retry_due, retry_later
from core.services import notify
from core.sweep import sweep

logger = logging.getLogger(__name__)
# An expiry batch's file and provider deletions run side by side: each one waits (for the disk,
# an S3 or provider round trip) rather than computes. On the bench disk 16 threads remove a
# file in 40 us where one thread takes 70-90 us (docs/performance.md, section 7).
EXPIRY_WORKERS = 16
DELETE_PROVIDER_COPY = "calls.tasks.delete_provider_copy"
# A transcript is text (WebVTT); one larger than this is stored cut off, never read unbounded.
MAX_TRANSCRIPT_BYTES = 5 * 1024 * 1024


# ---------------------------------------------------------------- recordings (C-11)
def collect_recording(
    call_id: str, *, files: list[RecordingFile] | None = None, now: datetime | None = None
) -> Recording:
    """Store the call's recording files in the `recordings` storage: those a webhook announced
    (`files`, with their download token), else what the provider lists. The media makes the
    recording available; a transcript may come before or after it (Zoom finishes it later).
    Safe to run twice and at once: the row is locked while files are fetched and a file already
    stored is not fetched again. A provider that is not done yet, or fails, is asked again later
    (`core.retry`). Once our copy is complete, the provider's is deleted (`_schedule_provider_
    deletion`)."""
    now = now or clock.now()
    with transaction.atomic():
        recording = (
            Recording.objects.select_for_update(of=("self",))
            .select_related("call")
            .get(call_id=call_id)
        )
        if recording.status == RecordingStatus.DELETED or recording.is_expired(now):
            return recording  # the expiry job deletes it; nothing left to collect
        missing = {MEDIA} if not recording.media.name else set()
        if not recording.transcript.name:
            missing.add(TRANSCRIPT)
        if files and not missing and recording.provider_deleted_at is not None:
            # The provider recorded again after its copy went (the meeting was rejoined, a new
            # instance): ours is complete, so that one goes too.
            recording.provider_deleted_at, recording.next_attempt_at = None, now
            recording.save(update_fields=["provider_deleted_at", "next_attempt_at"])
            enqueue_after_commit(DELETE_PROVIDER_COPY, str(recording.pk))
            return recording
        if not missing or (recording.status == RecordingStatus.AVAILABLE and files is None):
            return recording
        stored: dict[str, str] = {}
        screened: ScreenedTranscript | None = None
        try:
            offered = files if files is not None else _listed(recording)
            wanted = {f.kind: f for f in offered if f.kind in missing}  # one file of each kind
            for kind, file in wanted.items():
                stored[kind], found = _store(recording.call, file)
                screened = found or screened
        except ProviderError as error:
            for name in stored.values():  # no file the row does not name stays behind
                recordings_storage().delete(name)
            logger.warning("recording of call %s not collected: %s", call_id, error)
            if recording.status == RecordingStatus.PENDING:
                recording.save(update_fields=retry_later(recording, now=now))
            return recording
        if TRANSCRIPT in stored:
            recording.transcript.name = stored[TRANSCRIPT]
            recording.transcript_file_id = wanted[TRANSCRIPT].file_id
            if screened is not None and screened.findings:
                transcript_filter().stored(recording.call, screened)
        if MEDIA in stored:
            media = wanted[MEDIA]
            recording.media.name = stored[MEDIA]
            recording.media_file_id = media.file_id
            recording.media_type = media.content_type
            recording.media_bytes = media.size_bytes
            recording.status = RecordingStatus.AVAILABLE
            recording.available_at = now
            _tell_participants(recording)
        if recording.status == RecordingStatus.PENDING:
            # Only a transcript so far, or nothing finished at the provider yet.
            recording.save(
                update_fields=["transcript", "transcript_file_id", *retry_later(recording, now=now)]
            )
            return recording
        _schedule_provider_deletion(recording, now)
        recording.save()
        if recording.next_attempt_at is not None and recording.next_attempt_at <= now:
            enqueue_after_commit(DELETE_PROVIDER_COPY, str(recording.pk))
    return recording


def _listed(recording: Recording) -> list[RecordingFile]:
    return video().fetch_recordings(recording.call.provider_meeting_id)


def _tell_participants(recording: Recording) -> None:
    for participant in recording.call.participants.select_related("user"):
        notify(
            participant.user,
            notices.RECORDING_READY,
            {
                "call": str(recording.call_id),
                "topic": recording.call.topic,
                "days": settings.RECORDING_RETENTION_DAYS,
            },
        )


def _schedule_provider_deletion(recording: Recording, now: datetime) -> None:
    """Our copy is the only one kept: the provider's goes as soon as ours is complete — at once
    with the transcript, or once the provider had TRANSCRIPT_WAIT_MINUTES after the call to
    finish one — by `retry_provider_deletions`, and at expiry at the latest (J-1)."""
    if recording.provider_deleted_at is not None:
        return
    if recording.transcript.name:
        due = now
    else:
        ended = recording.call.ended_at or now
        due = max(now, ended + timedelta(minutes=settings.TRANSCRIPT_WAIT_MINUTES))
    recording.next_attempt_at = min(due, recording.expires_at)


def _store(call: Call, file: RecordingFile) -> tuple[str, ScreenedTranscript | None]:
    """One file streamed from the provider into the storage (never whole in memory), its size
    checked against what the provider announced; a transcript is screened first and stored as
    the filter returns it (C-15: card numbers masked before they are stored). The name is the
    call's and the kind's alone: a copy left by an attempt that died before its commit is
    replaced, never kept beside."""
    storage = recordings_storage()
    name = recording_name(call.pk, file)
    with tempfile.TemporaryFile() as spool:
        size = 0
        for chunk in video().download(file):
            size += len(chunk)
            if file.size_bytes and size > file.size_bytes:
                raise ProviderError(f"file {file.file_id} is larger than announced", retryable=True)
            spool.write(chunk)
        if file.size_bytes and size != file.size_bytes:
            raise ProviderError(
                f"file {file.file_id}: {size} of {file.size_bytes} bytes", retryable=True
            )
        spool.seek(0)
        screened = None
        content: File[Any] = File(spool, name=name)
        if file.kind == TRANSCRIPT:  # text of a few kilobytes: screened whole
            text = spool.read(MAX_TRANSCRIPT_BYTES).decode("utf-8", errors="replace")
            screened = transcript_filter().screen(call=call, text=text)
            content = ContentFile(screened.text.encode(), name=name)
        storage.delete(name)
        return storage.save(name, content), screened


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
        .only(
            "call_id",
            "expires_at",
            "media",
            "transcript",
            "provider_deleted_at",
            "call__provider_meeting_id",
        )
    )


def _expire(batch: list[Recording], now: datetime) -> None:
    storage = recordings_storage()
    names = [field.name for row in batch for field in (row.media, row.transcript) if field.name]
    # The provider's copy usually went once ours was complete; only the rest are asked for.
    meetings = [
        row.call.provider_meeting_id if row.provider_deleted_at is None else "" for row in batch
    ]
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
        **gone,
        provider_deleted_at=Coalesce(F("provider_deleted_at"), Value(now)),
        next_attempt_at=None,
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
    # Collected completely (or waited long enough for a transcript), or expired.
    return Recording.objects.filter(
        status__in=[RecordingStatus.AVAILABLE, RecordingStatus.DELETED],
        provider_deleted_at__isnull=True,
        next_attempt_at__lte=now,
    ).select_related("call")


def _delete_provider_copy(recording: Recording, now: datetime) -> None:
    if _delete_at_provider(recording.call.provider_meeting_id):
        recording.provider_deleted_at, recording.next_attempt_at = now, None
        recording.save(update_fields=["provider_deleted_at", "next_attempt_at"])
    else:
        recording.save(update_fields=retry_later(recording, now=now))


def delete_provider_copy(call_id: str, *, now: datetime | None = None) -> None:
    """The provider's copy of one recording, permanently, once it is due (the fast path after
    collection; `retry_provider_deletions` is the sweep). Safe to run twice and at once."""
    now = now or clock.now()
    with transaction.atomic():
        recording = (
            _due_provider_deletions(now)
            .select_for_update(of=("self",))
            .filter(call_id=call_id)
            .first()
        )
        if recording is not None:
            _delete_provider_copy(recording, now)


def retry_provider_deletions(*, now: datetime | None = None) -> int:
    """Every provider copy that is due to go: after collection (C-11) or after expiry, when
    the provider failed to delete it the first time. `core.retry.retry_due`'s small batches:
    each row holds its lock while the provider answers."""
    now = now or clock.now()
    return retry_due(
        _due_provider_deletions, lambda recording: _delete_provider_copy(recording, now), now=now
    )
