"""The default backends: everything succeeds, nothing leaves the machine.

References are derived from the idempotency key, so a retried call returns the same reference,
as a real provider's idempotency would.
"""

from __future__ import annotations

import hashlib

from marketplace.providers import Charge, Payout, Refund


def _reference(prefix: str, key: str) -> str:
    return f"{prefix}_{hashlib.sha256(key.encode()).hexdigest()[:24]}"


class LocalPaymentBackend:
    def charge(
        self, *, customer: str, amount_cents: int, idempotency_key: str, description: str
    ) -> Charge:
        return Charge(reference=_reference("ch", idempotency_key), amount_cents=amount_cents)

    def refund(self, *, charge_reference: str, amount_cents: int, idempotency_key: str) -> Refund:
        return Refund(reference=_reference("re", idempotency_key), amount_cents=amount_cents)


class LocalPayoutBackend:
    def payout(self, *, recipient: str, amount_cents: int, idempotency_key: str) -> Payout:
        return Payout(reference=_reference("po", idempotency_key), amount_cents=amount_cents)
