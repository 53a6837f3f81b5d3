"""A banned seller's balance (M-7): held at the ban, paid out through a signed link during a
withdrawal window that needs no login, and what is left marked unclaimed when the window closes
— or released back to the seller when a ban is reversed (M-12).

These are the money movements; when each happens (90 days after the ban, 7 days later) is the
sanctions' policy, which calls them from its jobs with the due dates it chose.

Locks, always in this order: the user's row (`lock_user`, which every spender of the user's
money takes), then the hold, then ledger entries. While a hold is open, money that reaches the
user later (a clearing, a refused payout) goes into the hold too (`wallet`).
"""

from __future__ import annotations

from datetime import datetime

from django.core import signing
from django.db import transaction

from accounts import audit
from accounts.audit import AuditAction
from accounts.models import User
from core import clock
from core.errors import error_for
from marketplace import selectors
from marketplace.audit import (
    BALANCE_HELD,
    HOLD_RELEASED,
    PAYOUT_WINDOW_CLOSED,
    PAYOUT_WINDOW_OPENED,
)
from marketplace.errors import (
    HOLD_NOT_OPEN,
    PAYOUT_LINK_INVALID,
)
from marketplace.models import (
    HELD_MONEY_GOES_TO,
    BalanceHold,
    Bucket,
    EntryKind,
    HoldStatus,
    LedgerEntry,
    PendingClearance,
    Withdrawal,
)
from marketplace.services.ledger import lock_user, move
from marketplace.services.wallet import request_payout

# Signs the link and reads it back, so a changed salt changes both alike; a link signed with
# another salt is refused (tested).
LINK_SALT = "marketplace.payout-window"  # pragma: no mutate


def hold_balance(
    user: User, *, actor: User | None, reason: str, releases_at: datetime
) -> BalanceHold:
    """Move everything the user could withdraw — available, and pending earnings not cleared
    yet — into their held balance. Idempotent and additive: a second call adds what arrived
    since to the same open hold, and moves nothing twice (each pending entry is settled once,
    by clearing or by the hold, through its unique `clears` link)."""
    with transaction.atomic():
        lock_user(user.pk)
        hold = BalanceHold.objects.open_for(user).select_for_update().first()
        if hold is None:
            hold = BalanceHold.objects.create(user=user, reason=reason, releases_at=releases_at)
        # Lock the pending entries first (waiting for a clearing run that holds some), then
        # read again which are still pending, and only then what is available: an entry the
        # clearing run took meanwhile is in `available` by now, and held from there.
        candidates = list(
            PendingClearance.objects.select_for_update(of=("self",))
            .filter(user=user)
            .values_list("pk", flat=True)
        )
        pending = LedgerEntry.objects.filter(pk__in=candidates, pending__isnull=False)
        moved = 0
        for entry in pending.select_related("order").order_by("id"):
            move(
                user=user,
                source=Bucket.PENDING,
                target=Bucket.HELD,
                kind=EntryKind.HOLD,
                amount_cents=entry.amount_cents,
                order=entry.order,
                hold=hold,
                clears=entry,
            )
            moved += entry.amount_cents
        available = selectors.balances(user).available_cents
        if available > 0:
            move(
                user=user,
                source=Bucket.AVAILABLE,
                target=Bucket.HELD,
                kind=EntryKind.HOLD,
                amount_cents=available,
                hold=hold,
            )
            moved += available
        audit.record(
            BALANCE_HELD,
            actor=actor,
            target_user=user,
            obj=hold,
            reason=reason,
            data={"cents": moved},
        )
    return hold


def _locked(hold: BalanceHold) -> BalanceHold:
    """The hold, re-read under the user's lock and its own (inside a transaction)."""
    lock_user(hold.user_id)
    return (
        BalanceHold.objects.select_for_update(of=("self",)).select_related("user").get(pk=hold.pk)
    )


def payout_link_token(hold: BalanceHold) -> str:
    """The signed token of the hold's withdrawal link. The same for one hold every time (a
    retried job sends the same link); it cannot be forged or moved to another hold."""
    return signing.dumps(str(hold.pk), salt=LINK_SALT)


def hold_for_token(token: str) -> BalanceHold:
    """The hold a link's token stands for; a tampered or unknown token is `payout_link_invalid`."""
    try:
        hold_id = signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature:
        raise error_for(PAYOUT_LINK_INVALID) from None
    hold = BalanceHold.objects.filter(pk=hold_id).select_related("user").first()
    if hold is None:
        raise error_for(PAYOUT_LINK_INVALID)
    return hold


