"""The support team's view of the marketplace: everything readable, state changed only through
services (none exposed here yet), money and messages never editable."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.admin import ReadOnlyAdmin
from marketplace.models import (
    Conversation,
    Gig,
    GigExtra,
    LedgerEntry,
    Message,
    Order,
    OrderExtra,
    SellerStats,
    Withdrawal,
)


class GigExtraInline(admin.TabularInline[GigExtra, Gig]):
    model = GigExtra
    extra = 0
    can_delete = False
    readonly_fields = ["name", "price_cents"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Gig)
class GigAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "seller", "base_price_cents", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["title", "seller__email"]
    list_select_related = ["seller"]
    inlines = [GigExtraInline]


class OrderExtraInline(admin.TabularInline[OrderExtra, Order]):
    model = OrderExtra
    extra = 0
    can_delete = False
    readonly_fields = ["name", "price_cents"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "buyer", "seller", "status", "placed_at"]
    list_filter = ["status"]
    search_fields = ["id", "title", "buyer__email", "seller__email"]
    list_select_related = ["buyer", "seller"]
    date_hierarchy = "placed_at"
    inlines = [OrderExtraInline]


class MessageInline(admin.TabularInline[Message, Conversation]):
    model = Message
    extra = 0
    can_delete = False
    fields = ["created_at", "sender", "kind", "body"]
    readonly_fields = ["created_at", "sender", "kind", "body"]
    ordering = ["-id"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyAdmin):
    list_display = ["id", "user_low", "user_high", "last_message_at"]
    search_fields = ["id", "user_low__email", "user_high__email"]
    list_select_related = ["user_low", "user_high"]
    inlines = [MessageInline]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "user", "bucket", "kind", "amount_cents", "order"]
    list_filter = ["bucket", "kind"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["order", "withdrawal", "clears"]


@admin.register(Withdrawal)
class WithdrawalAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "amount_cents", "status", "created_at", "settled_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "id"]
    list_select_related = ["user"]


@admin.register(SellerStats)
class SellerStatsAdmin(ReadOnlyAdmin):
    list_display = [
        "seller",
        "completed_orders",
        "completed_base_cents",
        "completed_gross_cents",
        "last_order_at",
    ]
    search_fields = ["seller__email"]
    list_select_related = ["seller"]
