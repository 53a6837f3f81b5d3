"""The test provider: the local one, plus a record of every request (`requests`, like
`mail.outbox`) and failures on demand (`fail_next`). `reset()` between tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from calls.providers import Meeting, ProviderError, RecordingFile
from calls.providers.local import LocalVideoBackend


@dataclass
class State:
    # (operation, arguments) in the order the provider received them.
    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # operation -> the error its next request raises.
    fail_next: dict[str, ProviderError] = field(default_factory=dict)
    # Recordings the provider still holds, by meeting (deleted ones leave).
    stored: set[str] = field(default_factory=set)

    def of(self, operation: str) -> list[dict[str, Any]]:
        return [arguments for name, arguments in self.requests if name == operation]


state = State()


def reset() -> None:
    global state
    state = State()


def _request(operation: str, **arguments: Any) -> None:
    state.requests.append((operation, arguments))
    error = state.fail_next.pop(operation, None)
    if error is not None:
        raise error


class LocmemVideoBackend(LocalVideoBackend):
    def create_meeting(
        self, *, topic: str, start_time: datetime, duration_minutes: int, host_id: str | None
    ) -> Meeting:
        _request(
            "create_meeting",
            topic=topic,
            start_time=start_time,
            duration_minutes=duration_minutes,
            host_id=host_id,
        )
        return super().create_meeting(
            topic=topic, start_time=start_time, duration_minutes=duration_minutes, host_id=host_id
        )

    def end_meeting(self, meeting_id: str) -> None:
        _request("end_meeting", meeting_id=meeting_id)
        state.stored.add(meeting_id)

    def fetch_recordings(self, meeting_id: str) -> list[RecordingFile]:
        _request("fetch_recordings", meeting_id=meeting_id)
        return super().fetch_recordings(meeting_id)

    def download(self, file: RecordingFile) -> Iterator[bytes]:
        _request("download", file_id=file.file_id)
        return super().download(file)

    def delete_recordings(self, meeting_id: str) -> None:
        _request("delete_recordings", meeting_id=meeting_id)
        state.stored.discard(meeting_id)
