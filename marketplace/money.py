"""Money is integer cents (USD). These convert at the edges: forms and serializers; pages and
e-mails show it through `core.formatting.money`, in the reader's language."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from core import formatting

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


def tip_range_text() -> str:
    """What a tip may be, in the reader's money: "Enter a tip between $0.01 and $1,000.00."."""
    limits = {"min": formatting.money(1), "max": formatting.money(settings.MAX_TIP_CENTS)}
    return _("Enter a tip between %(min)s and %(max)s.") % limits


# For form and serializer error messages: written when shown, in the language of that request.
TIP_RANGE = lazy(tip_range_text, str)()
