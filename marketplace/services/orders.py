"""Orders (K-2), moved by the state table in `marketplace.order_states`.

Money moves with each transition in the same transaction as the order and the seller's figures:
the buyer pays when ordering (credit first, then the card), a cancellation refunds the buyer to
credit, and completion books the seller's earning as pending until the clearing period is over.
Every transition posts its notice in the conversation, notifies the other party (both parties
when staff or the system acted) and writes one audit entry.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import translation

from accounts import audit
from accounts.models import User
from accounts.permissions import may_log_in
from core import clock
from core.errors import error_for
from core.services import notify, notify_many
from marketplace import message_kinds, money, permissions, providers, selectors
from marketplace.audit import ORDER_ACTIONS
from marketplace.errors import (
    CREDIT_CHANGED,
    DUPLICATE_EXTRA,
    INVALID_AMOUNT,
    PaymentFailed,
    UnknownExtra,
)
from marketplace.models import (
    Bucket,
    EntryKind,
    Gig,
    LedgerEntry,
    Order,
    OrderExtra,
    OrderStatus,
)
from marketplace.notices import ORDER_NOTICES
from marketplace.order_states import Transition, rows_for
from marketplace.services import stats
from marketplace.services.inbox import conversation_between, post_message, post_notices
from marketplace.services.ledger import append, append_many, lock_user


def _charge_then(
    *, buyer: User, amount_cents: int, key: str, description: str, book: Callable[[str], Order]
) -> Order:
    """Take a card payment before the transaction that books it, and give it back if booking
    fails: no provider call is made while rows are locked, and no order exists unpaid."""
    reference = ""
    if amount_cents:
        try:
            reference = (
                providers.payments()
                .charge(
                    customer=str(buyer.pk),
                    amount_cents=amount_cents,
                    idempotency_key=key,
                    description=description,
                )
                .reference
            )
        except providers.ProviderError:
            raise PaymentFailed() from None
    try:
        return book(reference)
    except Exception:
        if reference:
            providers.payments().refund(
                charge_reference=reference, amount_cents=amount_cents, idempotency_key=f"{key}:undo"
            )
        raise


@dataclass(frozen=True)
class _Notice:
    """What a transition tells: the notice in the conversation, who is notified, and whom its
    audit entry concerns."""

    body: str
    context: dict[str, Any]
    notify: list[User]
    concerned: User


def _notice_of(order: Order, row: Transition, *, actor: User | None) -> _Notice:
    parties = {order.buyer_id: order.buyer, order.seller_id: order.seller}
    others = [user for pk, user in parties.items() if actor is None or pk != actor.pk]
    context = {"order": str(order.id), "title": order.title}
    with translation.override("en"):  # the stored body is the fallback; readers get their own
        body = str(row.notice) % context
    return _Notice(
        body=body,
        context=context,
        # A banned party hears of its ban once (moderation), not of each order it cancels.
        notify=[user for user in others if may_log_in(user)],
        # The entry concerns the party who did not act; when the platform acted, the buyer,
        # whose money the platform's cancellation returns.
        concerned=others[0] if len(others) == 1 else order.buyer,
    )


def _announce(
    order: Order,
    row: Transition,
    *,
    actor: User | None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    """What every transition does besides changing the order: the notice in the conversation,
    a notification to whom it concerns, one audit entry. Inside the caller's transaction."""
    notice = _notice_of(order, row, actor=actor)
    post_message(
        order.conversation,
        actor=None,
        kind=message_kinds.NOTICE,
        body=notice.body,
        payload={"event": row.notice_key, **notice.context},
        order=order,
    )
    for user in notice.notify:
        notify(user, ORDER_NOTICES[row.happened], notice.context)
    audit.record(
        ORDER_ACTIONS[row.happened],
        actor=actor,
        target_user=notice.concerned,
        obj=order,
        reason=reason,
        data=data,
    )


