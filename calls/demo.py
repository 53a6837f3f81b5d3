"""Demo calls for the cast (README), through the real services on the `local` backend:

- Lena and Paul (a Pro buyer) have just had a call: its recording plays for both.
- Lena and Noah had a call in October: its recording is past its 30 days and deleted (J-1 ran).
- Lena can start a new call with Bea from their conversation.

The October call is made now and then moved back in time, rows and invitation alike (demo data
only; the services never write a past instant). It is Lena and Noah's only conversation, so
its invitation sits in the right place in their chat.
"""

from __future__ import annotations

from datetime import timedelta

from accounts.models import User
from calls import services
from calls.models import Call, Recording
from core import clock
from marketplace.models import Conversation, Message
from marketplace.services.inbox import conversation_between


def _call(lena: User, other: User, *, topic: str) -> Call:
    call = services.start_call(conversation_between(lena, other), actor=lena, topic=topic)
    services.join_call(call, actor=lena)
    services.join_call(call, actor=other)
    services.end_call(call, actor=other)
    services.collect_recording(str(call.pk))
    return call


def _move_back(call: Call, *, by: timedelta) -> None:
    call.refresh_from_db()
    Call.objects.filter(pk=call.pk).update(
        created_at=call.created_at - by,
        scheduled_for=call.scheduled_for - by,
        started_at=call.started_at - by if call.started_at else None,
        ended_at=call.ended_at - by if call.ended_at else None,
    )
    recording = Recording.objects.get(call=call)
    Recording.objects.filter(pk=call.pk).update(
        created_at=recording.created_at - by,
        available_at=recording.available_at - by if recording.available_at else None,
        expires_at=recording.expires_at - by,
    )
    for message in Message.objects.filter(conversation=call.conversation_id):
        message.created_at -= by
        if message.payload.get("call") == str(call.pk):
            message.payload["scheduled_for"] = (call.scheduled_for - by).isoformat()
        message.save(update_fields=["created_at", "payload"])
    conversation = Conversation.objects.get(pk=call.conversation_id)
    Conversation.objects.filter(pk=conversation.pk).update(
        created_at=conversation.created_at - by,
        last_message_at=conversation.last_message_at - by if conversation.last_message_at else None,
        last_activity_at=conversation.last_activity_at - by,
    )


def seed(cast: dict[str, User]) -> bool:
    lena, paul, noah = (
        cast["seller@demo.test"],
        cast["pro@demo.test"],
        cast["newseller@demo.test"],
    )
    if Call.objects.filter(host=lena).exists():
        return False
    _call(lena, paul, topic="Walking through the style guide")
    october = _call(lena, noah, topic="Portfolio review")
    _move_back(october, by=timedelta(days=40))
    services.expire_recordings(now=clock.now())
    return True
