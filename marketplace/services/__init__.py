"""Every write of the marketplace (STYLE: services for writes), one module per area."""

from marketplace.services.gigs import create_gig, update_gig
from marketplace.services.holds import (
    close_payout_window,
    hold_balance,
    hold_for_token,
    open_payout_window,
    release_hold,
    return_unclaimed,
    withdraw_held_balance,
)
from marketplace.services.inbox import mark_read, post_message, send_message, start_conversation
from marketplace.services.notes import add_order_note
from marketplace.services.orders import (
    accept_order,
    cancel_open_orders_of,
    cancel_order,
    deliver_order,
    place_order,
    request_revision,
    tip_order,
)
from marketplace.services.refunds import refund_credit_to_card, settle_card_refund
from marketplace.services.stats import reconcile_seller_stats
from marketplace.services.wallet import clear_pending_earnings, pay_out_withdrawal, withdraw_funds

__all__ = [
    "accept_order",
    "add_order_note",
    "cancel_open_orders_of",
    "cancel_order",
    "clear_pending_earnings",
    "close_payout_window",
    "create_gig",
    "deliver_order",
    "hold_balance",
    "hold_for_token",
    "mark_read",
    "open_payout_window",
    "pay_out_withdrawal",
    "place_order",
    "post_message",
    "reconcile_seller_stats",
    "refund_credit_to_card",
    "release_hold",
    "request_revision",
    "return_unclaimed",
    "send_message",
    "settle_card_refund",
    "start_conversation",
    "tip_order",
    "update_gig",
    "withdraw_funds",
    "withdraw_held_balance",
]
