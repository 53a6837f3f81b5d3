"""Moderation's Celery tasks and scheduled jobs (J-2 … J-4, and the ban's slow path)."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task

from core.jobs import scheduled
from moderation import services
from moderation.services.bans import SETTLE_BAN


@shared_task(name=SETTLE_BAN)
def settle_ban(ban_id: str) -> str:
    """The fast path after a ban; `settle_bans` finishes what it could not."""
    ban = services.settle_ban(ban_id)
    return f"cancelled {ban.cancelled_orders} orders"


@scheduled(
    every=timedelta(minutes=5),
    name="settle_bans",
    description="M-7: bans whose orders and money were not handled yet (a lost task, a crash).",
)
@shared_task(name="moderation.tasks.settle_bans")
def settle_bans() -> str:
    return f"settled {services.settle_bans()} bans"


@scheduled(
    every=timedelta(minutes=15),
    name="end_overdue_reviews",
    description="J-2: reviews nobody decided by their deadline end with the default outcome.",
)
@shared_task(name="moderation.tasks.end_overdue_reviews")
def end_overdue_reviews() -> str:
    return f"ended {services.end_overdue_reviews()} reviews"


@scheduled(
    every=timedelta(hours=1),
    name="open_payout_windows",
    description="J-3: 90 days after a ban, e-mail the seller a 7-day withdrawal link.",
)
@shared_task(name="moderation.tasks.open_payout_windows")
def open_payout_windows() -> str:
    return f"opened {services.open_payout_windows()} withdrawal windows"


@scheduled(
    every=timedelta(hours=1),
    name="close_payout_windows",
    description="J-4: after the 7 days the link is dead and the rest is marked unclaimed.",
)
@shared_task(name="moderation.tasks.close_payout_windows")
def close_payout_windows() -> str:
    return f"closed {services.close_payout_windows()} withdrawal windows"


@scheduled(
    every=timedelta(minutes=1),
    name="release_expired_claims",
    description="M-10: cases taken and left past the claim timeout go back to the queue.",
)
@shared_task(name="moderation.tasks.release_expired_claims")
def release_expired_claims() -> str:
    return f"released {services.release_expired_claims()} cases"
