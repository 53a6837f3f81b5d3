"""The registry of scheduled jobs (SPEC J-1…J-5 and the housekeeping ones).

An app declares a job where its task is, with `@scheduled(every=...)` on the Celery task; the
app's `ready()` imports its tasks module, so the registry is complete once Django has started.
The wiring package turns the registry into Celery beat's schedule and runs a job by name
(`manage.py runjob`), so a new app's job needs no edit outside that app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol, TypeVar

from core.registry import Registry


class _NamedTask(Protocol):
    name: str


TaskT = TypeVar("TaskT", bound=_NamedTask)


@dataclass(frozen=True)
class Job:
    name: str
    task: str
    every: timedelta
    description: str


JOBS: Registry[Job] = Registry("scheduled job")


def scheduled(*, every: timedelta, name: str, description: str) -> Callable[[TaskT], TaskT]:
    """Put a Celery task on beat's schedule under the job name `name`."""

    def register(task: TaskT) -> TaskT:
        JOBS.add(name, Job(name=name, task=task.name, every=every, description=description))
        return task

    return register


def beat_schedule() -> dict[str, dict[str, Any]]:
    """Celery beat's schedule: job name -> task name and cadence."""
    return {job.name: {"task": job.task, "schedule": job.every} for job in JOBS}
