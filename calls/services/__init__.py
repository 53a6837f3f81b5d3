"""Every write of the calls app: calls themselves (`meetings`), their recordings
(`recordings`), and what the provider tells us by webhook (`provider_events`)."""

from calls.services.meetings import (
    COLLECT_RECORDING,
    END_MEETING,
    InviteError,
    end_call,
    end_overdue_calls,
    end_provider_meeting,
    invite_participants,
    join_call,
    mark_call_started,
    start_call,
)
from calls.services.provider_events import (
    DRAIN_EVENTS,
    apply_provider_event,
    drain_provider_events,
    record_provider_event,
    retry_provider_events,
)
from calls.services.recordings import (
    DELETE_PROVIDER_COPY,
    EXPIRY_WORKERS,
    collect_recording,
    delete_provider_copy,
    expire_recordings,
    recording_name,
    retry_provider_deletions,
    retry_recordings,
)

__all__ = [
    "COLLECT_RECORDING",
    "DELETE_PROVIDER_COPY",
    "DRAIN_EVENTS",
    "END_MEETING",
    "EXPIRY_WORKERS",
    "InviteError",
    "apply_provider_event",
    "collect_recording",
    "delete_provider_copy",
    "drain_provider_events",
    "end_call",
    "end_overdue_calls",
    "end_provider_meeting",
    "expire_recordings",
    "invite_participants",
    "join_call",
    "mark_call_started",
    "record_provider_event",
    "recording_name",
    "retry_provider_deletions",
    "retry_provider_events",
    "retry_recordings",
    "start_call",
]
