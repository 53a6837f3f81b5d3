"""The marketplace's audit actions (the registry is `accounts.audit`). The order's actions come
from its state table: one per row, named after what happened."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.audit import AuditAction, audit_action
from marketplace import order_states

ORDER_ACTIONS: dict[str, AuditAction] = {
    row.happened: audit_action(f"marketplace.order_{row.happened}", row.done)
    for row in order_states.TRANSITIONS
}
GIG_CREATED = audit_action("marketplace.gig_created", _("Gig offered"))
GIG_UPDATED = audit_action("marketplace.gig_updated", _("Gig changed"))
ORDER_NOTE_ADDED = audit_action("marketplace.order_note_added", _("Note added to an order"))
WITHDRAWAL_REQUESTED = audit_action("marketplace.withdrawal_requested", _("Withdrawal requested"))
WITHDRAWAL_PAID = audit_action("marketplace.withdrawal_paid", _("Withdrawal paid out"))
WITHDRAWAL_FAILED = audit_action("marketplace.withdrawal_failed", _("Withdrawal refused"))
BALANCE_HELD = audit_action("marketplace.balance_held", _("Balance held"))
PAYOUT_WINDOW_OPENED = audit_action(
    "marketplace.payout_window_opened", _("Withdrawal window opened")
)
PAYOUT_WINDOW_CLOSED = audit_action(
    "marketplace.payout_window_closed", _("Withdrawal window closed, remainder unclaimed")
)
HOLD_RELEASED = audit_action("marketplace.hold_released", _("Held balance released"))
CARD_REFUND_REQUESTED = audit_action(
    "marketplace.card_refund_requested", _("Credit refunded to card")
)
CARD_REFUND_SETTLED = audit_action("marketplace.card_refund_settled", _("Refund to card done"))
CARD_REFUND_FAILED = audit_action("marketplace.card_refund_failed", _("Refund to card refused"))
