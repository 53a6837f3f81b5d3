"""The marketplace (SPEC K-1…K-5, J-5): gigs, orders, the inbox and the wallet's ledger.

Money is integer cents (USD) everywhere; `money.py` formats and parses it.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from core.models import AppendOnlyModel, Deferred

User = settings.AUTH_USER_MODEL


# ---------------------------------------------------------------- gigs (K-1)
class GigStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")


class Gig(models.Model):
    MAX_EXTRAS = 10
    MIN_PRICE_CENTS = 100
    MAX_PRICE_CENTS = 10_000_000

    seller = models.ForeignKey(
        User, verbose_name=_("seller"), on_delete=models.PROTECT, related_name="gigs"
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=5000)
    base_price_cents = models.PositiveIntegerField(_("base price (cents)"))
    status = models.CharField(
        _("status"), max_length=16, choices=GigStatus.choices, default=GigStatus.ACTIVE
    )
    # Optional; both re-encoded from the upload by `marketplace.images` (no metadata kept).
    cover = models.FileField(_("cover picture"), upload_to="gigs/covers/", blank=True)
    cover_thumbnail = models.FileField(
        _("cover thumbnail"), upload_to="gigs/thumbnails/", blank=True
    )
    created_at = models.DateTimeField(_("created"), default=now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("gig")
        verbose_name_plural = _("gigs")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(base_price_cents__gt=0), name="marketplace_gig_price_positive"
            ),
            models.CheckConstraint(
                condition=Q(status__in=GigStatus.values), name="marketplace_gig_status"
            ),
        ]
        indexes = [
            # The public list: active gigs, newest first, walked by keyset on id.
            models.Index(
                F("id").desc(), name="marketplace_gig_active_new", condition=Q(status="active")
            ),
            models.Index(fields=["seller", "-id"], name="marketplace_gig_seller"),
        ]

    def __str__(self) -> str:
        return self.title


class GigExtra(models.Model):
    """An add-on a seller offers with a gig. Orders copy name and price, so extras may change."""

    gig = models.ForeignKey(Gig, on_delete=models.CASCADE, related_name="extras")
    name = models.CharField(_("name"), max_length=80)
    price_cents = models.PositiveIntegerField(_("price (cents)"))

    class Meta:
        verbose_name = _("extra")
        verbose_name_plural = _("extras")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price_cents__gt=0), name="marketplace_extra_price_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------- inbox (K-4)
class Conversation(models.Model):
    """Two users. Stored with the lower user id first so a pair has exactly one conversation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user_low = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    user_high = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=now)
    last_message = models.ForeignKey(
        "Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True)
    # What the inbox sorts and pages by: never null (a new conversation without messages sorts by
    # its creation), so keyset pagination has a total order and empty conversations do not float
    # to the top as NULLs do in a descending Postgres sort.
    # Set from Python on insert (`default`), so every stored value has the same precision as the
    # cursor that pages by it; SQLite's own now() keeps milliseconds only, and its text
    # comparison then repeated a row at page boundaries. `db_default` covers raw inserts.
    last_activity_at = models.DateTimeField(_("last activity"), default=now, db_default=Now())
    # Unread counters kept by `send_message` and `mark_read`, so the list never counts messages.
    unread_low = models.PositiveIntegerField(default=0)
    unread_high = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.UniqueConstraint(fields=["user_low", "user_high"], name="marketplace_conv_pair"),
            models.CheckConstraint(
                condition=Q(user_low__lt=F("user_high")), name="marketplace_conv_ordered_pair"
            ),
        ]
        indexes = [
            models.Index(
                fields=["user_low", "-last_activity_at", "-id"], name="marketplace_conv_low"
            ),
            models.Index(
                fields=["user_high", "-last_activity_at", "-id"], name="marketplace_conv_high"
            ),
        ]

    def __str__(self) -> str:
        return str(self.id)

    def other(self, user_id: int) -> int:
        return self.user_high_id if user_id == self.user_low_id else self.user_low_id

    def unread_for(self, user_id: int) -> int:
        return self.unread_low if user_id == self.user_low_id else self.unread_high


