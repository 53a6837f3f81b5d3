"""The video provider, chosen by dotted path in `VIDEO_BACKEND` (`core.backends`).

The interface is Zoom's meeting and recording model, reduced to what the product does with it:
create a meeting (topic, start, duration, host), end it, list its recording files, download one,
and delete them all permanently. Backends return these dataclasses, never provider JSON, and
raise `ProviderError` (retryable or not).

- `local` (the default of `make run`): meetings are our own call room page; ending one yields a
  few seconds of real audio and a transcript, generated on the spot, so the whole journey —
  expiry included — works offline.
- `locmem` (tests): `local` plus a record of every request, like `mail.outbox`, and failures
  on demand.
- `zoom` (production): Zoom's REST API with Server-to-Server OAuth (`calls/providers/zoom.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.backends import ProviderError, load_backend

__all__ = ["Meeting", "ProviderError", "RecordingFile", "VideoBackend", "video"]

MEDIA = "media"
TRANSCRIPT = "transcript"


@dataclass(frozen=True)
class Meeting:
    meeting_id: str
    join_url: str
    # The provider's user hosting it (one of the platform's licensed users).
    host_id: str
    start_time: datetime
    duration_minutes: int


@dataclass(frozen=True)
class RecordingFile:
    # Unique at the provider: a retried notice of the same file is recognised by it.
    file_id: str
    # MEDIA (what participants play) or TRANSCRIPT.
    kind: str
    content_type: str
    extension: str
    size_bytes: int
    download_url: str
    # A short-lived token for this download (Zoom's webhooks carry one); empty: the backend's own
    # credentials.
    download_token: str = ""


class VideoBackend(Protocol):
    def create_meeting(
        self, *, topic: str, start_time: datetime, duration_minutes: int, host_id: str | None
    ) -> Meeting: ...

    def end_meeting(self, meeting_id: str) -> None: ...

    def fetch_recordings(self, meeting_id: str) -> list[RecordingFile]:
        """The meeting's recording files; empty while the provider is still processing."""
        ...

    def download(self, file: RecordingFile) -> Iterator[bytes]: ...

    def delete_recordings(self, meeting_id: str) -> None:
        """Delete every recording of the meeting permanently (not to a trash); nothing to
        delete is not an error."""
        ...


def video() -> VideoBackend:
    backend: VideoBackend = load_backend("VIDEO_BACKEND")
    return backend
