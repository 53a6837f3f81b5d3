"""Every read that decides what a user may see. An outsider's lookup raises Http404."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.permissions import in_good_standing_q
from core import clock
from core.errors import ErrorCode
from marketplace import money
from marketplace.errors import (
    NOTHING_HELD,
    PAYOUT_LINK_EXPIRED,
    PAYOUT_LINK_INVALID,
    PAYOUT_LINK_USED,
)
from marketplace.models import (
    Balance,
    BalanceHold,
    Bucket,
    Conversation,
    Gig,
    GigStatus,
    HoldStatus,
    LedgerEntry,
    Message,
    Order,
    OrderNote,
    SellerStats,
    Withdrawal,
    WithdrawalStatus,
)


# ---------------------------------------------------------------- gigs
def public_gigs(*, search: str = "") -> QuerySet[Gig]:
    """Active gigs of sellers in good standing (K-1: a restricted or banned seller's gigs are
    hidden everywhere)."""
    gigs = Gig.objects.filter(status=GigStatus.ACTIVE).filter(in_good_standing_q("seller__"))
    if search:
        gigs = gigs.filter(Q(title__icontains=search) | Q(description__icontains=search))
    return gigs.select_related("seller").prefetch_related("extras").order_by("-id")


def gigs_of(seller: User) -> QuerySet[Gig]:
    return Gig.objects.filter(seller=seller).prefetch_related("extras").order_by("-id")


def own_gig(seller: User, gig_id: int) -> Gig:
    """A gig its seller may edit or pause; anyone else's is 404."""
    return get_object_or_404(gigs_of(seller), pk=gig_id)


def gig_for(user: User | None, gig_id: int) -> Gig:
    """A public gig, or the viewer's own gig in any state; anything else is 404."""
    visible = public_gigs()
    if user is not None and user.is_authenticated:
        visible = (
            Gig.objects.filter(Q(pk__in=public_gigs().values("pk")) | Q(seller=user))
            .select_related("seller")
            .prefetch_related("extras")
        )
    return get_object_or_404(visible, pk=gig_id)


# ---------------------------------------------------------------- orders
ORDER_ROLES = ("buying", "selling")


def _orders(mine: Q) -> QuerySet[Order]:
    return (
        Order.objects.filter(mine).select_related("buyer", "seller").order_by("-placed_at", "-id")
    )


def orders_of(user: User) -> QuerySet[Order]:
    """Every order the user buys or sells (for looking one up; lists use `order_lists`)."""
    return _orders(Q(buyer=user) | Q(seller=user)).prefetch_related("extras")


def order_lists(user: User, *, role: str | None = None) -> list[QuerySet[Order]]:
    """The sides of the user's order list, each walking its own (user, placed_at) index: the
    orders they buy, those they sell, or both (merged page by page by
    `core.pagination.MergedNewestFirst`, which also fetches the page's extras, so "all" costs
    what one side costs, however many orders the user has; an OR of both read every one of
    them, docs/performance.md)."""
    sides = {"buying": Q(buyer=user), "selling": Q(seller=user)}
    return [_orders(mine) for name, mine in sides.items() if role in (None, name)]


def order_for(user: User, order_id: object) -> Order:
    """One of the user's orders with its notes (the order page's timeline)."""
    notes = OrderNote.objects.select_related("author").order_by("created_at", "id")
    return get_object_or_404(
        orders_of(user).prefetch_related(Prefetch("notes", queryset=notes)), pk=order_id
    )


def has_open_order_between(a: User, b: User) -> bool:
    return Order.objects.filter(
        Q(buyer=a, seller=b) | Q(buyer=b, seller=a), status__in=Order.OPEN_STATUSES
    ).exists()


# ---------------------------------------------------------------- inbox
def conversations_of(user: User) -> QuerySet[Conversation]:
    return (
        Conversation.objects.filter(Q(user_low=user) | Q(user_high=user))
        .select_related("user_low", "user_high", "last_message")
        .order_by("-last_activity_at", "-id")
    )


def conversation_for(user: User, conversation_id: object) -> Conversation:
    return get_object_or_404(conversations_of(user), pk=conversation_id)


def participant_conversation(user: User, conversation_id: object) -> Conversation:
    """The conversation row alone, for reads that show neither participant nor the last message
    (the message list, the inbox poll): the visibility of `conversation_for` without its joins,
    which cost the message API a fifth of its throughput (docs/performance.md)."""
    return get_object_or_404(
        Conversation.objects.filter(Q(user_low=user) | Q(user_high=user)), pk=conversation_id
    )


def messages_in(conversation: Conversation) -> QuerySet[Message]:
    """A conversation page's messages, with each sender's name. Nothing reads `message.order`:
    a notice's title travels in its payload."""
    return Message.objects.filter(conversation=conversation).select_related("sender")


# What marking a conversation read needs of it, carried on each message of the API's list.
MARK_READ_FIELDS = ("user_low_id", "user_high_id", "unread_low", "unread_high")