class Message(models.Model):
    """A message in a conversation. `kind` names a declared message kind
    (`marketplace.message_kinds`): a user's text, a system notice (no sender), and whatever
    other apps declare (a call invitation carries its call's data in `payload`). Kinds are a
    registry, not choices, so a new one needs no migration here."""

    MAX_LENGTH = 2000

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=32, default="text")
    body = models.TextField(_("message"), max_length=MAX_LENGTH)
    payload = models.JSONField(default=dict, blank=True)
    order = models.ForeignKey(
        "Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["id"]
        indexes = [models.Index(fields=["conversation", "-id"], name="marketplace_msg_conv")]

    def __str__(self) -> str:
        return self.body[:50]


# ---------------------------------------------------------------- orders (K-2)
class OrderStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DELIVERED = "delivered", _("Delivered")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Order(models.Model):
    OPEN_STATUSES: ClassVar[tuple[str, ...]] = (OrderStatus.ACTIVE, OrderStatus.DELIVERED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    gig = models.ForeignKey(Gig, on_delete=models.PROTECT, related_name="orders")
    buyer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="orders_placed")
    seller = models.ForeignKey(User, on_delete=models.PROTECT, related_name="orders_received")
    conversation = models.ForeignKey(Conversation, on_delete=models.PROTECT, related_name="orders")
    title = models.CharField(_("title"), max_length=120)
    base_price_cents = models.PositiveIntegerField(_("base price (cents)"))
    extras_cents = models.PositiveIntegerField(_("extras (cents)"), default=0)
    tip_cents = models.PositiveIntegerField(_("tip (cents)"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.ACTIVE
    )
    revisions = models.PositiveIntegerField(_("revisions requested"), default=0)
    placed_at = models.DateTimeField(_("placed"), default=now)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    revision_requested_at = models.DateTimeField(_("revision requested"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    tipped_at = models.DateTimeField(_("tipped"), null=True, blank=True)
    payment_reference = models.CharField(max_length=100, blank=True)
    cancellation_reason = models.TextField(_("why cancelled"), blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(base_price_cents__gt=0), name="marketplace_order_price_positive"
            ),
            models.CheckConstraint(
                condition=Q(status__in=OrderStatus.values), name="marketplace_order_status"
            ),
            models.CheckConstraint(
                condition=~Q(buyer=F("seller")), name="marketplace_order_not_own_gig"
            ),
            # A tip comes after delivery; the order may go back to active (a revision) or be
            # cancelled by the platform afterwards and keeps its tip.
            models.CheckConstraint(
                condition=Q(tip_cents=0) | Q(delivered_at__isnull=False),
                name="marketplace_order_tip_after_delivery",
            ),
        ]
        indexes = [
            models.Index(fields=["buyer", "-placed_at"], name="marketplace_order_buyer"),
            models.Index(fields=["seller", "-placed_at"], name="marketplace_order_seller"),
            # A user's open orders (a ban cancels them a batch at a time; the gates ask whether
            # two users have one): only the open ones, however long the history.
            models.Index(
                fields=["seller"],
                condition=Q(status__in=["active", "delivered"]),
                name="marketplace_order_open_seller",
            ),
            models.Index(
                fields=["buyer"],
                condition=Q(status__in=["active", "delivered"]),
                name="marketplace_order_open_buyer",
            ),
        ]
        permissions = [("cancel_any_order", _("Can cancel any order (refunding the buyer)"))]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def total_cents(self) -> int:
        return self.base_price_cents + self.extras_cents + self.tip_cents

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class OrderNote(models.Model):
    """A note on an order both parties see in its timeline, such as the summary of what was
    agreed in a call (C-13). Notes are kept as written: a correction is a new note."""

    MAX_LENGTH = 2000

    order = models.ForeignKey("Order", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("note"), max_length=MAX_LENGTH)
    # What the note is about, e.g. "call" for a call's summary ("" for a plain note).
    about = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(_("written"), default=now)

    class Meta:
        verbose_name = _("order note")
        verbose_name_plural = _("order notes")
        indexes = [models.Index(fields=["order", "created_at"], name="marketplace_note_order")]

    def __str__(self) -> str:
        return self.body[:50]


class OrderExtra(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="extras")
    name = models.CharField(_("name"), max_length=80)
    price_cents = models.PositiveIntegerField(_("price (cents)"))

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class SellerStats(models.Model):
    """Per-seller figures kept current in the same transaction as each order transition (K-3),
    so reading them is one row whatever the number of orders. `reconcile_seller_stats`
    recomputes them from the orders and repairs drift."""

    seller = models.OneToOneField(
        User, primary_key=True, on_delete=models.CASCADE, related_name="seller_stats"
    )
    completed_orders = models.PositiveIntegerField(default=0)
    completed_base_cents = models.PositiveBigIntegerField(default=0)
    completed_gross_cents = models.PositiveBigIntegerField(default=0)
    last_order_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("seller figures")
        verbose_name_plural = _("seller figures")

    def __str__(self) -> str:
        return str(self.seller_id)


# ---------------------------------------------------------------- wallet (K-5, J-5)
class Bucket(models.TextChoices):
    """Where an entry moves money. Balances are sums per user and bucket; EXTERNAL records money
    crossing the platform's edge (a card charge, a refund to a card, a payout) and is never a
    balance. HELD is a banned seller's balance during the hold (M-7); UNCLAIMED what was left
    when their withdrawal window closed."""

    PENDING = "pending", _("Pending clearance")
    AVAILABLE = "available", _("Available")
    CREDIT = "credit", _("Credit")
    HELD = "held", _("Held")
    UNCLAIMED = "unclaimed", _("Unclaimed")
    EXTERNAL = "external", _("External")


class EntryKind(models.TextChoices):
    PAYMENT = "payment", _("Payment")
    EARNING = "earning", _("Earning")
    TIP = "tip", _("Tip")
    CLEARING = "clearing", _("Cleared")
    REFUND = "refund", _("Refund")
    CREDIT_USED = "credit_used", _("Credit used")
    WITHDRAWAL = "withdrawal", _("Withdrawal")
    WITHDRAWAL_REVERSED = "withdrawal_reversed", _("Withdrawal returned")
    HOLD = "hold", _("Held after a ban")
    RELEASE = "release", _("Hold released")
    UNCLAIMED = "unclaimed", _("Marked unclaimed")
    CARD_REFUND = "card_refund", _("Refund to card")
    CARD_REFUND_REVERSED = "card_refund_reversed", _("Refund to card returned")


class LedgerEntry(AppendOnlyModel):
    """One movement of money, never changed or deleted (K-5)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="ledger_entries")
    bucket = models.CharField(max_length=16, choices=Bucket.choices)
    kind = models.CharField(max_length=24, choices=EntryKind.choices)
    amount_cents = models.BigIntegerField()
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_entries"
    )
    withdrawal = models.ForeignKey(
        "Withdrawal", on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    card_refund = models.ForeignKey(
        "CardRefund", on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    hold = models.ForeignKey(
        "BalanceHold", on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    # The provider's reference of an external movement: the card charge a payment took or a
    # refund went back to (refunds are matched to charges by it).
    reference = models.CharField(max_length=100, blank=True)
    # A pending earning or tip becomes available at this time (the clearing sweep's due date).
    available_at = models.DateTimeField(null=True, blank=True)
    # The clearing entry points at the pending entry it cleared; unique, so a pending entry is
    # cleared at most once however often the sweep runs.
    clears = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="cleared_by"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount_cents=0), name="marketplace_ledger_nonzero"),
            models.CheckConstraint(
                condition=Q(bucket__in=Bucket.values), name="marketplace_ledger_bucket"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EntryKind.values), name="marketplace_ledger_kind"
            ),
            # Each movement happens exactly once, whatever retries or overlapping runs do.
            models.UniqueConstraint(
                fields=["order", "bucket", "kind"],
                condition=Q(kind__in=["earning", "tip", "refund", "credit_used"]),
                name="marketplace_ledger_once_per_order",
            ),
            models.UniqueConstraint(
                fields=["withdrawal", "bucket", "kind"],
                condition=Q(withdrawal__isnull=False),
                name="marketplace_ledger_once_per_withdrawal",
            ),
            models.UniqueConstraint(
                fields=["card_refund", "bucket", "kind"],
                condition=Q(card_refund__isnull=False),
                name="marketplace_ledger_once_per_card_refund",
            ),
            models.UniqueConstraint(
                fields=["hold", "bucket", "kind"],
                condition=Q(kind__in=["unclaimed", "release"]),
                name="marketplace_ledger_once_per_hold_end",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "bucket"], name="marketplace_ledger_balance"),
            # The wallet's history: a user's entries newest first, a page at a time.
            models.Index(fields=["user", "-id"], name="marketplace_ledger_history"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_cents}"


class Balance(models.Model):
    """A user's running balance in one bucket: the sum of their entries in it, kept by
    `services.ledger.append` in the same transaction as each entry, so reading a balance is one
    row whatever the length of the history. `reconcile_balances` recomputes them from the
    ledger and repairs drift. No balance is ever negative (a check in the database)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="balances")
    bucket = models.CharField(max_length=16, choices=Bucket.choices)
    cents = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("balance")
        verbose_name_plural = _("balances")
        constraints = [
            models.UniqueConstraint(fields=["user", "bucket"], name="marketplace_balance_one"),
            models.CheckConstraint(condition=Q(cents__gte=0), name="marketplace_balance_sign"),
            models.CheckConstraint(
                condition=~Q(bucket="external"), name="marketplace_balance_not_external"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.bucket} {self.cents}"


class PendingClearance(models.Model):
    """A pending earning or tip still waiting to clear (J-5): the clearing sweep's due rows.
    Deleted when its entry is cleared or held, so the sweep's index holds only what is still
    pending (about two weeks of earnings), however long the ledger's history grows."""

    entry = models.OneToOneField(
        LedgerEntry, primary_key=True, on_delete=models.PROTECT, related_name="pending"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    due_at = models.DateTimeField(_("clears at"))

    class Meta:
        verbose_name = _("earning waiting to clear")
        verbose_name_plural = _("earnings waiting to clear")
        indexes = [models.Index(fields=["due_at", "entry"], name="marketplace_clearing_due")]

    def __str__(self) -> str:
        return f"{self.entry_id} at {self.due_at:%Y-%m-%d}"


class WithdrawalStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")


class Withdrawal(Deferred):
    """Money leaving a seller's balance for their payout account: `requested` until the payout
    backend settles it (`Deferred`: the row is the schedule of its payout)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="withdrawals")
    amount_cents = models.PositiveBigIntegerField()
    idempotency_key = models.CharField(max_length=100)
    status = models.CharField(
        max_length=16, choices=WithdrawalStatus.choices, default=WithdrawalStatus.REQUESTED
    )
    payout_reference = models.CharField(max_length=100, blank=True)
    failure = models.TextField(blank=True)
    created_at = models.DateTimeField(default=now)
    settled_at = models.DateTimeField(null=True, blank=True)
    # Set for a banned seller's withdrawal through the signed link (M-7): it draws from the
    # held balance, and a refused payout returns the money there.
    hold = models.ForeignKey(
        "BalanceHold",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="withdrawals",
    )

    class Meta:
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "idempotency_key"], name="marketplace_withdrawal_idempotent"
            ),
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0), name="marketplace_withdrawal_positive"
            ),
            models.CheckConstraint(
                condition=Q(status__in=WithdrawalStatus.values),
                name="marketplace_withdrawal_status",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="marketplace_withdrawal_due",
                condition=Q(status="requested"),
            ),
            # The wallet's list of withdrawals, newest first, a page at a time.
            models.Index(
                fields=["user", "-created_at", "-id"], name="marketplace_withdrawal_history"
            ),
        ]

    def __str__(self) -> str:
        return str(self.id)

    @property
    def source(self) -> Bucket:
        """The balance the money came from, and goes back to if the payout is refused."""
        return Bucket.HELD if self.hold_id else Bucket.AVAILABLE


class HoldStatus(models.TextChoices):
    HELD = "held", _("Held")
    WINDOW_OPEN = "window_open", _("Withdrawal window open")
    CLOSED = "closed", _("Closed (remainder unclaimed)")
    RELEASED = "released", _("Released")


# Where a hold's money belongs in each of its states: a refused payout through the window goes
# back there, and ending a hold moves what is left there.
HELD_MONEY_GOES_TO: dict[str, Bucket] = {
    HoldStatus.HELD: Bucket.HELD,
    HoldStatus.WINDOW_OPEN: Bucket.HELD,
    HoldStatus.RELEASED: Bucket.AVAILABLE,
    HoldStatus.CLOSED: Bucket.UNCLAIMED,
}


class BalanceHoldQuerySet(models.QuerySet["BalanceHold"]):
    def open_for(self, user: Any) -> BalanceHoldQuerySet:
        return self.filter(user=user, status__in=BalanceHold.OPEN_STATUSES)


class BalanceHold(models.Model):
    """A banned seller's balance, held (M-7): moved into the HELD bucket at the ban, then paid
    out through a signed link during a withdrawal window, and what is left is marked unclaimed
    when the window closes; or released back to the seller (an appeal that reverses the ban).

    `releases_at` and `window_closes_at` are the due dates the sanctions' jobs sweep; the
    marketplace moves the money and keeps each movement exactly once, the moderation app
    decides when."""

    OPEN_STATUSES: ClassVar[tuple[str, ...]] = (HoldStatus.HELD, HoldStatus.WINDOW_OPEN)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="balance_holds")
    status = models.CharField(
        _("status"), max_length=16, choices=HoldStatus.choices, default=HoldStatus.HELD
    )
    reason = models.TextField(_("reason"))
    held_at = models.DateTimeField(_("held"), default=now)
    releases_at = models.DateTimeField(_("window opens"))
    window_opened_at = models.DateTimeField(_("window opened"), null=True, blank=True)
    window_closes_at = models.DateTimeField(_("window closes"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    objects = BalanceHoldQuerySet.as_manager()

    class Meta:
        verbose_name = _("held balance")
        verbose_name_plural = _("held balances")
        ordering = ["-held_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=HoldStatus.values), name="marketplace_hold_status"
            ),
            # One open hold per user: a second ban adds to it instead.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["held", "window_open"]),
                name="marketplace_hold_one_open",
            ),
        ]
        indexes = [
            models.Index(
                fields=["releases_at"], name="marketplace_hold_due", condition=Q(status="held")
            ),
            models.Index(
                fields=["window_closes_at"],
                name="marketplace_hold_window_due",
                condition=Q(status="window_open"),
            ),
        ]

    def __str__(self) -> str:
        return str(self.id)


class CardRefundStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    REFUNDED = "refunded", _("Refunded")
    FAILED = "failed", _("Failed")


class CardRefund(Deferred):
    """Part of a buyer's credit going back to the card it was paid with (M-7: a banned buyer's
    credit is refunded at once). Credit is matched to the buyer's card charges, newest first;
    each part refunds one charge, through the payment backend, exactly once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="card_refunds")
    charge_reference = models.CharField(max_length=100)
    amount_cents = models.PositiveBigIntegerField()
    status = models.CharField(
        max_length=16, choices=CardRefundStatus.choices, default=CardRefundStatus.REQUESTED
    )
    reason = models.TextField(blank=True)
    refund_reference = models.CharField(max_length=100, blank=True)
    failure = models.TextField(blank=True)
    created_at = models.DateTimeField(default=now)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("refund to card")
        verbose_name_plural = _("refunds to card")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0), name="marketplace_card_refund_positive"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CardRefundStatus.values),
                name="marketplace_card_refund_status",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="marketplace_card_refund_due",
                condition=Q(status="requested"),
            ),
        ]

    def __str__(self) -> str:
        return str(self.id)
