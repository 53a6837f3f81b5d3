"""Outside services for money, chosen by dotted path in settings like Django's e-mail backends:
`PAYMENT_BACKEND` (charge a buyer, refund) and `PAYOUT_BACKEND` (pay a seller out).

`local` (the default) approves everything and needs no network; `locmem` also records every call
for tests and can be told to fail. A real provider's backend implements the same methods, keeps
its own idempotency keys, and returns these dataclasses, never raw provider JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class ProviderError(Exception):
    """A provider refused or failed. `retryable` says whether trying again can help."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


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


@cache
def _load(path: str) -> object:
    return import_string(path)()


def payments() -> PaymentBackend:
    backend: PaymentBackend = _load(settings.PAYMENT_BACKEND)  # type: ignore[assignment]
    return backend


def payouts() -> PayoutBackend:
    backend: PayoutBackend = _load(settings.PAYOUT_BACKEND)  # type: ignore[assignment]
    return backend