def place_order(gig: Gig, *, actor: User, extra_ids: list[int]) -> Order:
    buyer = actor
    # Checked before the card is charged, on the gig and its seller as they are now.
    gig = Gig.objects.select_related("seller").get(pk=gig.pk)
    permissions.may_place_order(buyer, gig).enforce()
    if len(set(extra_ids)) != len(extra_ids):
        raise error_for(DUPLICATE_EXTRA)  # not silently one of each: the buyer meant something
    extras = list(gig.extras.filter(id__in=extra_ids))
    if len(extras) != len(extra_ids):
        raise UnknownExtra()
    extras_cents = sum(e.price_cents for e in extras)
    total = gig.base_price_cents + extras_cents
    order_id = uuid.uuid4()
    # Credit is spent first; the card pays the rest. Re-checked under the lock below.
    credit_planned = min(selectors.balances(buyer).credit_cents, total)

    def book(reference: str) -> Order:
        with transaction.atomic():
            lock_user(buyer.pk)
            locked_gig = (
                Gig.objects.select_related("seller").select_for_update(of=("self",)).get(pk=gig.pk)
            )
            permissions.may_place_order(buyer, locked_gig).enforce()
            if selectors.balances(buyer).credit_cents < credit_planned:
                raise error_for(CREDIT_CHANGED)
            order = Order.objects.create(
                id=order_id,
                gig=locked_gig,
                buyer=buyer,
                seller=locked_gig.seller,
                conversation=conversation_between(buyer, locked_gig.seller),
                title=locked_gig.title,
                base_price_cents=locked_gig.base_price_cents,
                extras_cents=extras_cents,
                payment_reference=reference,
            )
            OrderExtra.objects.bulk_create(
                OrderExtra(order=order, name=e.name, price_cents=e.price_cents) for e in extras
            )
            if credit_planned:
                append(
                    user=buyer,
                    bucket=Bucket.CREDIT,
                    kind=EntryKind.CREDIT_USED,
                    amount_cents=-credit_planned,
                    order=order,
                )
            if total - credit_planned:
                append(
                    user=buyer,
                    bucket=Bucket.EXTERNAL,
                    kind=EntryKind.PAYMENT,
                    amount_cents=-(total - credit_planned),
                    order=order,
                    reference=reference,
                )
            stats.record_order_placed(order)
            _announce(order, rows_for("place")[0], actor=buyer)
        return order

    return _charge_then(
        buyer=buyer,
        amount_cents=total - credit_planned,
        key=f"order:{order_id}",
        description=gig.title,
        book=book,
    )


def _transition(
    order: Order,
    *,
    actor: User | None,
    event: str,
    apply: Callable[[Order, datetime], list[str]] | None = None,
    reason: str = "",
) -> Order:
    """Lock the order, find the table's row for this actor and state (or refuse), move the
    order, let `apply` do the money, announce it."""
    with transaction.atomic():
        order = (
            Order.objects.select_related("buyer", "seller")
            .select_for_update(of=("self",))
            .get(pk=order.pk)
        )
        row = permissions.transition_for(actor, order, event)
        previous = order.status
        changed = []
        if row.target is not None:
            order.status = row.target
            changed.append("status")
        changed += apply(order, clock.now()) if apply else []
        order.save(update_fields=changed)
        _announce(
            order, row, actor=actor, reason=reason, data={"from": previous, "to": order.status}
        )
    return order


def deliver_order(order: Order, *, actor: User) -> Order:
    def apply(o: Order, now: datetime) -> list[str]:
        o.delivered_at = now
        return ["delivered_at"]

    return _transition(order, actor=actor, event="deliver", apply=apply)


def request_revision(order: Order, *, actor: User) -> Order:
    def apply(o: Order, now: datetime) -> list[str]:
        o.revisions += 1
        o.revision_requested_at = now
        return ["revisions", "revision_requested_at"]

    return _transition(order, actor=actor, event="request_revision", apply=apply)


def accept_order(order: Order, *, actor: User) -> Order:
    def apply(o: Order, now: datetime) -> list[str]:
        o.completed_at = now
        clears_at = now + settings.CLEARING_PERIOD
        append(
            user=o.seller_id,
            bucket=Bucket.PENDING,
            kind=EntryKind.EARNING,
            amount_cents=o.base_price_cents + o.extras_cents,
            order=o,
            available_at=clears_at,
        )
        if o.tip_cents:
            append(
                user=o.seller_id,
                bucket=Bucket.PENDING,
                kind=EntryKind.TIP,
                amount_cents=o.tip_cents,
                order=o,
                available_at=clears_at,
            )
        stats.record_order_completed(o)
        return ["completed_at"]

    return _transition(order, actor=actor, event="accept", apply=apply)


def _buyer_refund(order: Order) -> LedgerEntry:
    """A cancellation gives the buyer everything paid back as credit, tip included."""
    return LedgerEntry(
        user_id=order.buyer_id,
        bucket=Bucket.CREDIT,
        kind=EntryKind.REFUND,
        amount_cents=order.total_cents,
        order=order,
    )


def cancel_order(order: Order, *, actor: User | None, reason: str = "") -> Order:
    """A party cancels before delivery; staff with the power and the system (`actor=None`, a
    ban) also after delivery. The buyer gets everything paid back as credit, tip included;
    cancelling twice refunds once (the second finds the order cancelled)."""

    def apply(o: Order, now: datetime) -> list[str]:
        o.cancelled_at = now
        o.cancellation_reason = reason
        append_many([_buyer_refund(o)])
        stats.record_order_cancelled(o)
        return ["cancelled_at", "cancellation_reason"]

    return _transition(order, actor=actor, event="cancel", apply=apply, reason=reason)


