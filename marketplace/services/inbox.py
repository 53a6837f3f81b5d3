from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from accounts.errors import RateLimited
from accounts.models import User
from marketplace import permissions, ratelimit, selectors
from marketplace.models import Conversation, Message, MessageKind, Order


def conversation_between(a: User, b: User) -> Conversation:
    """The pair's one conversation, created if missing (no gate: callers have checked theirs)."""
    low, high = sorted((a.pk, b.pk))
    existing = Conversation.objects.filter(user_low_id=low, user_high_id=high).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Conversation.objects.create(user_low_id=low, user_high_id=high)
    except IntegrityError:  # created by a concurrent request in the meantime
        return Conversation.objects.get(user_low_id=low, user_high_id=high)


def start_conversation(user: User, *, other: User) -> tuple[Conversation, bool]:
    """POST /api/conversations/: the existing conversation if there is one, else a new one."""
    low, high = sorted((user.pk, other.pk))
    existing = Conversation.objects.filter(user_low_id=low, user_high_id=high).first()
    if existing:
        return existing, False
    permissions.may_message(
        user, other, has_open_order=selectors.has_open_order_between(user, other)
    ).enforce()
    return conversation_between(user, other), True


def send_message(conversation: Conversation, *, sender: User, body: str) -> Message:
    """A user's message. Gated (M-3), rate-limited per user, stored as plain text (pages escape
    it on output)."""
    recipient = User.objects.get(pk=conversation.other(sender.pk))
    permissions.may_message(
        sender, recipient, has_open_order=selectors.has_open_order_between(sender, recipient)
    ).enforce()
    if not ratelimit.hit(
        f"message:{sender.pk}",
        limit=settings.MESSAGE_RATE_LIMIT,
        window_seconds=settings.MESSAGE_RATE_WINDOW_SECONDS,
    ):
        raise RateLimited()
    return post_message(conversation, sender=sender, body=body)


def post_message(
    conversation: Conversation,
    *,
    sender: User | None,
    body: str,
    kind: MessageKind = MessageKind.TEXT,
    payload: dict[str, Any] | None = None,
    order: Order | None = None,
) -> Message:
    """Append a message of any kind (system notices and call invitations come from services
    that have done their own checks) and keep the conversation's summary current."""
    with transaction.atomic():
        message = Message.objects.create(
            conversation=conversation,
            sender=sender,
            kind=kind,
            body=body,
            payload=payload or {},
            order=order,
        )
        unread = {}
        for user_id, counter in (
            (conversation.user_low_id, "unread_low"),
            (conversation.user_high_id, "unread_high"),
        ):
            if sender is None or user_id != sender.pk:
                unread[counter] = F(counter) + 1
        Conversation.objects.filter(pk=conversation.pk).update(
            last_message=message,
            last_message_at=message.created_at,
            last_activity_at=message.created_at,
            **unread,
        )
    return message


def mark_read(conversation: Conversation, *, user: User) -> None:
    counter = "unread_low" if user.pk == conversation.user_low_id else "unread_high"
    if getattr(conversation, counter):
        Conversation.objects.filter(pk=conversation.pk).update(**{counter: 0})
        setattr(conversation, counter, 0)
