"""Outside services for money, chosen by dotted path in settings (`core.backends`):
`PAYMENT_BACKEND` (charge a buyer, refund) and `PAYOUT_BACKEND` (pay a seller out).

`local` (the default) approves everything and needs no network; `locmem` also records every call
for tests and can be told to fail. A real provider's backend implements the same methods, keeps
its own idempotency keys, and returns these dataclasses, never raw provider JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from core.backends import ProviderError, load_backend

__all__ = ["Charge", "PaymentBackend", "Payout", "PayoutBackend", "ProviderError", "Refund"]


@dataclass(frozen=True)
class Charge:
    reference: str
    amount_cents: int


@dataclass(frozen=True)
class Refund:
    reference: str
    amount_cents: int


@dataclass(frozen=True)
class Payout:
    reference: str
    amount_cents: int


class PaymentBackend(Protocol):
    def charge(
        self, *, customer: str, amount_cents: int, idempotency_key: str, description: str
    ) -> Charge: ...

    def refund(
        self, *, charge_reference: str, amount_cents: int, idempotency_key: str
    ) -> Refund: ...


class PayoutBackend(Protocol):
    def payout(self, *, recipient: str, amount_cents: int, idempotency_key: str) -> Payout: ...


def payments() -> PaymentBackend:
    backend: PaymentBackend = load_backend("PAYMENT_BACKEND")
    return backend


def payouts() -> PayoutBackend:
    backend: PayoutBackend = load_backend("PAYOUT_BACKEND")
    return backend