_PARTY_FIELDS = ("email", "is_active", "standing")
_BATCH_FIELDS = (
    "status",
    "title",
    "base_price_cents",
    "extras_cents",
    "tip_cents",
    "conversation_id",
    *(f"{party}__{field}" for party in ("buyer", "seller") for field in _PARTY_FIELDS),
)


def cancel_open_orders_of(user: User, *, reason: str, limit: int) -> list[Order]:
    """The platform cancels up to `limit` of the user's open orders, as seller or buyer, at
    once (a ban's batch, M-7): for each, the rows `cancel_order(order, actor=None)` writes —
    the order, the buyer's refund to credit, the seller's figures, the notice in the
    conversation, the notifications, one audit entry — with one statement per table for the
    whole batch instead of one per order. Returns the orders cancelled; fewer than `limit`
    means none is left."""
    with transaction.atomic():
        locked = list(
            Order.objects.select_related("buyer", "seller")
            .select_for_update(of=("self",))
            .filter(Q(seller=user) | Q(buyer=user), status__in=Order.OPEN_STATUSES)
            # What the batch reads of its orders and their parties, no more: a batch builds
            # thousands of instances.
            .only(*_BATCH_FIELDS)
            .order_by("pk")[:limit]
        )
        rows = {order.pk: permissions.transition_for(None, order, "cancel") for order in locked}
        now = clock.now()
        previous = {order.pk: order.status for order in locked}
        for order in locked:
            order.status, order.cancelled_at, order.cancellation_reason = (
                OrderStatus.CANCELLED,
                now,
                reason,
            )
        Order.objects.filter(pk__in=previous).update(
            status=OrderStatus.CANCELLED, cancelled_at=now, cancellation_reason=reason
        )
        append_many([_buyer_refund(order) for order in locked])
        stats.record_orders_cancelled(order.seller_id for order in locked)
        notices = {order.pk: _notice_of(order, rows[order.pk], actor=None) for order in locked}
        post_notices(
            [
                (
                    order,
                    notices[order.pk].body,
                    {"event": rows[order.pk].notice_key, **notices[order.pk].context},
                )
                for order in locked
            ]
        )
        for happened in {row.happened for row in rows.values()}:
            batch = [order for order in locked if rows[order.pk].happened == happened]
            notify_many(
                ORDER_NOTICES[happened],
                [
                    (user, notices[order.pk].context)
                    for order in batch
                    for user in notices[order.pk].notify
                ],
            )
            audit.record_many(
                ORDER_ACTIONS[happened],
                actor=None,
                entries=[
                    (
                        notices[order.pk].concerned,
                        order,
                        {"from": previous[order.pk], "to": OrderStatus.CANCELLED},
                    )
                    for order in batch
                ],
                reason=reason,
            )
    return locked


def tip_order(order: Order, *, actor: User, amount_cents: int) -> Order:
    """One tip per order, after delivery, paid by card."""
    if not 0 < amount_cents <= settings.MAX_TIP_CENTS:
        raise error_for(INVALID_AMOUNT, money.tip_range_text())
    # Checked before the card is charged, on the order and its parties as they are now.
    order = Order.objects.select_related("buyer", "seller").get(pk=order.pk)
    permissions.may_trigger(actor, order, "tip").enforce()

    def book(reference: str) -> Order:
        def apply(o: Order, now: datetime) -> list[str]:
            o.tip_cents = amount_cents
            o.tipped_at = now
            append(
                user=actor,
                bucket=Bucket.EXTERNAL,
                kind=EntryKind.PAYMENT,
                amount_cents=-amount_cents,
                order=o,
                reference=reference,
            )
            if o.status == "completed":
                # Completed already: the tip is earned now; before completion, accept books it.
                append(
                    user=o.seller_id,
                    bucket=Bucket.PENDING,
                    kind=EntryKind.TIP,
                    amount_cents=amount_cents,
                    order=o,
                    available_at=now + settings.CLEARING_PERIOD,
                )
                stats.record_tip_on_completed_order(o, amount_cents)
            return ["tip_cents", "tipped_at"]

        return _transition(order, actor=actor, event="tip", apply=apply)

    return _charge_then(
        buyer=actor,
        amount_cents=amount_cents,
        # A fresh key per attempt: a refunded attempt must not be replayed by the provider.
        key=f"tip:{order.pk}:{uuid.uuid4()}",
        description="Tip",
        book=book,
    )


# The service of each event a party triggers with no input but the order (a tip takes an
# amount). The pages and the API act through `trigger`; a test checks that every such event of
# the state table has one.
SIMPLE_EVENTS: dict[str, Callable[..., Order]] = {
    "deliver": deliver_order,
    "request_revision": request_revision,
    "accept": accept_order,
    "cancel": cancel_order,
}


def trigger(order: Order, *, actor: User, event: str) -> Order:
    """Trigger one of SIMPLE_EVENTS on behalf of a page or an API call."""
    return SIMPLE_EVENTS[event](order, actor=actor)
