"""Per-seller figures (K-3), kept in the same transaction as each order transition."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Aggregate, Count, F, Max, Q, Sum
from django.db.models.functions import Coalesce, Greatest

from marketplace.models import Order, OrderStatus, SellerStats


def record_order_placed(order: Order) -> None:
    SellerStats.objects.get_or_create(seller_id=order.seller_id)
    SellerStats.objects.filter(seller_id=order.seller_id).update(
        last_order_at=Greatest(Coalesce(F("last_order_at"), order.placed_at), order.placed_at)
    )


def record_order_completed(order: Order) -> None:
    SellerStats.objects.filter(seller_id=order.seller_id).update(
        completed_orders=F("completed_orders") + 1,
        completed_base_cents=F("completed_base_cents") + order.base_price_cents,
        completed_gross_cents=F("completed_gross_cents") + order.total_cents,
    )


def record_tip_on_completed_order(order: Order, tip_cents: int) -> None:
    SellerStats.objects.filter(seller_id=order.seller_id).update(
        completed_gross_cents=F("completed_gross_cents") + tip_cents
    )


def record_order_cancelled(order: Order) -> None:
    """A cancelled order no longer counts as the seller's last order (C-3)."""
    SellerStats.objects.filter(seller_id=order.seller_id).update(
        last_order_at=_last_order_at(order.seller_id, excluding=order)
    )


def record_orders_cancelled(seller_ids: Iterable[int]) -> None:
    """`record_order_cancelled` after a batch of cancellations already saved (a ban's)."""
    for seller_id in sorted(set(seller_ids)):
        SellerStats.objects.filter(seller_id=seller_id).update(
            last_order_at=_last_order_at(seller_id, excluding=None)
        )


def _last_order_at(seller_id: int, *, excluding: Order | None) -> datetime | None:
    # `excluding`: the order being cancelled, whose new status is not saved yet.
    orders = Order.objects.filter(seller_id=seller_id).exclude(status=OrderStatus.CANCELLED)
    if excluding is not None:
        orders = orders.exclude(pk=excluding.pk)
    latest = orders.order_by("-placed_at").values_list("placed_at", flat=True).first()
    return latest


def figures_from_orders() -> dict[str, Aggregate]:
    """SellerStats' columns as aggregates over a seller's orders: what the row must equal."""
    completed = Q(status=OrderStatus.COMPLETED)
    return {
        "completed_orders": Count("id", filter=completed),
        "completed_base_cents": Sum("base_price_cents", filter=completed, default=0),
        "completed_gross_cents": Sum(
            F("base_price_cents") + F("extras_cents") + F("tip_cents"),
            filter=completed,
            default=0,
        ),
        "last_order_at": Max("placed_at", filter=~Q(status=OrderStatus.CANCELLED)),
    }


@dataclass(frozen=True)
class Reconciliation:
    sellers_checked: int
    sellers_repaired: int


def reconcile_seller_stats(*, batch_size: int = 1000) -> Reconciliation:
    """Recompute every seller's figures from the orders, one aggregate query per batch of
    sellers, and repair any drift. Idempotent; reports what it repaired."""
    checked = repaired = 0
    seller_ids = Order.objects.order_by("seller_id").values_list("seller_id", flat=True).distinct()
    last_id = 0
    while True:
        batch = list(seller_ids.filter(seller_id__gt=last_id)[:batch_size])
        if not batch:
            break
        last_id = batch[-1]
        truth: dict[int, dict[str, Any]] = {
            row["seller_id"]: dict(row)
            for row in Order.objects.filter(seller_id__in=batch)
            .values("seller_id")
            .annotate(**figures_from_orders())
        }
        current = {s.seller_id: s for s in SellerStats.objects.filter(seller_id__in=batch)}
        fields = list(figures_from_orders())
        for seller_id, row in truth.items():
            checked += 1
            stats = current.get(seller_id) or SellerStats(seller_id=seller_id)
            if stats._state.adding or any(getattr(stats, f) != row[f] for f in fields):
                for f in fields:
                    setattr(stats, f, row[f])
                stats.save()
                repaired += 1
    return Reconciliation(sellers_checked=checked, sellers_repaired=repaired)
