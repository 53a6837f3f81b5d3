from __future__ import annotations

from celery import shared_task

from marketplace import providers, services


@shared_task(
    name="marketplace.tasks.pay_out_withdrawal",
    autoretry_for=(providers.ProviderError,),
    retry_backoff=True,
    max_retries=8,
)
def pay_out_withdrawal(withdrawal_id: str) -> str:
    return services.pay_out_withdrawal(withdrawal_id).status


@shared_task(name="marketplace.tasks.clear_pending_earnings")
def clear_pending_earnings() -> str:
    return f"cleared {services.clear_pending_earnings()} entries"


@shared_task(name="marketplace.tasks.reconcile_seller_stats")
def reconcile_seller_stats() -> str:
    result = services.reconcile_seller_stats()
    return f"checked {result.sellers_checked} sellers, repaired {result.sellers_repaired}"
