"""What C-15's detectors found becomes a flag for a person to look at — never a warning or a
restriction by itself."""

from __future__ import annotations

from calls.models import Call
from marketplace.models import Message
from moderation.models import Flag

MESSAGE_DETECTOR = "message_scan"
TRANSCRIPT_DETECTOR = "transcript_scan"


def flag_message(message: Message, *, rules: list[str], excerpt: str) -> Flag:
    """One flag for a message, naming every rule that matched and the excerpt (sensitive
    numbers already masked). Inside the sender's transaction."""
    return Flag.objects.create(
        message=message,
        flagged_user_id=message.sender_id,
        detector=MESSAGE_DETECTOR,
        finding=",".join(rules)[:60],
        details=excerpt,
    )


def flag_call(call: Call, *, rules: list[str], excerpt: str) -> Flag:
    """One flag for a call whose transcript matched: who said it is not known, so no user is
    named; the flag lets a reviewer open the recording (C-12)."""
    return Flag.objects.create(
        call=call,
        detector=TRANSCRIPT_DETECTOR,
        finding=",".join(rules)[:60],
        details=excerpt,
    )
