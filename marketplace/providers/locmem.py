"""Test backends: remember everything a real provider would see and fail on demand.
`reset()` between tests.

`requests` holds every request as the provider would receive it, replays included; `calls`
holds the effects (a replay of an idempotency key answers the first result and adds none), so
a test can tell "paid once" from "asked once".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from marketplace.providers import Charge, Payout, ProviderError, Refund
from marketplace.providers.local import LocalPaymentBackend, LocalPayoutBackend

R = TypeVar("R", Charge, Refund, Payout)


@dataclass(frozen=True)
class Request:
    kind: str
    idempotency_key: str
    amount_cents: int
    # The customer charged, the charge refunded, or the recipient paid.
    party: str


@dataclass
class Ledger:
    requests: list[Request] = field(default_factory=list)
    calls: list[tuple[str, str, int]] = field(default_factory=list)
    by_key: dict[str, object] = field(default_factory=dict)
    fail_next: ProviderError | None = None


state = Ledger()


def reset() -> None:
    global state
    state = Ledger()


def _call(request: Request, make: Callable[[], R]) -> R:
    state.requests.append(request)
    if request.idempotency_key in state.by_key:
        replay = state.by_key[request.idempotency_key]
        return replay  # type: ignore[return-value]
    if state.fail_next is not None:
        error, state.fail_next = state.fail_next, None
        raise error
    result = make()
    state.calls.append((request.kind, request.idempotency_key, request.amount_cents))
    state.by_key[request.idempotency_key] = result
    return result


class LocmemPaymentBackend(LocalPaymentBackend):
    def charge(
        self, *, customer: str, amount_cents: int, idempotency_key: str, description: str
    ) -> Charge:
        parent = super().charge
        return _call(
            Request("charge", idempotency_key, amount_cents, customer),
            lambda: parent(
                customer=customer,
                amount_cents=amount_cents,
                idempotency_key=idempotency_key,
                description=description,
            ),
        )

    def refund(self, *, charge_reference: str, amount_cents: int, idempotency_key: str) -> Refund:
        parent = super().refund
        return _call(
            Request("refund", idempotency_key, amount_cents, charge_reference),
            lambda: parent(
                charge_reference=charge_reference,
                amount_cents=amount_cents,
                idempotency_key=idempotency_key,
            ),
        )


class LocmemPayoutBackend(LocalPayoutBackend):
    def payout(self, *, recipient: str, amount_cents: int, idempotency_key: str) -> Payout:
        parent = super().payout
        return _call(
            Request("payout", idempotency_key, amount_cents, recipient),
            lambda: parent(
                recipient=recipient, amount_cents=amount_cents, idempotency_key=idempotency_key
            ),
        )
