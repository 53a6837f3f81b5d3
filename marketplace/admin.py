"""The support team's view of the marketplace: everything readable, state changed only through
services (none exposed here yet), money and messages never editable."""

from __future__ import annotations

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline
from marketplace.models import (
    BalanceHold,
    CardRefund,
    Conversation,
    Gig,
    GigExtra,
    LedgerEntry,
    Message,
    Order,
    OrderExtra,
    OrderNote,
    SellerStats,
    Withdrawal,
)


class GigExtraInline(ReadOnlyInline):
    model = GigExtra
    fields = ["name", "price_cents"]


@admin.register(Gig)
class GigAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "seller", "base_price_cents", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["title", "seller__email"]
    list_select_related = ["seller"]
    inlines = [GigExtraInline]


class OrderExtraInline(ReadOnlyInline):
    model = OrderExtra
    fields = ["name", "price_cents"]


class OrderNoteInline(ReadOnlyInline):
    model = OrderNote
    fields = ["created_at", "author", "about", "body"]


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "buyer", "seller", "status", "placed_at"]
    list_filter = ["status"]
    search_fields = ["id", "title", "buyer__email", "seller__email"]
    list_select_related = ["buyer", "seller"]
    date_hierarchy = "placed_at"
    inlines = [OrderExtraInline, OrderNoteInline]


class MessageInline(ReadOnlyInline):
    model = Message
    fields = ["created_at", "sender", "kind", "body"]
    ordering = ["-id"]


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyAdmin):
    list_display = ["id", "user_low", "user_high", "last_message_at"]
    search_fields = ["id", "user_low__email", "user_high__email"]
    list_select_related = ["user_low", "user_high"]
    inlines = [MessageInline]


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    """One message on its own page: what a warning's evidence links to (M-1)."""

    list_display = ["id", "created_at", "conversation", "sender", "kind", "body"]
    list_filter = ["kind"]
    search_fields = ["=id", "sender__email"]
    list_select_related = ["sender"]
    show_full_result_count = False  # a million messages: no COUNT(*) per page


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "user", "bucket", "kind", "amount_cents", "order"]
    list_filter = ["bucket", "kind"]
    search_fields = ["user__email", "reference"]
    list_select_related = ["user"]
    raw_id_fields = ["order", "withdrawal", "card_refund", "hold", "clears"]


@admin.register(BalanceHold)
class BalanceHoldAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "status", "held_at", "releases_at", "window_closes_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "id"]
    list_select_related = ["user"]


@admin.register(CardRefund)
class CardRefundAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "amount_cents", "status", "created_at", "settled_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "id", "charge_reference"]
    list_select_related = ["user"]


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
