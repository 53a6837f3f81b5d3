"""Money, dates and numbers as the reader reads them: in the active language (Babel's CLDR data)
and the active time zone — the one helper every page, e-mail and notice uses.

German readers see `127,50 $` and `4. Dez. 2026, 18:14`, English ones `$127.50` and
`Dec 4, 2026, 6:14 PM`. Pages get the reader's language and time zone from the middleware
(`accounts.middleware`); e-mails and notices are written under the recipient's
(`translation.override` and `timezone.override`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.dates import format_skeleton, format_time, format_timedelta
from babel.numbers import format_currency, format_decimal
from django.utils import timezone, translation

CURRENCY = "USD"  # the marketplace's one currency; amounts are integer cents
MISSING = "\u2013"  # an en dash: nothing to show: an average of no orders, a date that never came


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(translation.to_locale(language))


def current_locale() -> Locale:
    return _locale(translation.get_language() or "en")


def money(amount: int | Decimal | None) -> str:
    """Cents (int) or dollars (Decimal), in the reader's way of writing money."""
    if amount is None:
        return MISSING
    value = Decimal(amount) / 100 if isinstance(amount, int) else amount
    return str(format_currency(value, CURRENCY, locale=current_locale()))


def number(value: int | Decimal) -> str:
    return str(format_decimal(value, locale=current_locale()))


def day(value: date | datetime | None) -> str:
    """A date, month abbreviated: `Dec 4, 2026` / `4. Dez. 2026` (in the reader's zone)."""
    if value is None:
        return MISSING
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return str(format_skeleton("yMMMd", value, locale=current_locale()))


def time_of_day(value: datetime | None) -> str:
    """`6:14 PM` / `18:14`, in the reader's time zone."""
    if value is None:
        return MISSING
    return str(format_time(timezone.localtime(value), "short", locale=current_locale()))


def moment(value: datetime | None) -> str:
    """A date and time: `Dec 4, 2026, 6:14 PM` / `4. Dez. 2026, 18:14` (the one style of every
    page), in the reader's time zone."""
    if value is None:
        return MISSING
    pattern = str(current_locale().datetime_formats["medium"])  # "{1}, {0}" in both languages
    return pattern.replace("{1}", day(value)).replace("{0}", time_of_day(value))


def duration(value: timedelta | None) -> str:
    """A span as the reader says it, rounded to what matters ("3 hours", "2 Tage")."""
    if value is None:
        return MISSING
    return format_timedelta(value, threshold=1.5, locale=current_locale())
