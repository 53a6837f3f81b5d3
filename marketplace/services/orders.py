"""Orders (K-2): active → delivered → completed, or cancelled; revisions send a delivered order
back to active; a tip may be added after delivery.

Money moves with each transition in the same transaction as the order and the seller's figures:
the buyer pays when ordering (credit first, then the card), a cancellation refunds the buyer to
credit, and completion books the seller's earning as pending until the clearing period is over.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.errors import DomainError
from accounts.models import User
from marketplace import permissions, providers, selectors
from marketplace.errors import (
    BuyerOnly,
    InvalidTransition,
    PaymentFailed,
    SellerOnly,
    UnknownExtra,
)
from marketplace.models import (
    Bucket,
    EntryKind,
    Gig,
    MessageKind,
    Order,
    OrderExtra,
    OrderStatus,
)
from marketplace.services import stats
from marketplace.services.inbox import conversation_between, post_message
from marketplace.services.ledger import entry as _entry
from marketplace.services.ledger import lock_user as _lock_user


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


def place_order(gig: Gig, *, buyer: User, extra_ids: list[int]) -> Order:
    permissions.may_place_order(buyer, gig).enforce()
    extras = list(gig.extras.filter(id__in=extra_ids))
    if len(extras) != len(set(extra_ids)):
        raise UnknownExtra()
    extras_cents = sum(e.price_cents for e in extras)
    total = gig.base_price_cents + extras_cents
    order_id = uuid.uuid4()
    # Credit is spent first; the card pays the rest. Re-checked under the lock below.
    credit_planned = min(selectors.balances(buyer).credit_cents, total)

    def book(reference: str) -> Order:
        with transaction.atomic():
            _lock_user(buyer.pk)
            locked_gig = (
                Gig.objects.select_related("seller").select_for_update(of=("self",)).get(pk=gig.pk)
            )
            permissions.may_place_order(buyer, locked_gig).enforce()
            if selectors.balances(buyer).credit_cents < credit_planned:
                raise DomainError(_("Your credit changed; please try again."), code="retry")
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
                _entry(buyer, Bucket.CREDIT, EntryKind.CREDIT_USED, -credit_planned, order)
            if total - credit_planned:
                _entry(buyer, Bucket.EXTERNAL, EntryKind.PAYMENT, -(total - credit_planned), order)
            stats.record_order_placed(order)
            audit.record("marketplace.order_placed", actor=buyer, target_user=buyer, obj=order)
            post_message(
                order.conversation,
                sender=None,
                kind=MessageKind.SYSTEM,
                body=f"Order placed: {order.title}",
                payload={"event": "order_placed", "order": str(order.id), "title": order.title},
                order=order,
            )
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
    actor: User,
    party: str,
    allowed_from: tuple[str, ...],
    to: OrderStatus,
    event: str,
    apply: Callable[[Order], list[str]] | None = None,
) -> Order:
    """Lock the order, check the gate, the party and the state, move it, audit it."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        permissions.may_act_on_order(actor, order).enforce()
        if party == "buyer" and actor.pk != order.buyer_id:
            raise BuyerOnly()
        if party == "seller" and actor.pk != order.seller_id:
            raise SellerOnly()
        if order.status not in allowed_from:
            raise InvalidTransition()
        previous = order.status
        order.status = to
        changed = ["status", *(apply(order) if apply else [])]
        order.save(update_fields=changed)
        audit.record(
            f"marketplace.order_{event}",
            actor=actor,
            obj=order,
            data={"from": previous, "to": to},
        )
        post_message(
            order.conversation,
            sender=None,
            kind=MessageKind.SYSTEM,
            body=f"Order {event.replace('_', ' ')}: {order.title}",
            payload={"event": f"order_{event}", "order": str(order.id), "title": order.title},
            order=order,
        )
    return order


def deliver_order(order: Order, *, actor: User) -> Order:
    def apply(o: Order) -> list[str]:
        o.delivered_at = timezone.now()
        return ["delivered_at"]

    return _transition(
        order,
        actor=actor,
        party="seller",
        allowed_from=(OrderStatus.ACTIVE,),
        to=OrderStatus.DELIVERED,
        event="delivered",
        apply=apply,
    )


