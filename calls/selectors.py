"""Reads of the calls app that decide what a user may see: a call and its recording exist only
for the call's participants (everyone else gets 404 and learns nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Count, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from calls.errors import RECORDING_EXPIRED, RECORDING_NOT_READY, RecordingExpired
from calls.models import Call, CallStatus, HostDay, Participant, Recording, RecordingStatus
from core import clock
from core.errors import DomainError
from marketplace.models import Conversation


class RecordingNotReady(DomainError):
    default = RECORDING_NOT_READY


def calls_of(user: User) -> QuerySet[Call]:
    return Call.objects.filter(participants__user=user)


def call_for(user: User, call_id: object) -> Call:
    """The call, for one of its participants; 404 for everyone else."""
    return get_object_or_404(calls_of(user).select_related("host", "order"), pk=call_id)


def call_by_meeting(user: User, meeting_id: str) -> Call:
    return get_object_or_404(calls_of(user), provider_meeting_id=meeting_id)


def participants_of(call: Call) -> QuerySet[Participant]:
    return call.participants.select_related("user").order_by("created_at", "id")


def open_call_in(conversation: Conversation) -> Call | None:
    return Call.objects.filter(conversation=conversation, status__in=Call.OPEN_STATUSES).first()


def readable_recording(call: Call, *, now: datetime | None = None) -> Recording:
    """The call's recording if it may be played at `now`, whoever asks (callers have checked
    who): never before the call ended (404), not until it has been collected (404
    `recording_not_ready`), never after the end plus the retention (410 `recording_expired`) —
    decided here, at read time, whatever the expiry job has or has not done yet."""
    now = now or clock.now()
    if call.status != CallStatus.ENDED or call.ended_at is None or now < call.ended_at:
        raise Http404
    recording = Recording.objects.filter(call=call).first()
    if recording is None:
        raise RecordingNotReady()
    if recording.is_expired(now) or recording.status == RecordingStatus.DELETED:
        raise RecordingExpired(RECORDING_EXPIRED)
    if recording.status != RecordingStatus.AVAILABLE:
        raise RecordingNotReady()
    return recording


def recording_for(user: User, call_id: object, *, now: datetime | None = None) -> Recording:
    """C-11: a participant's recording, only after the call and only within the retention."""
    return readable_recording(call_for(user, call_id), now=now)


@dataclass(frozen=True)
class HostUse:
    host: str
    creates: int
    limit: int
    open_calls: int

    @property
    def left(self) -> int:
        return max(self.limit - self.creates, 0)


def pool_today(now: datetime) -> list[HostUse]:
    """Each host of the pool (`VIDEO_HOSTS`) with the meetings created on it today (UTC) and
    its open calls: what support sees of the provider's capacity."""
    hosts = settings.VIDEO_HOSTS
    creates = dict(
        HostDay.objects.filter(day=now.astimezone(UTC).date(), host__in=hosts).values_list(
            "host", "creates"
        )
    )
    open_calls = dict(
        Call.objects.filter(provider_host_id__in=hosts, status__in=Call.OPEN_STATUSES)
        .values("provider_host_id")
        .annotate(n=Count("pk"))
        .values_list("provider_host_id", "n")
    )
    limit = settings.VIDEO_HOST_DAILY_CREATES
    return [HostUse(h, creates.get(h, 0), limit, open_calls.get(h, 0)) for h in hosts]