def open_payout_window(hold: BalanceHold, *, actor: User | None, closes_at: datetime) -> str:
    """Open the hold's withdrawal window until `closes_at`; returns the link's token for the
    e-mail. Opening an open window again changes nothing and returns the same token."""
    with transaction.atomic():
        hold = _locked(hold)
        if hold.status == HoldStatus.HELD:
            hold.status = HoldStatus.WINDOW_OPEN
            hold.window_opened_at = clock.now()
            hold.window_closes_at = closes_at
            hold.save(update_fields=["status", "window_opened_at", "window_closes_at"])
            audit.record(
                PAYOUT_WINDOW_OPENED,
                actor=actor,
                target_user=hold.user,
                obj=hold,
                data={"closes_at": closes_at.isoformat()},
            )
        elif hold.status != HoldStatus.WINDOW_OPEN:
            raise error_for(HOLD_NOT_OPEN)
    return payout_link_token(hold)


def withdraw_held_balance(token: str) -> Withdrawal:
    """The signed link's withdrawal (M-7): no login, the whole held balance, to the seller's
    payout account. Single use: once a withdrawal through the link is on its way or paid, the
    link is refused; a refused payout puts the money back and the link works again while the
    window is open."""
    hold = hold_for_token(token)
    with transaction.atomic():
        hold = _locked(hold)
        # The page showed the same answer before the click (`selectors.payout_window`); under
        # the locks it is asked again.
        window = selectors.payout_window(hold)
        if window.refusal is not None:
            raise error_for(window.refusal)
        return request_payout(
            hold.user,
            actor=None,
            amount_cents=window.held_cents,
            idempotency_key=f"payout-window:{hold.pk}:{hold.withdrawals.count() + 1}",
            hold=hold,
        )


def close_payout_window(hold: BalanceHold, *, actor: User | None) -> BalanceHold:
    """Close the window: what is still held is marked unclaimed, once. Closing a closed window
    changes nothing."""
    return _end(
        hold,
        actor=actor,
        ends_as=HoldStatus.CLOSED,
        ends_from=(HoldStatus.WINDOW_OPEN,),
        kind=EntryKind.UNCLAIMED,
        action=PAYOUT_WINDOW_CLOSED,
        reason="",
    )


def release_hold(hold: BalanceHold, *, actor: User | None, reason: str) -> BalanceHold:
    """Give the held balance back to the seller as available (a reversed ban). Releasing a
    released hold changes nothing; a closed one cannot be released."""
    return _end(
        hold,
        actor=actor,
        ends_as=HoldStatus.RELEASED,
        ends_from=BalanceHold.OPEN_STATUSES,
        kind=EntryKind.RELEASE,
        action=HOLD_RELEASED,
        reason=reason,
    )


def return_unclaimed(hold: BalanceHold, *, actor: User | None, reason: str) -> BalanceHold:
    """Give a closed hold's unclaimed remainder back to the seller as available: a ban reversed
    on appeal after its withdrawal window closed (M-12 allows six months; the window closes
    after 97 days). Once, like every end of a hold."""
    return _end(
        hold,
        actor=actor,
        ends_as=HoldStatus.RELEASED,
        ends_from=(HoldStatus.CLOSED,),
        kind=EntryKind.RELEASE,
        action=HOLD_RELEASED,
        reason=reason,
        source=Bucket.UNCLAIMED,
    )


def _end(
    hold: BalanceHold,
    *,
    actor: User | None,
    ends_as: HoldStatus,
    ends_from: tuple[str, ...],
    kind: EntryKind,
    action: AuditAction,
    reason: str,
    source: Bucket = Bucket.HELD,
) -> BalanceHold:
    """End a hold: move what it still has in `source` (held; or unclaimed, for a closed one)
    to where its new state says, once (a unique ledger constraint), and record it. Ending a
    hold the same way twice changes nothing."""
    with transaction.atomic():
        hold = _locked(hold)
        if hold.status == ends_as:
            return hold
        if hold.status not in ends_from:
            raise error_for(HOLD_NOT_OPEN)
        rest = selectors.held_in(hold, bucket=source)
        if rest > 0:
            move(
                user=hold.user,
                source=source,
                target=HELD_MONEY_GOES_TO[ends_as],
                kind=kind,
                amount_cents=rest,
                hold=hold,
            )
        hold.status = ends_as
        hold.ended_at = clock.now()
        hold.save(update_fields=["status", "ended_at"])
        audit.record(
            action,
            actor=actor,
            target_user=hold.user,
            obj=hold,
            reason=reason,
            data={"cents": rest},
        )
    return hold
