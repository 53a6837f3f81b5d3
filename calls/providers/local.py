"""The offline video provider: the meeting is our own call room page (`calls:room`), and its
recording is made when it is asked for — a few seconds of real audio (WAV, which browsers play)
and a transcript — from the meeting id alone, so web and worker processes need no shared state.
"""

from __future__ import annotations

import io
import math
import secrets
import struct
import wave
from collections.abc import Iterator
from datetime import datetime

from django.urls import reverse

from calls.providers import MEDIA, TRANSCRIPT, Meeting, RecordingFile

SAMPLE_RATE = 8000
SECONDS = 3


def tone(meeting_id: str) -> bytes:
    """A three-note chime, different per meeting: a playable WAV of a few kilobytes."""
    base = 330 + int(meeting_id[:4], 16) % 220
    frames = bytearray()
    for index in range(SAMPLE_RATE * SECONDS):
        note = base * (1, 1.25, 1.5)[index * 3 // (SAMPLE_RATE * SECONDS)]
        fade = min(1.0, (SAMPLE_RATE * SECONDS - index) / 800)
        sample = int(9000 * fade * math.sin(2 * math.pi * note * index / SAMPLE_RATE))
        frames += struct.pack("<h", sample)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(bytes(frames))
    return buffer.getvalue()


def transcript(meeting_id: str) -> bytes:
    return (
        "WEBVTT\n\n"
        "00:00:00.000 --> 00:00:03.000\n"
        f"[Recorded on the local video backend, meeting {meeting_id}.]\n"
    ).encode()


class LocalVideoBackend:
    def create_meeting(
        self, *, topic: str, start_time: datetime, duration_minutes: int, host_id: str | None
    ) -> Meeting:
        meeting_id = secrets.token_hex(16)
        return Meeting(
            meeting_id=meeting_id,
            # Our own page, so a path: it works on whatever host serves the app.
            join_url=reverse("calls:room", args=[meeting_id]),
            host_id=host_id or "local-host",
            start_time=start_time,
            duration_minutes=duration_minutes,
        )

    def end_meeting(self, meeting_id: str) -> None:
        """Nothing to tell: the room page reads the call's state from our database."""

    def fetch_recordings(self, meeting_id: str) -> list[RecordingFile]:
        return [
            RecordingFile(
                f"{meeting_id}-media", MEDIA, "audio/wav", "wav", len(tone(meeting_id)), "local:"
            ),
            RecordingFile(
                f"{meeting_id}-transcript",
                TRANSCRIPT,
                "text/vtt",
                "vtt",
                len(transcript(meeting_id)),
                "local:",
            ),
        ]

    def download(self, file: RecordingFile) -> Iterator[bytes]:
        meeting_id = file.file_id.rsplit("-", 1)[0]
        yield tone(meeting_id) if file.kind == MEDIA else transcript(meeting_id)

    def delete_recordings(self, meeting_id: str) -> None:
        """Nothing is kept here: every copy is ours, deleted by the expiry job."""
