"""The inbox (K-4): conversations, messages of every declared kind, the rate limit and the
message filter seam."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from accounts.models import User
from core import ratelimit
from marketplace import message_kinds, permissions, selectors
from marketplace.message_filters import message_filter
from marketplace.message_kinds import MESSAGE_KINDS, MessageKind
from marketplace.models import Conversation, Message, Order


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


def start_conversation(*, actor: User, other: User) -> tuple[Conversation, bool]:
    """POST /api/conversations/: the existing conversation if there is one, else a new one."""
    low, high = sorted((actor.pk, other.pk))
    existing = Conversation.objects.filter(user_low_id=low, user_high_id=high).first()
    if existing:
        return existing, False
    permissions.may_message(
        actor, other, has_open_order=selectors.has_open_order_between(actor, other)
    ).enforce()
    return conversation_between(actor, other), True


def send_message(conversation: Conversation, *, actor: User, body: str) -> Message:
    """A user's message. Gated (M-3), rate-limited per user, screened by the message filter
    before it is stored (C-15), stored as plain text (pages escape it on output)."""
    recipient = User.objects.get(pk=conversation.other(actor.pk))
    permissions.may_message(
        actor, recipient, has_open_order=selectors.has_open_order_between(actor, recipient)
    ).enforce()
    # Against floods: during a cache outage messages go through rather than fail.
    ratelimit.check(
        f"message:{actor.pk}",
        limit=settings.MESSAGE_RATE_LIMIT,
        window_seconds=settings.MESSAGE_RATE_WINDOW_SECONDS,
        when_down=ratelimit.WhenDown.ALLOW,
    )
    screener = message_filter()
    screened = screener.screen(sender=actor, conversation=conversation, body=body)
    with transaction.atomic():
        message = post_message(
            conversation,
            actor=actor,
            kind=message_kinds.TEXT,
            body=screened.body,
            payload={"screened": [f.code for f in screened.findings]}
            if screened.findings
            else None,
        )
        if screened.findings:
            screener.stored(message, screened)
    return message


def post_message(
    conversation: Conversation,
    *,
    actor: User | None,
    kind: MessageKind = message_kinds.TEXT,
    body: str,
    payload: dict[str, Any] | None = None,
    order: Order | None = None,
) -> Message:
    """Append a message of a declared kind (notices and call invitations come from services
    that have done their own checks) and keep the conversation's summary current. A notice has
    no sender (`actor=None`); a user's kind must have one."""
    if MESSAGE_KINDS.get(kind.name) is not kind:
        raise ValueError(f"{kind.name!r} is not a declared message kind.")
    if kind.has_sender != (actor is not None):
        raise ValueError(
            f"A {kind.name!r} message {'needs' if kind.has_sender else 'has no'} sender."
        )
    with transaction.atomic():
        message = Message.objects.create(
            conversation=conversation,
            sender=actor,
            kind=kind.name,
            body=body,
            payload=payload or {},
            order=order,
        )
        unread = {}
        for user_id, counter in (
            (conversation.user_low_id, "unread_low"),
            (conversation.user_high_id, "unread_high"),
        ):
            if actor is None or user_id != actor.pk:
                unread[counter] = F(counter) + 1
        Conversation.objects.filter(pk=conversation.pk).update(
            last_message=message,
            last_message_at=message.created_at,
            last_activity_at=message.created_at,
            **unread,
        )
    return message


_SUMMARY_FIELDS = [
    "last_message",
    "last_message_at",
    "last_activity_at",
    "unread_low",
    "unread_high",
]


def post_notices(notices: Sequence[tuple[Order, str, dict[str, Any]]]) -> list[Message]:
    """`post_message` of a notice (no sender) for each (order, body, payload) of a batch — the
    orders a ban cancels: one INSERT, and one UPDATE for the conversations' summaries."""
    if not notices:
        return []
    messages = Message.objects.bulk_create(
        Message(
            conversation_id=order.conversation_id,
            sender=None,
            kind=message_kinds.NOTICE.name,
            body=body,
            payload=payload,
            order=order,
        )
        for order, body, payload in notices
    )
    by_conversation: dict[Any, list[Message]] = defaultdict(list)
    for message in messages:
        by_conversation[message.conversation_id].append(message)
    # The summaries of all the batch's conversations in one UPDATE, their rows locked first in
    # id order (a sender's message locks one at a time, so no two writers deadlock).
    conversations = list(
        Conversation.objects.select_for_update()
        .filter(pk__in=by_conversation)
        .order_by("pk")
        .only("unread_low", "unread_high")
    )
    for conversation in conversations:
        posted = by_conversation[conversation.pk]
        last = max(posted, key=lambda message: (message.created_at, message.pk))
        conversation.last_message = last
        conversation.last_message_at = conversation.last_activity_at = last.created_at
        # A notice has no sender: both sides have it unread.
        conversation.unread_low += len(posted)
        conversation.unread_high += len(posted)
    Conversation.objects.bulk_update(conversations, _SUMMARY_FIELDS)
    return messages


def mark_read(conversation: Conversation, *, actor: User) -> None:
    counter = "unread_low" if actor.pk == conversation.user_low_id else "unread_high"
    if getattr(conversation, counter):
        Conversation.objects.filter(pk=conversation.pk).update(**{counter: 0})
        setattr(conversation, counter, 0)
