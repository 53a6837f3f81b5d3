"""A permanent ban and its money (M-7, J-3, J-4).

The ban takes effect in the transaction that records it: standing `banned` (every session and
API token dead at its next request, the tokens deleted), gigs hidden with the standing. What
it sets off runs after commit, in batches, each its own transaction (`settle_ban`): the user's
active orders cancelled and their buyers refunded, then the user's credit refunded to the card
at once and, for a seller, the balance held. The ban row stays due until that is done, so a
lost task or a crash half-way is finished by `settle_bans`; every step is idempotent (a
cancelled order is not cancelled again, credit refunded is gone, a hold adds only what is not
held yet).

90 days later (`BAN_HOLD_DAYS`) `open_payout_windows` e-mails the seller a signed link that works
without logging in for 7 days (`PAYOUT_WINDOW_DAYS`); `close_payout_windows` then marks the rest
unclaimed. The marketplace moves the money (`marketplace.services.holds`); this decides when.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from accounts import audit as audit_log
from accounts import services as accounts
from accounts.audit import AuditAction
from accounts.models import Standing, User
from core import clock
from core.queue import enqueue_after_commit
from core.retry import first_attempt_at, retry_later
from core.services import notify
from marketplace import selectors as money
from marketplace import services as marketplace
from marketplace.models import BalanceHold, HoldStatus
from marketplace.services.ledger import lock_user
from moderation import audit, notices
from moderation.models import Ban, Review
from moderation.services import statements

logger = logging.getLogger(__name__)

SETTLE_BAN = "moderation.tasks.settle_ban"  # pragma: no mutate


def ban_locked(
    user: User,
    *,
    actor: User | None,
    reason: str,
    review: Review | None,
    action: AuditAction,
    grounds: statements.Grounds | None = None,
) -> Ban:
    """Ban `user`, whose row the caller holds locked, with `action` as the one audit entry
    (a direct ban, a reviewer's decision, or the job's default outcome), and its statement
    of reasons (M-11)."""
    now = clock.now()
    ban = Ban.objects.create(
        user=user,
        banned_by=actor,
        banned_at=now,
        reason=reason,
        review=review,
        next_attempt_at=first_attempt_at(now),
    )
    accounts.set_standing(
        user,
        actor=actor,
        standing=Standing.BANNED,
        reason=reason,
        action=action,
        obj=ban,
        data={"review": str(review.pk) if review else None, "outcome": "ban"},
    )
    statement = statements.for_ban(ban, grounds=grounds or statements.Grounds(), now=now)
    notify(
        user,
        notices.BANNED,
        {
            "reason": reason,
            "hold_days": settings.BAN_HOLD_DAYS,
            **statements.notice_context(statement),
        },
    )
    enqueue_after_commit(SETTLE_BAN, str(ban.pk))
    return ban


def settle_ban(ban_id: str, *, batch_size: int = 1000) -> Ban:
    """Carry out a ban's consequences: cancel the user's active orders (as seller and as
    buyer) a batch per transaction, then refund their credit to the card and hold what they
    earned. Safe to run twice and at once: the ban row is locked for each batch and settled
    once."""
    while True:
        with transaction.atomic():
            # Every sanction's lock order: the member, then the ban (an appeal reversing it
            # holds the member and waits for the ban; the other way round would deadlock).
            lock_user(Ban.objects.values_list("user_id", flat=True).get(pk=ban_id))
            ban = Ban.objects.select_for_update(of=("self",)).select_related("user").get(pk=ban_id)
            if ban.settled_at is not None:
                return ban
            user = ban.user
            # One statement per table for the batch, the orders locked as they are read.
            cancelled = len(
                marketplace.cancel_open_orders_of(user, reason=ban.reason, limit=batch_size)
            )
            ban.cancelled_orders += cancelled
            if cancelled == batch_size:
                ban.save(update_fields=["cancelled_orders"])
                continue
            _settle_money(ban, user)
            return ban


def _settle_money(ban: Ban, user: User) -> None:
    """The last step, inside the batch's transaction: credit back to the card, earnings held."""
    refunds = marketplace.refund_credit_to_card(user, actor=None, reason=ban.reason)
    balances = money.balances(user)
    held = None
    if balances.available_cents + balances.pending_cents > 0:
        held = marketplace.hold_balance(
            user,
            actor=None,
            reason=ban.reason,
            releases_at=ban.banned_at + timedelta(days=settings.BAN_HOLD_DAYS),
        )
    ban.settled_at = clock.now()
    ban.next_attempt_at = None
    ban.save(update_fields=["cancelled_orders", "settled_at", "next_attempt_at"])
    audit_log.record(
        audit.BAN_SETTLED,
        actor=None,
        target_user=user,
        obj=ban,
        data={
            "orders_cancelled": ban.cancelled_orders,
            "credit_refunded_cents": sum(part.amount_cents for part in refunds),
            "hold": str(held.pk) if held else None,
        },
    )


def settle_bans(*, now: datetime | None = None, batch_size: int = 50) -> int:
    """The slow path of `settle_ban`: bans whose task was lost, or that failed half-way."""
    now = now or clock.now()
    settled = 0
    while True:
        due = list(
            Ban.objects.filter(settled_at__isnull=True, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        for ban_id in due:
            try:
                settle_ban(str(ban_id))
            except Exception:  # one ban's failure must not stop the others; it is tried again
                logger.exception("ban %s not settled; retrying later", ban_id)
                with transaction.atomic():
                    ban = Ban.objects.select_for_update().get(pk=ban_id)
                    ban.save(update_fields=retry_later(ban, now=now))
                continue
            settled += 1
        if len(due) < batch_size:
            return settled


# ---------------------------------------------------------------- J-3, J-4
def _due_holds(now: datetime) -> list[BalanceHold]:
    return list(
        BalanceHold.objects.filter(status=HoldStatus.HELD, releases_at__lte=now).order_by(
            "releases_at", "pk"
        )[:100]
    )


def open_payout_windows(*, now: datetime | None = None) -> int:
    """J-3: 90 days after the ban, open the hold's 7-day withdrawal window and e-mail the
    signed link — exactly once: the e-mail is sent in the transaction that opens the window,
    under the user's and the hold's locks, and only if this run opened it."""
    now = now or clock.now()
    opened = 0
    while holds := _due_holds(now):
        for hold in holds:
            opened += _open_window(hold, now)
    return opened


def _open_window(hold: BalanceHold, now: datetime) -> int:
    with transaction.atomic():
        lock_user(hold.user_id)  # the marketplace's lock order: the user, then the hold
        hold = (
            BalanceHold.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(pk=hold.pk)
        )
        if hold.status != HoldStatus.HELD or hold.releases_at > now:
            return 0  # another run opened it meanwhile
        days = settings.PAYOUT_WINDOW_DAYS
        token = marketplace.open_payout_window(
            hold, actor=None, closes_at=now + timedelta(days=days)
        )
        notify(
            hold.user,
            notices.PAYOUT_WINDOW,
            {"token": token, "amount_cents": money.held_in(hold), "days": days},
        )
    return 1


def close_payout_windows(*, now: datetime | None = None) -> int:
    """J-4: after the 7 days the link is dead and what is left is marked unclaimed (once:
    closing a closed window changes nothing)."""
    now = now or clock.now()
    closed = 0
    while True:
        due = list(
            BalanceHold.objects.filter(
                status=HoldStatus.WINDOW_OPEN, window_closes_at__lte=now
            ).order_by("window_closes_at", "pk")[:100]
        )
        for hold in due:
            marketplace.close_payout_window(hold, actor=None)
        closed += len(due)
        if len(due) < 100:
            return closed
