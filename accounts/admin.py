from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEntry, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    ordering = ["email"]
    list_display = ["email", "display_name", "standing", "seller_level", "buyer_tier", "is_staff"]
    list_filter = ["standing", "seller_level", "buyer_tier", "is_staff", "groups"]
    search_fields = ["email", "display_name"]
    # Standing is a state owned by moderation: it changes through services, never by editing.
    readonly_fields = ["standing", "standing_changed_at", "date_joined", "last_login"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "timezone", "language")}),
        (_("Marketplace"), {"fields": ("seller_level", "buyer_tier")}),
        (_("Standing"), {"fields": ("standing", "standing_changed_at")}),
        (
            _("Staff access"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "display_name", "password1", "password2"),
            },
        ),
    )


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """For records nobody edits in the admin (logs, ledgers, state owned by services)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "actor", "target_user", "object_type", "object_id"]
    list_filter = ["action"]
    search_fields = ["action", "target_user__email", "actor__email", "object_id"]
    list_select_related = ["actor", "target_user"]
    date_hierarchy = "at"
