"""Every write of the calls app: calls themselves (`meetings`), their recordings
(`recordings`), and what the provider tells us by webhook (`provider_events`)."""

from calls.services.meetings import (
    COLLECT_RECORDING,
    END_MEETING,
    InviteError,
    end_call,
    end_provider_meeting,
    invite_participants,
    join_call,
    start_call,
)
from calls.services.recordings import (
    EXPIRY_WORKERS,
    collect_recording,
    expire_recordings,
    recording_name,
    retry_provider_deletions,
    retry_recordings,
)

__all__ = [
    "COLLECT_RECORDING",
    "END_MEETING",
    "EXPIRY_WORKERS",
    "InviteError",
    "collect_recording",
    "end_call",
    "end_provider_meeting",
    "expire_recordings",
    "invite_participants",
    "join_call",
    "recording_name",
    "retry_provider_deletions",
    "retry_recordings",
    "start_call",
]
