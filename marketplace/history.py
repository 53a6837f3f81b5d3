"""A ledger entry said in words, for the wallet's history (page and API): what happened, to
which order, in the reader's language — the ledger itself stores only kinds and buckets."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core import formatting
from marketplace.models import EntryKind, LedgerEntry, Withdrawal, WithdrawalStatus


def explain(entry: LedgerEntry) -> str:
    title = entry.order.title if entry.order_id and entry.order else ""
    kind = entry.kind
    if kind == EntryKind.EARNING:
        text = _("Earning from “%(order)s”") % {"order": title}
        if entry.available_at:
            text += " · " + _("available from %(day)s") % {
                "day": formatting.day(entry.available_at)
            }
        return text
    about_order = {
        EntryKind.TIP: _("Tip on “%(order)s”"),
        EntryKind.PAYMENT: _("Paid by card for “%(order)s”"),
        EntryKind.REFUND: _("Refund of the cancelled order “%(order)s”"),
        EntryKind.CREDIT_USED: _("Credit used for “%(order)s”"),
    }
    if title and kind in about_order:
        return about_order[EntryKind(kind)] % {"order": title}
    # A movement between two balances has two entries: money out of one, into the other.
    moved_in = entry.amount_cents > 0
    if kind == EntryKind.CLEARING and title:
        cleared = (
            _("“%(order)s” cleared: now available to withdraw")
            if moved_in
            else _("“%(order)s” cleared: out of pending clearance")
        )
        return cleared % {"order": title}
    words = {
        EntryKind.CLEARING: _("Cleared: now available to withdraw")
        if moved_in
        else _("Cleared: out of pending clearance"),
        EntryKind.WITHDRAWAL: _("Withdrawal to your bank account"),
        EntryKind.WITHDRAWAL_REVERSED: _("Withdrawal returned: the payout did not go through"),
        EntryKind.HOLD: _("Held after the account was banned")
        if moved_in
        else _("Moved to the held balance"),
        EntryKind.RELEASE: _("Hold released"),
        EntryKind.UNCLAIMED: _("Not withdrawn in the window: marked unclaimed"),
        EntryKind.CARD_REFUND: _("Credit refunded to your card"),
        EntryKind.CARD_REFUND_REVERSED: _("The refund to your card failed: back as credit"),
    }
    return words.get(EntryKind(kind)) or str(entry.get_kind_display())


def withdrawal_status(withdrawal: Withdrawal) -> str:
    """Where a withdrawal stands, in words."""
    if withdrawal.status == WithdrawalStatus.PAID:
        return _("Paid out to your bank account.")
    if withdrawal.status == WithdrawalStatus.FAILED:
        return _("The bank refused it; the amount is back in your balance.")
    return _("On its way: the payout is being sent to your bank.")
