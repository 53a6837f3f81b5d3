"""How urgent a case is and where it stands in the queue (M-10) — pure functions, so the
services, the migration that gathers older reports into cases, the benchmark's generator and
the tests compute the same order. No database, no clock.

Urgency, in this order: sensitive data detected (a card number, an IBAN, a national ID — C-15:
someone's money or identity is exposed right now); a repeat target (warned before, or reported
before); then how many reports and flags pile up on the case. Within one priority the oldest
case comes first.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from moderation import detection

PRIORITY_CAP = 999
SENSITIVE_WEIGHT = 500
REPEAT_WEIGHT = 100
# More reports raise a case, up to this many; a brigade of reports is not a reason to put a
# case before one with a card number in it.
PILE_CAP = 50
# Milliseconds since 1970 fit 42 bits until the year 2109.
TIME_BITS = 42


def priority(*, sensitive: bool, repeat_target: bool, items: int) -> int:
    """Higher is more urgent."""
    score = (SENSITIVE_WEIGHT if sensitive else 0) + (REPEAT_WEIGHT if repeat_target else 0)
    return min(PRIORITY_CAP, score + min(max(items, 0), PILE_CAP))


def rank(priority: int, created_at: datetime) -> int:
    """The queue's order as one number, smaller first: priority descending, then age."""
    millis = int(created_at.timestamp() * 1000)
    return ((PRIORITY_CAP - min(priority, PRIORITY_CAP)) << TIME_BITS) | millis


def is_sensitive(rules: Iterable[str]) -> bool:
    return any(rule in detection.SENSITIVE for rule in rules)


def reason_of_rules(rules: Iterable[str]) -> str:
    """The C-9 rule a detector's finding falls under: numbers that pay or identify someone are
    requests for personal or payment data; contact details and remote-access tools are moves
    off the platform."""
    return "personal_data" if is_sensitive(rules) else "off_platform"  # ConductRule values
