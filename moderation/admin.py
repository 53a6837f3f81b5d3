"""Reports and flags in the support admin, read-only until the queue arrives."""

from __future__ import annotations

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from moderation.models import Flag, Report


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "reason", "call", "reporter", "reported_user", "status"]
    list_filter = ["status", "reason"]
    search_fields = ["call__id", "reporter__email", "reported_user__email"]
    list_select_related = ["call", "reporter", "reported_user"]


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "detector",
        "finding",
        "call",
        "message",
        "flagged_user",
        "status",
    ]
    list_filter = ["status", "detector"]
    list_select_related = ["call", "message", "flagged_user"]
