"""Recording and running scheduled jobs (the beat schedule in `config.celery` is the registry)."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils import timezone

from config.celery import app, scheduled_jobs
from config.models import JobRun


class UnknownJobError(LookupError):
    pass


def record_job_start(name: str) -> None:
    JobRun.objects.update_or_create(name=name, defaults={"last_started_at": timezone.now()})


def record_job_success(name: str, result: Any) -> None:
    JobRun.objects.get_or_create(name=name)
    JobRun.objects.filter(name=name).update(
        runs=F("runs") + 1,
        last_succeeded_at=timezone.now(),
        last_result="" if result is None else str(result)[:1000],
    )


def record_job_failure(name: str, error: BaseException | None) -> None:
    JobRun.objects.update_or_create(
        name=name,
        defaults={"last_failed_at": timezone.now(), "last_error": repr(error)[:1000]},
    )


def run_job(name: str) -> Any:
    """Run one scheduled job in this process, recorded like a run from beat."""
    entry = scheduled_jobs().get(name)
    if entry is None:
        raise UnknownJobError(name)
    # Outside a worker, Celery has not imported the apps' tasks modules yet.
    app.loader.import_default_modules()
    task = app.tasks[entry["task"]]
    record_job_start(name)
    try:
        result = task.run()
    except Exception as error:
        record_job_failure(name, error)
        raise
    record_job_success(name, result)
    return result
