"""What C-15's detectors found becomes a flag for a person to look at — never a warning or a
restriction by itself."""

from __future__ import annotations

from calls.models import Call
from core import clock
from marketplace.models import Message
from moderation import triage
from moderation.models import Flag, TargetType
from moderation.selectors import Target
from moderation.services import cases

MESSAGE_DETECTOR = "message_scan"
TRANSCRIPT_DETECTOR = "transcript_scan"


def flag_message(message: Message, *, rules: list[str], excerpt: str) -> Flag:
    """One flag for a message, naming every rule that matched and the excerpt (sensitive
    numbers already masked). Inside the sender's transaction."""
    target = Target(TargetType.MESSAGE, message=message, subject=message.sender)
    return _flag(target, detector=MESSAGE_DETECTOR, rules=rules, excerpt=excerpt)


def flag_call(call: Call, *, rules: list[str], excerpt: str) -> Flag:
    """One flag for a call whose transcript matched: who said it is not known, so no user is
    named; the flag lets a reviewer open the recording (C-12)."""
    return _flag(
        Target(TargetType.CALL, call=call),
        detector=TRANSCRIPT_DETECTOR,
        rules=rules,
        excerpt=excerpt,
    )


def _flag(target: Target, *, detector: str, rules: list[str], excerpt: str) -> Flag:
    """The flag, in its target's case (M-10: one queue for reports and flags)."""
    case = cases.join_case(
        target,
        reason=triage.reason_of_rules(rules),
        now=clock.now(),
        flags=1,
        sensitive=triage.is_sensitive(rules),
    )
    return Flag.objects.create(
        call=target.call,
        message=target.message,
        flagged_user=target.subject,
        case=case,
        detector=detector,
        finding=",".join(rules)[:60],
        details=excerpt,
    )
