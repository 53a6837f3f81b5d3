"""The one clock. Services read `now()` once per operation and pass that instant on, so every
timestamp one operation writes is the same and a test moves time for all of them at once
(`time-machine` moves this clock; nothing needs patching). Model field defaults use Django's
`timezone.now`, which is the same clock."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    """The current time, always aware (UTC)."""
    return timezone.now()
