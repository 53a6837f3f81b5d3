from __future__ import annotations

from datetime import timedelta

from celery import shared_task

from core.jobs import scheduled
from marketplace import services
from marketplace.services import ledger, refunds, wallet


@shared_task(name=wallet.PAY_OUT_WITHDRAWAL)
def pay_out_withdrawal(withdrawal_id: str) -> str:
    """The fast path; a payout the provider asks to retry is rescheduled on its row."""
    return services.pay_out_withdrawal(withdrawal_id).status


@shared_task(name=refunds.REFUND_TO_CARD)
def refund_to_card(*card_refund_ids: str) -> str:
    """The fast path for the parts of one refund of credit; a part the provider asks to retry
    is rescheduled on its own row."""
    return " ".join(services.settle_card_refund(pk).status for pk in card_refund_ids)


@scheduled(
    every=timedelta(minutes=1),
    name="retry_payouts",
    description="Withdrawals whose payout task was lost or must be tried again.",
)
@shared_task(name="marketplace.tasks.retry_payouts")
def retry_payouts() -> str:
    return f"handled {wallet.retry_payouts()} withdrawals"


@scheduled(
    every=timedelta(minutes=1),
    name="retry_card_refunds",
    description="Refunds to card whose task was lost or must be tried again.",
)
@shared_task(name="marketplace.tasks.retry_card_refunds")
def retry_card_refunds() -> str:
    return f"handled {refunds.retry_card_refunds()} refunds to card"


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


@scheduled(
    every=timedelta(days=1),
    name="reconcile_balances",
    description="K-5: the running balances, recomputed from the ledger; repairs drift.",
)
@shared_task(name="marketplace.tasks.reconcile_balances")
def reconcile_balances() -> str:
    result = ledger.reconcile_balances()
    return f"checked {result.users_checked} users, repaired {result.balances_repaired} balances"
