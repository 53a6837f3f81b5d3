from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext_lazy as _

from marketplace import money
from marketplace.models import Message

register = template.Library()


SYSTEM_TEXT = {
    "order_placed": _("Order placed: %(title)s"),
    "order_delivered": _("Order delivered: %(title)s"),
    "order_revision_requested": _("Revision requested: %(title)s"),
    "order_completed": _("Order completed: %(title)s"),
    "order_cancelled": _("Order cancelled: %(title)s"),
}


@register.filter
def system_text(message: Message) -> str:
    """A system notice in the viewer's language; the stored English body is the fallback.
    The order's title travels in the payload so lists render notices without loading orders."""
    text = SYSTEM_TEXT.get(message.payload.get("event", ""))
    title = message.payload.get("title")
    if text is None or title is None:
        return message.body
    return str(text) % {"title": title}


@register.filter
def usd(value: int | Decimal | None) -> str:
    """Cents (int) or dollars (Decimal) as "$1,234.50"."""
    return money.format_usd(value)
