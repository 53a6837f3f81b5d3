"""Settling money that leaves the platform (a payout, a refund to a card) with its provider."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models, transaction

from accounts import audit
from accounts.audit import AuditAction
from core import clock
from core.retry import retry_later
from marketplace import providers
from marketplace.models import CardRefund, Withdrawal
from marketplace.services.ledger import append

T = TypeVar("T", bound=Withdrawal | CardRefund)  # pragma: no mutate (typing only)

REQUESTED = "requested"

# The provider's words are kept for support and shown in the admin, but bounded: they come
# from outside.
FAILURE_CHARS = 1000


def settle(
    queryset: models.QuerySet[T],
    pk: str,
    *,
    call: Callable[[T], str],
    done: Callable[[T, str], None],
    refused: Callable[[T, str], None],
) -> T:
    """Ask the provider (`call`, which returns its reference) to move one requested transfer,
    then record the outcome (`done` or `refused`). Safe to run twice and at once: only a
    `requested` row is settled, under its row lock. Calling out under the lock is deliberate:
    the lock is what guarantees one attempt at a time, and the provider's idempotency key (the
    row's id) makes a crashed attempt's retry safe. A retryable provider error schedules the
    next attempt on the row (`core.retry`, swept by the app's retry job); any other refusal is
    final."""
    with transaction.atomic():
        row = queryset.select_for_update(of=("self",)).get(pk=pk)
        if row.status != REQUESTED:
            return row
        try:
            reference = call(row)
        except providers.ProviderError as error:
            failure = str(error)[:FAILURE_CHARS]
            if not error.retryable:
                refused(row, failure)
                return row
            row.failure = failure
            row.save(update_fields=["failure", *retry_later(row, now=clock.now())])
            return row
        done(row, reference)
    return row


def conclude(
    row: T,
    *,
    status: str,
    entry: dict[str, Any],
    action: AuditAction,
    reason: str = "",
    **fields: str,
) -> None:
    """Record how a transfer ended: its status, when, the provider's words (`fields`), the one
    ledger entry that goes with it, and the audit entry (the system acted)."""
    changed = {"status": status, "settled_at": clock.now(), **fields}
    for name, value in changed.items():
        setattr(row, name, value)
    row.save(update_fields=list(changed))
    append(**entry)
    audit.record(action, actor=None, target_user=row.user, obj=row, reason=reason)
