"""`{% load formatting %}`: money, dates and numbers in the reader's language and time zone
(`core.formatting`)."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils.html import format_html

from core import formatting

register = template.Library()

register.filter("money", formatting.money)
register.filter("moment", formatting.moment)
register.filter("day", formatting.day)
register.filter("time_of_day", formatting.time_of_day)
register.filter("number", formatting.number)
register.filter("duration", formatting.duration)


@register.filter
def initials(name: str) -> str:
    """Up to two initials for an avatar: "Lena Leveled" → "LL", "bea" → "B"."""
    return "".join(word[0] for word in name.split()[:2]).upper() or "?"


@register.simple_tag
def when(value: datetime | None, style: str = "moment") -> str:
    """`{% when order.placed_at %}`: a `<time>` element, machine-readable in its attribute and
    written for the reader inside (style "moment", "day" or "time_of_day")."""
    if value is None:
        return formatting.MISSING
    written = {"moment": formatting.moment, "day": formatting.day}.get(
        style, formatting.time_of_day
    )(value)
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), written)
