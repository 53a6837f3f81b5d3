"""Admin bases for records nobody edits in the admin (logs, ledgers, state owned by services),
and the read-only list of notices sent."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from core.models import Notification


class _NobodyEdits:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(_NobodyEdits, admin.ModelAdmin[Any]):
    """Viewable by whoever has the view permission; added, changed and deleted by nobody."""


class ReadOnlyInline(_NobodyEdits, admin.TabularInline[Any, Any]):
    """Rows shown under their parent, never added, changed or deleted there."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.fields or [f.name for f in self.model._meta.fields])


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "kind", "read_at", "email_status", "emailed_at"]
    list_filter = ["kind", "email_status"]
    search_fields = ["user__email", "kind"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Notification]:
        return super().get_queryset(request).select_related("user")
