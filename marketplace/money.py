"""Money is integer cents (USD). These convert at the edges: forms and serializers; pages and
e-mails show it through `core.formatting.money`, in the reader's language."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

CENT = Decimal("0.01")


def to_decimal(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def to_cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value(rounding=ROUND_HALF_EVEN))


def average(total_cents: int, count: int) -> Decimal | None:
    """An average of cents as dollars, to the cent; None when there is nothing to average."""
    if count == 0:
        return None
    return (Decimal(total_cents) / count / 100).quantize(CENT, rounding=ROUND_HALF_EVEN)