def request_revision(order: Order, *, actor: User) -> Order:
    def apply(o: Order) -> list[str]:
        o.revisions += 1
        o.revision_requested_at = timezone.now()
        return ["revisions", "revision_requested_at"]

    return _transition(
        order,
        actor=actor,
        party="buyer",
        allowed_from=(OrderStatus.DELIVERED,),
        to=OrderStatus.ACTIVE,
        event="revision_requested",
        apply=apply,
    )


def accept_order(order: Order, *, actor: User) -> Order:
    def apply(o: Order) -> list[str]:
        o.completed_at = timezone.now()
        clears_at = o.completed_at + settings.CLEARING_PERIOD
        _entry(
            o.seller_id,
            Bucket.PENDING,
            EntryKind.EARNING,
            o.base_price_cents + o.extras_cents,
            o,
            available_at=clears_at,
        )
        if o.tip_cents:
            _entry(
                o.seller_id, Bucket.PENDING, EntryKind.TIP, o.tip_cents, o, available_at=clears_at
            )
        stats.record_order_completed(o)
        return ["completed_at"]

    return _transition(
        order,
        actor=actor,
        party="buyer",
        allowed_from=(OrderStatus.DELIVERED,),
        to=OrderStatus.COMPLETED,
        event="completed",
        apply=apply,
    )


def cancel_order(order: Order, *, actor: User) -> Order:
    """Either party may cancel before delivery; the buyer gets everything back as credit."""

    def apply(o: Order) -> list[str]:
        o.cancelled_at = timezone.now()
        _entry(o.buyer_id, Bucket.CREDIT, EntryKind.REFUND, o.base_price_cents + o.extras_cents, o)
        stats.record_order_cancelled(o)
        return ["cancelled_at"]

    return _transition(
        order,
        actor=actor,
        party="either",
        allowed_from=(OrderStatus.ACTIVE,),
        to=OrderStatus.CANCELLED,
        event="cancelled",
        apply=apply,
    )


def tip_order(order: Order, *, actor: User, amount_cents: int) -> Order:
    """One tip per order, after delivery, paid by card."""
    if not 0 < amount_cents <= settings.MAX_TIP_CENTS:
        raise DomainError(_("Enter a tip between $0.01 and the maximum."), code="invalid_amount")
    permissions.may_act_on_order(actor, order).enforce()
    if actor.pk != order.buyer_id:
        raise BuyerOnly()
    if order.status not in (OrderStatus.DELIVERED, OrderStatus.COMPLETED) or order.tip_cents:
        raise InvalidTransition()

    def book(reference: str) -> Order:
        with transaction.atomic():
            locked = Order.objects.select_for_update().get(pk=order.pk)
            if (
                locked.status not in (OrderStatus.DELIVERED, OrderStatus.COMPLETED)
                or locked.tip_cents
            ):
                raise InvalidTransition()
            locked.tip_cents = amount_cents
            locked.tipped_at = timezone.now()
            locked.save(update_fields=["tip_cents", "tipped_at"])
            _entry(actor, Bucket.EXTERNAL, EntryKind.PAYMENT, -amount_cents, locked)
            if locked.status == OrderStatus.COMPLETED:
                # Completed already: the tip is earned now; before completion, accept books it.
                _entry(
                    locked.seller_id,
                    Bucket.PENDING,
                    EntryKind.TIP,
                    amount_cents,
                    locked,
                    available_at=locked.tipped_at + settings.CLEARING_PERIOD,
                )
                stats.record_tip_on_completed_order(locked, amount_cents)
            audit.record(
                "marketplace.order_tipped", actor=actor, obj=locked, data={"cents": amount_cents}
            )
        return locked

    return _charge_then(
        buyer=actor,
        amount_cents=amount_cents,
        # A fresh key per attempt: a refunded attempt must not be replayed by the provider.
        key=f"tip:{order.pk}:{uuid.uuid4()}",
        description="Tip",
        book=book,
    )
