"""The registry of message kinds (K-4): what a message in a conversation is and how it shows.

A kind is declared once by the app that posts it, with the template that renders it on the
conversation page and the one line that stands for it in the inbox list and the API's `text`
(both in the reader's language). The marketplace declares a user's text and the system notice;
the calls app declares its call invitation, moderation its safety notices — neither edits a
marketplace template nor adds a marketplace migration (`Message.kind` is not a choice field).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from core.registry import Registry
from marketplace import order_states
from marketplace.models import Message


@dataclass(frozen=True)
class MessageKind:
    name: str
    label: StrOrPromise
    # Renders the message's content on pages, with `message`, `viewer` and `text` in context.
    template: str
    # The message as one line of text in the active language.
    text: Callable[[Message], str]
    # A user's message has a sender; a notice from the platform has none.
    has_sender: bool


MESSAGE_KINDS: Registry[MessageKind] = Registry("message kind")


def message_kind(
    name: str,
    *,
    label: StrOrPromise,
    template: str,
    text: Callable[[Message], str],
    has_sender: bool,
) -> MessageKind:
    return MESSAGE_KINDS.add(
        name, MessageKind(name, label, template=template, text=text, has_sender=has_sender)
    )


def _notice_text(message: Message) -> str:
    """An order notice in the reader's language, from the state table; the stored English body
    is the fallback. The order's title travels in the payload, so lists render notices without
    loading orders."""
    row = order_states.NOTICES.get(message.payload.get("event", ""))
    title = message.payload.get("title")
    if row is None or title is None:
        return message.body
    return str(row.notice) % {"title": title}


TEXT = message_kind(
    "text",
    label=_("Message"),
    template="marketplace/messages/text.html",
    text=lambda message: message.body,
    has_sender=True,
)
NOTICE = message_kind(
    "system",
    label=_("Notice"),
    template="marketplace/messages/notice.html",
    text=_notice_text,
    has_sender=False,
)


def kind_of(message: Message) -> MessageKind:
    """The message's declared kind; a kind nobody declares any more shows as plain text."""
    return MESSAGE_KINDS.get(message.kind) or TEXT
