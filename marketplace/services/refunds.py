"""A buyer's credit back to the card it was paid with (M-7: a banned buyer's credit is refunded
at once), through the payment backend.

Credit comes from cancelled orders, which the buyer paid by card (or with earlier credit).
Refunding it matches it to the buyer's card charges, newest first, each charge refunded at most
up to what it took; each part is a `CardRefund` that the payment backend settles exactly once.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Max, QuerySet, Sum

from accounts import audit
from accounts.models import User
from core import clock
from core.queue import enqueue_after_commit
from core.retry import first_attempt_at, retry_due
from marketplace import providers, selectors
from marketplace.audit import CARD_REFUND_FAILED, CARD_REFUND_REQUESTED, CARD_REFUND_SETTLED
from marketplace.models import Bucket, CardRefund, CardRefundStatus, EntryKind, LedgerEntry
from marketplace.services.ledger import append_many, lock_user
from marketplace.services.settle import conclude, settle

# The task's name, used by both the task and its queuing (a mutant of it changes both alike).
REFUND_TO_CARD = "marketplace.tasks.refund_to_card"  # pragma: no mutate


def _refundable_charges(user: User) -> list[tuple[str, int]]:
    """(charge reference, amount still refundable), newest charge first."""
    charged = (
        LedgerEntry.objects.filter(user=user, bucket=Bucket.EXTERNAL, kind=EntryKind.PAYMENT)
        .values("reference")
        .annotate(cents=-Sum("amount_cents"), last=Max("id"))
        .order_by("-last")
    )
    refunded = dict(
        CardRefund.objects.filter(user=user)
        .exclude(status=CardRefundStatus.FAILED)
        .values("charge_reference")
        .annotate(cents=Sum("amount_cents"))
        .values_list("charge_reference", "cents")
    )
    charges = [
        (row["reference"], row["cents"] - refunded.get(row["reference"], 0)) for row in charged
    ]
    return [(reference, cents) for reference, cents in charges if cents > 0]


def refund_credit_to_card(user: User, *, actor: User | None, reason: str) -> list[CardRefund]:
    """Take the user's whole credit balance out of credit and refund it to their card charges.
    Nothing to refund is a no-op, so running it twice refunds once. Credit that no charge can
    take back (none should exist) stays credit, and the audit entry says how much."""
    with transaction.atomic():
        lock_user(user.pk)
        credit = selectors.balances(user).credit_cents
        if credit <= 0:
            return []
        parts: list[CardRefund] = []
        remaining = credit
        due = first_attempt_at(clock.now())
        for reference, refundable in _refundable_charges(user):
            amount = min(refundable, remaining)
            parts.append(
                CardRefund(
                    user=user,
                    charge_reference=reference,
                    amount_cents=amount,
                    reason=reason,
                    next_attempt_at=due,
                )
            )
            remaining -= amount
            if remaining == 0:
                break
        # A long-standing buyer's credit spans hundreds of charges: one INSERT per table and
        # one task for all the parts, each settled (and retried) on its own row.
        CardRefund.objects.bulk_create(parts)
        append_many(
            [
                LedgerEntry(
                    user=user,
                    bucket=Bucket.CREDIT,
                    kind=EntryKind.CARD_REFUND,
                    amount_cents=-part.amount_cents,
                    card_refund=part,
                    reference=part.charge_reference,
                )
                for part in parts
            ]
        )
        if parts:
            enqueue_after_commit(REFUND_TO_CARD, *[str(part.pk) for part in parts])
        audit.record(
            CARD_REFUND_REQUESTED,
            actor=actor,
            target_user=user,
            reason=reason,
            data={"cents": credit - remaining, "parts": len(parts), "left": remaining},
        )
    return parts


def _due_card_refunds(now: datetime) -> QuerySet[CardRefund]:
    return CardRefund.objects.filter(status=CardRefundStatus.REQUESTED, next_attempt_at__lte=now)


def retry_card_refunds(*, now: datetime | None = None) -> int:
    """Refunds to card whose task was lost or whose provider asked to try later."""
    return retry_due(_due_card_refunds, lambda part: settle_card_refund(str(part.pk)), now=now)


def settle_card_refund(card_refund_id: str) -> CardRefund:
    """Ask the payment backend for one part's refund, once (`settle`), with the part's id as
    the idempotency key. A refused refund puts the amount back into credit."""
    return settle(
        CardRefund.objects.select_related("user"),
        card_refund_id,
        call=lambda part: (
            providers.payments()
            .refund(
                charge_reference=part.charge_reference,
                amount_cents=part.amount_cents,
                idempotency_key=f"card-refund:{part.pk}",
            )
            .reference
        ),
        done=_refunded,
        refused=_refused,
    )


def _refunded(part: CardRefund, reference: str) -> None:
    conclude(
        part,
        status=CardRefundStatus.REFUNDED,
        refund_reference=reference,
        entry={
            "user": part.user_id,
            "bucket": Bucket.EXTERNAL,
            "kind": EntryKind.CARD_REFUND,
            "amount_cents": part.amount_cents,
            "card_refund": part,
            "reference": part.charge_reference,
        },
        action=CARD_REFUND_SETTLED,
    )


def _refused(part: CardRefund, failure: str) -> None:
    conclude(
        part,
        status=CardRefundStatus.FAILED,
        failure=failure,
        entry={
            "user": part.user_id,
            "bucket": Bucket.CREDIT,
            "kind": EntryKind.CARD_REFUND_REVERSED,
            "amount_cents": part.amount_cents,
            "card_refund": part,
        },
        action=CARD_REFUND_FAILED,
        reason=failure,
    )
