"""Video calls (C-): a call between a seller and the people they invited, its participants, and
its recording, kept exactly `RECORDING_RETENTION_DAYS` after the call ended (C-11, J-1).

A call is hosted by the video provider (`calls.providers`); what the provider calls a meeting is
`provider_meeting_id` here. Its join URL never reaches a browser directly: participants join
through our own link (`/calls/<id>/join/`), which checks who is asking first.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.models import Deferred
from marketplace.models import Conversation, Order


def recordings_storage() -> Storage:
    """The `recordings` storage alias (settings.STORAGES): private, never a public URL."""
    return storages["recordings"]


class CallStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    LIVE = "live", _("Live")
    ENDED = "ended", _("Ended")


class Call(models.Model):
    OPEN_STATUSES: ClassVar[tuple[str, ...]] = (CallStatus.SCHEDULED, CallStatus.LIVE)

    # Unguessable: the call's pages and join link carry it.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conversation = models.ForeignKey(Conversation, on_delete=models.PROTECT, related_name="+")
    # The seller who started it (C-1); the platform's account hosts it at the provider (C-2).
    host = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # The active order the call is about, if any: the summary after the call goes there (C-13).
    order = models.ForeignKey(
        Order, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    topic = models.CharField(_("topic"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=CallStatus.choices, default=CallStatus.SCHEDULED
    )
    scheduled_for = models.DateTimeField(_("scheduled for"))
    duration_minutes = models.PositiveSmallIntegerField(_("planned minutes"))
    # scheduled_for + duration: the window the host is booked for (the pool never gives a host
    # two calls whose windows overlap).
    planned_end_at = models.DateTimeField(_("planned end"))
    provider_meeting_id = models.CharField(max_length=200, blank=True)
    # The provider's user hosting the meeting: one of the pool (`VIDEO_HOSTS`), empty without one.
    provider_host_id = models.CharField(_("host at the provider"), max_length=200, blank=True)
    # The provider's join URL: handed out only by the join view, to a logged-in participant.
    provider_join_url = models.URLField(max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created"), default=now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            # Two clicks at once start one call: a conversation has at most one open call.
            models.UniqueConstraint(
                fields=["conversation"],
                condition=Q(status__in=["scheduled", "live"]),
                name="calls_one_open_call_per_conversation",
            ),
            models.CheckConstraint(
                condition=Q(status__in=CallStatus.values), name="calls_call_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="ended", ended_at__isnull=False)
                | (~Q(status="ended") & Q(ended_at__isnull=True)),
                name="calls_call_ended_when_ended_at",
            ),
        ]
        indexes = [
            models.Index(fields=["conversation", "-created_at"], name="calls_call_conv"),
            # The pool's overlap check: a host's open calls by time.
            models.Index(
                fields=["provider_host_id", "scheduled_for"],
                condition=Q(status__in=["scheduled", "live"]),
                name="calls_call_host_open",
            ),
            # Every provider event finds its call by the meeting id (`provider_events._apply`).
            models.Index(
                fields=["provider_meeting_id"],
                condition=~Q(provider_meeting_id=""),
                name="calls_call_meeting",
            ),
        ]

    def __str__(self) -> str:
        return self.topic

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class HostDay(models.Model):
    """How many meetings the platform asked the provider to create on one host user on one UTC
    day: Zoom allows 100. Its row is also the lock a start takes on the host while it checks and
    books it, so two starts never book one host at once."""

    host = models.CharField(_("host"), max_length=200)
    day = models.DateField(_("day (UTC)"))
    creates = models.PositiveIntegerField(_("meetings created"), default=0)

    class Meta:
        verbose_name = _("host's day")
        verbose_name_plural = _("host pool")
        constraints = [models.UniqueConstraint(fields=["host", "day"], name="calls_hostday_once")]

    def __str__(self) -> str:
        return f"{self.host} {self.day}"


class ParticipantRole(models.TextChoices):
    HOST = "host", _("Seller (host)")
    PARTY = "party", _("Other party")
    INVITED = "invited", _("Invited")


class Participant(models.Model):
    """Who may join the call and play its recording (C-8, C-11)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="call_participations")
    role = models.CharField(_("role"), max_length=16, choices=ParticipantRole.choices)
    invited_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), default=now)
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="calls_participant_once"),
            models.CheckConstraint(
                condition=Q(role__in=ParticipantRole.values), name="calls_participant_role_valid"
            ),
        ]
        # "My calls" and the access check walk from the user.
        indexes = [models.Index(fields=["user", "call"], name="calls_participant_user")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.call_id}"


