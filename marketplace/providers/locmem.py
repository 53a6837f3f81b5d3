"""Test backends: remember every call (idempotency honoured like a real provider) and fail on
demand. `reset()` between tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from marketplace.providers import Charge, Payout, ProviderError, Refund
from marketplace.providers.local import LocalPaymentBackend, LocalPayoutBackend


@dataclass
class Ledger:
    calls: list[tuple[str, str, int]] = field(default_factory=list)
    by_key: dict[str, object] = field(default_factory=dict)
    fail_next: ProviderError | None = None


state = Ledger()


def reset() -> None:
    global state
    state = Ledger()


def _call(kind: str, key: str, amount_cents: int, make: object) -> object:
    if key in state.by_key:
        return state.by_key[key]
    if state.fail_next is not None:
        error, state.fail_next = state.fail_next, None
        raise error
    result = make() if callable(make) else make
    state.calls.append((kind, key, amount_cents))
    state.by_key[key] = result
    return result


class LocmemPaymentBackend(LocalPaymentBackend):
    def charge(
        self, *, customer: str, amount_cents: int, idempotency_key: str, description: str
    ) -> Charge:
        parent = super().charge
        result = _call(
            "charge",
            idempotency_key,
            amount_cents,
            lambda: parent(
                customer=customer,
                amount_cents=amount_cents,
                idempotency_key=idempotency_key,
                description=description,
            ),
        )
        assert isinstance(result, Charge)  # noqa: S101
        return result

    def refund(self, *, charge_reference: str, amount_cents: int, idempotency_key: str) -> Refund:
        parent = super().refund
        result = _call(
            "refund",
            idempotency_key,
            amount_cents,
            lambda: parent(
                charge_reference=charge_reference,
                amount_cents=amount_cents,
                idempotency_key=idempotency_key,
            ),
        )
        assert isinstance(result, Refund)  # noqa: S101
        return result


class LocmemPayoutBackend(LocalPayoutBackend):
    def payout(self, *, recipient: str, amount_cents: int, idempotency_key: str) -> Payout:
        parent = super().payout
        result = _call(
            "payout",
            idempotency_key,
            amount_cents,
            lambda: parent(
                recipient=recipient, amount_cents=amount_cents, idempotency_key=idempotency_key
            ),
        )
        assert isinstance(result, Payout)  # noqa: S101
        return result