@dataclass(frozen=True)
class VisibleMessages:
    """The API's message list, page by page (`core.pagination.OldestFirstById`), each page one
    statement: the conversation's messages, joined to it only to check that the user takes part
    and to carry what marking it read needs (four numbers per row).

    Written in SQL because this is the API's busiest read and the ORM spent more time building
    the joined, annotated query than Postgres spent answering it (docs/performance.md, the
    message API). An empty page does not tell an outsider from an empty conversation: the caller
    then asks `participant_conversation`, which answers 404."""

    user: User
    conversation_id: uuid.UUID

    def rows(self, *, after: int | None, back: bool, limit: int) -> list[Message]:
        message, conversation = Message._meta.db_table, Conversation._meta.db_table
        carried = ", ".join(f"c.{name} AS conversation_{name}" for name in MARK_READ_FIELDS)
        position = "" if after is None else ("AND m.id < %s" if back else "AND m.id > %s")
        sql = (
            f"SELECT m.*, {carried} FROM {message} m JOIN {conversation} c "  # noqa: S608
            "ON c.id = m.conversation_id "
            "WHERE m.conversation_id = %s AND (c.user_low_id = %s OR c.user_high_id = %s) "
            f"{position} ORDER BY m.id {'DESC' if back else 'ASC'} LIMIT %s"
        )
        key = Conversation._meta.get_field("id").get_db_prep_value(self.conversation_id, connection)
        params: list[object] = [key, self.user.pk, self.user.pk]
        if after is not None:
            params.append(after)
        return list(Message.objects.raw(sql, [*params, limit]))


def conversation_of(message: Message) -> Conversation:
    """The conversation as a message of `VisibleMessages` carries it (enough to mark it read),
    without reading it again."""
    return Conversation(
        id=message.conversation_id,
        **{name: getattr(message, f"conversation_{name}") for name in MARK_READ_FIELDS},
    )


# ---------------------------------------------------------------- earnings and wallet
@dataclass(frozen=True)
class Earnings:
    completed_orders: int
    total_earned: Decimal
    earnings_asp: Decimal | None
    eligibility_asp: Decimal | None
    last_order_at: datetime | None


def earnings_of(seller: User) -> Earnings:
    """K-3, one row read whatever the number of orders (kept by the order services)."""
    stats = SellerStats.objects.filter(seller=seller).first() or SellerStats(seller=seller)
    return Earnings(
        completed_orders=stats.completed_orders,
        total_earned=money.to_decimal(stats.completed_gross_cents),
        earnings_asp=money.average(stats.completed_gross_cents, stats.completed_orders),
        eligibility_asp=money.average(stats.completed_base_cents, stats.completed_orders),
        last_order_at=stats.last_order_at,
    )


@dataclass(frozen=True)
class Balances:
    pending_cents: int
    available_cents: int
    credit_cents: int
    # A banned seller's balance during the hold (M-7); zero for everyone else.
    held_cents: int = 0


def held_in(hold: BalanceHold, *, bucket: Bucket = Bucket.HELD) -> int:
    """What a hold still holds (its own entries in the held bucket), or what it left in another
    bucket (unclaimed, once its window closed)."""
    total: int = LedgerEntry.objects.filter(hold=hold, bucket=bucket).aggregate(
        total=Sum("amount_cents", default=0)
    )["total"]
    return total


def balances(user: User) -> Balances:
    """The sums of the user's ledger per bucket (K-5), read from the running balances the
    ledger keeps: one small query, whatever the length of the history."""
    cents = dict(Balance.objects.filter(user=user).values_list("bucket", "cents"))
    return Balances(
        pending_cents=cents.get(Bucket.PENDING, 0),
        available_cents=cents.get(Bucket.AVAILABLE, 0),
        credit_cents=cents.get(Bucket.CREDIT, 0),
        held_cents=cents.get(Bucket.HELD, 0),
    )


def ledger_of(user: User) -> QuerySet[LedgerEntry]:
    """Every movement of the user's money, newest first (the wallet's history)."""
    return LedgerEntry.objects.filter(user=user).select_related("order").order_by("-id")


def withdrawals_of(user: User) -> QuerySet[Withdrawal]:
    return Withdrawal.objects.filter(user=user).order_by("-created_at", "-id")


@dataclass(frozen=True)
class PayoutWindow:
    """What a banned seller's withdrawal link shows (M-7): how much, until when, and whether
    the link can still be used — and if not, why (the error code's words)."""

    hold: BalanceHold
    held_cents: int
    closes_at: datetime | None
    refusal: ErrorCode | None


def payout_window(hold: BalanceHold) -> PayoutWindow:
    """The same checks `withdraw_held_balance` makes, for the page before the click."""
    refusal: ErrorCode | None = None
    held = held_in(hold)
    if hold.status == HoldStatus.HELD:
        refusal = PAYOUT_LINK_INVALID
    elif hold.status != HoldStatus.WINDOW_OPEN or (
        hold.window_closes_at is not None and clock.now() >= hold.window_closes_at
    ):
        refusal = PAYOUT_LINK_EXPIRED
    elif hold.withdrawals.filter(
        status__in=[WithdrawalStatus.REQUESTED, WithdrawalStatus.PAID]
    ).exists():
        refusal = PAYOUT_LINK_USED
    elif held <= 0:
        refusal = NOTHING_HELD
    return PayoutWindow(hold, held, hold.window_closes_at, refusal)
