from __future__ import annotations

from datetime import timedelta

from celery import shared_task

from core.jobs import scheduled
from marketplace import providers, services
from marketplace.services import refunds, wallet


@shared_task(
    name=wallet.PAY_OUT_WITHDRAWAL,
    autoretry_for=(providers.ProviderError,),
    retry_backoff=True,
    max_retries=8,
)
def pay_out_withdrawal(withdrawal_id: str) -> str:
    return services.pay_out_withdrawal(withdrawal_id).status


@shared_task(
    name=refunds.REFUND_TO_CARD,
    autoretry_for=(providers.ProviderError,),
    retry_backoff=True,
    max_retries=8,
)
def refund_to_card(card_refund_id: str) -> str:
    return services.settle_card_refund(card_refund_id).status


@scheduled(
    every=timedelta(minutes=15),
    name="clear_pending_earnings",
    description="J-5: pending earnings past their clearing date become available.",
)
@shared_task(name="marketplace.tasks.clear_pending_earnings")
def clear_pending_earnings() -> str:
    return f"cleared {services.clear_pending_earnings()} entries"


@scheduled(
    every=timedelta(days=1),
    name="reconcile_seller_stats",
    description="K-3: the per-seller figures, recomputed from the orders; repairs drift.",
)
@shared_task(name="marketplace.tasks.reconcile_seller_stats")
def reconcile_seller_stats() -> str:
    result = services.reconcile_seller_stats()
    return f"checked {result.sellers_checked} sellers, repaired {result.sellers_repaired}"
