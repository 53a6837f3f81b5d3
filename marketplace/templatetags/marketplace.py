from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from marketplace.message_kinds import kind_of
from marketplace.models import Message

register = template.Library()


@register.filter
def message_text(message: Message) -> str:
    """The message as one line in the reader's language (the inbox list's preview)."""
    return kind_of(message).text(message)


@register.simple_tag(takes_context=True)
def render_message(context: template.Context, message: Message) -> SafeString:
    """The message's content as its kind renders it (`marketplace.message_kinds`)."""
    kind = kind_of(message)
    request: Any = context.get("request")
    return render_to_string(
        kind.template,
        {"message": message, "text": kind.text(message), "viewer": getattr(request, "user", None)},
        request=request,
    )
