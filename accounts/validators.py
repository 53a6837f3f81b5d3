from __future__ import annotations

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@cache
def available_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    """Accept IANA names only ("Europe/Berlin"), as the scheduling of calls depends on them."""
    if value not in available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a known IANA time zone, such as Europe/Berlin."),
            code="invalid_timezone",
            params={"value": value},
        )
