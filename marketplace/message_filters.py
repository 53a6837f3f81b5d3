"""The message filter seam (C-15): a filter screens each user's message inside `send_message`,
before it is stored, and may change what is stored (mask a card number) and report findings
(raise a flag) once the message exists — without the marketplace importing moderation.

`MESSAGE_FILTER` names the filter by dotted path (the backend pattern); the default,
`MessageFilter`, passes every message through unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import User
from core.backends import load_backend
from marketplace.models import Conversation, Message


@dataclass(frozen=True)
class Finding:
    """Something a filter found: `code` names it ("card_number"); `detail` is for the staff who
    review it and is never stored with the message."""

    code: str
    detail: str = ""


@dataclass(frozen=True)
class Screened:
    """What will be stored (`body`) and what was found on the way."""

    body: str
    findings: tuple[Finding, ...] = ()


class MessageFilter:
    """The no-op filter, and the interface a real one implements."""

    def screen(self, *, sender: User, conversation: Conversation, body: str) -> Screened:
        """Return what to store. Runs before the message exists; must not write."""
        return Screened(body=body)

    def stored(self, message: Message, screened: Screened) -> None:
        """Runs in the same transaction once the message is stored: the place to raise a flag
        that points at it. Not called when nothing was found."""


def message_filter() -> MessageFilter:
    filter_: MessageFilter = load_backend("MESSAGE_FILTER")
    return filter_
