"""The slow path of work that calls the outside world (the outbox pattern, `core.models.Deferred`).

A service that must call a provider after its commit leaves its row due (`first_attempt_at`) and
queues a task as the fast path. If the task runs, the row is settled and no longer due. If the
task was never queued (the broker was down) or died with its worker, or the provider said "try
later" (`retry_later`), a scheduled job sweeps the row when it falls due (`retry_due`) and runs
the same service. The service checks the row's state under its lock, so the fast and the slow
path never do the work twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from django.db import models

from core.models import Deferred
from core.sweep import sweep

# How long a fresh row is left to its task before the sweep takes it.
FAST_PATH_GRACE = timedelta(minutes=2)
# Retries wait 1, 2, 4, … minutes, never more than an hour.
MAX_BACKOFF = timedelta(hours=1)

D = TypeVar("D", bound=Deferred)


def first_attempt_at(now: datetime) -> datetime:
    return now + FAST_PATH_GRACE


def retry_later(row: Deferred, *, now: datetime) -> list[str]:
    """Count a failed attempt and schedule the next one with exponential backoff; returns the
    fields to save."""
    row.attempts += 1
    row.next_attempt_at = now + min(timedelta(minutes=2 ** (row.attempts - 1)), MAX_BACKOFF)
    return ["attempts", "next_attempt_at"]


def retry_due(
    due: Callable[[datetime], models.QuerySet[D]],
    run: Callable[[D], object],
    *,
    now: datetime | None = None,
    batch_size: int = 10,
) -> int:
    """Run `run` (the row's one service) for every row of `due(now)` whose next attempt is due,
    oldest debt first, in small batches (each holds its rows while the provider answers)."""

    def act(batch: list[D], at: datetime) -> None:
        for row in batch:
            run(row)

    return sweep(due, act, order_by=("next_attempt_at", "pk"), now=now, batch_size=batch_size)
