"""Calls in the support admin: read-only, status and expiry at a glance, never a recording's
content (staff open a reported call's recording through moderation, audited: C-12)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from calls import selectors
from calls.models import Call, HostDay, Participant, ProviderEvent, Recording
from core import clock, formatting
from core.admin import ReadOnlyAdmin, ReadOnlyInline


class ParticipantInline(ReadOnlyInline):
    model = Participant
    fields = ["user", "role", "invited_by", "created_at", "joined_at"]


@admin.register(Call)
class CallAdmin(ReadOnlyAdmin):
    list_display = [
        "topic",
        "host",
        "status",
        "scheduled_for",
        "provider_host_id",
        "ended_at",
        "recording_status",
        "recording_expires",
    ]
    list_filter = ["status"]
    search_fields = ["id", "host__email", "topic"]
    date_hierarchy = "scheduled_for"
    exclude = ["provider_join_url"]  # the provider's link is for participants' join only
    readonly_fields = ["recording_status", "recording_expires", "staff_recording"]
    inlines = [ParticipantInline]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Call]:
        return super().get_queryset(request).select_related("host", "recording")

    @admin.display(description=_("recording"))
    def recording_status(self, call: Call) -> str:
        recording = getattr(call, "recording", None)
        return str(recording.get_status_display()) if recording else formatting.MISSING

    @admin.display(description=_("recording deleted after"))
    def recording_expires(self, call: Call) -> Any:
        recording = getattr(call, "recording", None)
        return recording.expires_at if recording else None

    @admin.display(description=_("open the recording"))
    def staff_recording(self, call: Call) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("moderation:staff_recording", args=[call.pk]),
            _("Only for a reported or flagged call, with a reason (audited)"),
        )


@admin.register(Recording)
class RecordingAdmin(ReadOnlyAdmin):
    list_display = [
        "call",
        "status",
        "expires_at",
        "available_at",
        "deleted_at",
        "provider_deleted_at",
    ]
    list_filter = ["status"]
    search_fields = ["call__id"]
    # Names and sizes, never the files: there is no link to a recording's content here.
    fields = [
        "call",
        "status",
        "expires_at",
        "media_type",
        "media_bytes",
        "available_at",
        "deleted_at",
        "provider_deleted_at",
        "attempts",
        "next_attempt_at",
    ]
    list_select_related = ["call"]


@admin.register(HostDay)
class HostDayAdmin(ReadOnlyAdmin):
    """The provider's host pool: today's use of each host above, every day's counts below."""

    change_list_template = "admin/calls/hostday/change_list.html"
    list_display = ["day", "host", "creates"]
    list_filter = ["host"]
    date_hierarchy = "day"
    ordering = ["-day", "host"]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> Any:
        context = {**(extra_context or {}), "pool_today": selectors.pool_today(clock.now())}
        return super().changelist_view(request, context)


@admin.register(ProviderEvent)
class ProviderEventAdmin(ReadOnlyAdmin):
    """The provider's webhook log, read-only: what arrived, when, and what became of it."""

    list_display = ["received_at", "event", "meeting_id", "outcome", "applied_at", "attempts"]
    list_filter = ["event", "outcome"]
    search_fields = ["=meeting_id", "=meeting_uuid"]
    date_hierarchy = "received_at"
    fields = [
        "event",
        "meeting_id",
        "meeting_uuid",
        "received_at",
        "outcome",
        "applied_at",
        "attempts",
        "next_attempt_at",
        "body_without_secrets",
    ]
    readonly_fields = ["body_without_secrets"]

    @admin.display(description=_("body"))
    def body_without_secrets(self, event: ProviderEvent) -> str:
        # The download token opens the recording's files at Zoom for a while: not for display.
        body = (
            {**event.body, "download_token": "…"} if "download_token" in event.body else event.body
        )
        return format_html("<pre>{}</pre>", json.dumps(body, indent=2, ensure_ascii=False))
