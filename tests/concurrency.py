"""Running the same work from several threads at the same moment, as two requests or two job
runs would (each thread its own database connection, closed when it is done)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import pytest
from django.db import connection

T = TypeVar("T")


def at_once(*work: Callable[[], T]) -> list[T]:
    """Start every callable together (a barrier releases them at once) and return their
    results in the order given."""
    barrier = threading.Barrier(len(work))
    results: dict[int, T] = {}

    def run(index: int, job: Callable[[], T]) -> None:
        barrier.wait()
        try:
            results[index] = job()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [results[i] for i in range(len(work))]


def race(test: Callable[..., None]) -> Callable[..., None]:
    """Marks a test of transactions that run at the same time: it commits for real (a
    transactional test database) and needs Postgres (row locks and SKIP LOCKED; SQLite lets one
    writer in at a time, so there is no race to test)."""
    needs_postgres = pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent transactions need Postgres"
    )
    marked: Callable[..., None] = pytest.mark.django_db(transaction=True)(needs_postgres(test))
    return marked
