"""The transcript filter seam (C-15): a call's transcript is screened before it is stored —
the filter may change what is stored (mask a card number) and report findings (raise a flag
on the call) once the recording is stored — without calls importing moderation, which sits
above it. Like the inbox's `MESSAGE_FILTER`.

`TRANSCRIPT_FILTER` names the filter by dotted path; `TranscriptFilter` passes every transcript
through unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

from calls.models import Call
from core.backends import load_backend


@dataclass(frozen=True)
class ScreenedTranscript:
    """What will be stored (`text`), the finding codes, and an excerpt for the staff who
    review them (never stored with the transcript)."""

    text: str
    findings: tuple[str, ...] = ()
    excerpt: str = ""


class TranscriptFilter:
    """The no-op filter, and the interface a real one implements."""

    def screen(self, *, call: Call, text: str) -> ScreenedTranscript:
        """Return what to store. Runs before the transcript is stored; must not write."""
        return ScreenedTranscript(text=text)

    def stored(self, call: Call, screened: ScreenedTranscript) -> None:
        """Runs in the transaction that stores the recording: the place to raise a flag on the
        call. Not called when nothing was found."""


def transcript_filter() -> TranscriptFilter:
    filter_: TranscriptFilter = load_backend("TRANSCRIPT_FILTER")
    return filter_