class RecordingStatus(models.TextChoices):
    # The call ended; the provider's files are on their way (`Deferred`: the row is the
    # schedule of fetching them, so a lost task or a provider outage delays, never loses).
    PENDING = "pending", _("Being prepared")
    AVAILABLE = "available", _("Available")
    # Past its retention: the files are gone from our storage and the provider's; the row stays
    # as the record that the recording existed and when it was deleted (C-11).
    DELETED = "deleted", _("Deleted")


class Recording(Deferred):
    """The recording of one call: a playable media file and a transcript. Readable by the
    call's participants from the end of the call until `expires_at`, checked when it is read
    (`calls.selectors.recording_for`), whatever the expiry job has or has not done yet."""

    call = models.OneToOneField(
        Call, on_delete=models.PROTECT, primary_key=True, related_name="recording"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RecordingStatus.choices,
        default=RecordingStatus.PENDING,
    )
    # The end of the call plus the retention (J-1's due date).
    expires_at = models.DateTimeField(_("deleted after"))
    media = models.FileField(storage=recordings_storage, max_length=300, blank=True)
    media_type = models.CharField(max_length=100, blank=True)
    media_bytes = models.PositiveBigIntegerField(default=0)
    transcript = models.FileField(storage=recordings_storage, max_length=300, blank=True)
    # The provider's ids of the files stored (unique: a file is stored once, by one recording).
    media_file_id = models.CharField(max_length=200, blank=True)
    transcript_file_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=now)
    available_at = models.DateTimeField(_("available since"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    # When the provider's copy was deleted for good (never left to its trash, C-11).
    provider_deleted_at = models.DateTimeField(_("provider copy deleted"), null=True, blank=True)

    class Meta:
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RecordingStatus.values),
                name="calls_recording_status_valid",
            ),
            models.UniqueConstraint(
                fields=["media_file_id"],
                condition=~Q(media_file_id=""),
                name="calls_recording_media_file_once",
            ),
            models.UniqueConstraint(
                fields=["transcript_file_id"],
                condition=~Q(transcript_file_id=""),
                name="calls_recording_transcript_file_once",
            ),
        ]
        indexes = [
            # J-1 walks only what is still stored, by due date: the index does not grow with
            # the history of deleted recordings.
            models.Index(
                fields=["expires_at", "call"],
                condition=~Q(status="deleted"),
                name="calls_recording_due",
            ),
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(next_attempt_at__isnull=False),
                name="calls_recording_retry",
            ),
        ]

    def __str__(self) -> str:
        return f"recording of {self.call_id}"

    def is_expired(self, at: datetime) -> bool:
        return at >= self.expires_at


class EventOutcome(models.TextChoices):
    PENDING = "pending", _("To be applied")
    APPLIED = "applied", _("Applied")
    # Kept for the record: a meeting this product did not create (another app of the account,
    # or one deleted since).
    UNKNOWN_MEETING = "unknown_meeting", _("Unknown meeting, ignored")


class ProviderEvent(Deferred):
    """The provider's webhook log: each event the endpoint accepted, once. Zoom's events have no
    id and are retried, so `key` is the business key its retries repeat (the meeting instance's
    UUID and the event, the participant for a join), unique here. Applied by a task after the
    endpoint answered; `Deferred`, so a lost task is applied by `retry_provider_events`."""

    event = models.CharField(_("event"), max_length=60)
    key = models.CharField(max_length=300, unique=True)
    meeting_id = models.CharField(_("meeting id"), max_length=200)
    meeting_uuid = models.CharField(_("meeting UUID"), max_length=200)
    body = models.JSONField()
    received_at = models.DateTimeField(_("received"), default=now)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=EventOutcome.choices, default=EventOutcome.PENDING
    )
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        verbose_name = _("provider event")
        verbose_name_plural = _("provider events")
        indexes = [
            models.Index(fields=["meeting_id", "received_at"], name="calls_event_meeting"),
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(next_attempt_at__isnull=False),
                name="calls_event_retry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.meeting_id}"
