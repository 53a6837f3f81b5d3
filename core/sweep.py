"""The one way due-date jobs work through their rows (STYLE: Time; SPEC J-1…J-5).

`sweep` claims a batch of due rows with `SELECT … FOR UPDATE SKIP LOCKED`, hands it to `act`
inside the same transaction, and repeats until a batch comes back short. `act` must leave every
row it was given no longer due (mark it done, or append what makes it done); the sweep checks
that, because a row left due would be claimed again forever. So:

- two overlapping runs never handle one row twice (the second skips what the first holds);
- a crashed run loses nothing: its batch rolls back and the next run claims those rows again;
- memory and each transaction are bounded by the batch, whatever the size of the table;
- a run after days of downtime simply finds more due rows and catches up.

`now` is fixed once per run (injectable for tests and catch-up runs), so a row that falls due
while the run is going waits for the next run instead of racing it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from django.db import models, transaction

from core import clock

M = TypeVar("M", bound=models.Model)


class SweepError(RuntimeError):
    """`act` left a claimed row due: the sweep would loop on it."""


def sweep(
    due: Callable[[datetime], models.QuerySet[M]],
    act: Callable[[list[M], datetime], None],
    *,
    order_by: tuple[str, ...],
    now: datetime | None = None,
    batch_size: int = 500,
) -> int:
    """Run `act` over every row of `due(now)` in batches; return how many rows were handled.

    `due(now)` is the queryset of rows due at `now`; `order_by` its claim order (the due-date
    column first, so the oldest debt is paid first, then a unique column)."""
    now = now or clock.now()
    handled = 0
    while True:
        with transaction.atomic():
            batch = list(
                due(now)
                .select_for_update(skip_locked=True, of=("self",))
                .order_by(*order_by)[:batch_size]
            )
            if batch:
                act(batch, now)
                if due(now).filter(pk__in=[row.pk for row in batch]).exists():
                    raise SweepError("The sweep's action left a claimed row due.")
        handled += len(batch)
        if len(batch) < batch_size:
            return handled
