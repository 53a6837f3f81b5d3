"""Recording and running scheduled jobs. The jobs are `core.jobs.JOBS`; every run, from beat
or from `manage.py runjob`, is recorded in `config.models.JobRun` (connected in `config.apps`)."""

from __future__ import annotations

from typing import Any

from celery.signals import task_failure, task_postrun, task_prerun
from django.db.models import F

from config.celery import app
from config.models import JobRun
from core import clock
from core.jobs import JOBS


class UnknownJobError(LookupError):
    pass


def _job_name(task_name: str) -> str | None:
    for job in JOBS:
        if job.task == task_name:
            return job.name
    return None


def record_job_start(name: str) -> None:
    JobRun.objects.update_or_create(name=name, defaults={"last_started_at": clock.now()})


def record_job_success(name: str, result: Any) -> None:
    JobRun.objects.get_or_create(name=name)
    JobRun.objects.filter(name=name).update(
        runs=F("runs") + 1,
        last_succeeded_at=clock.now(),
        last_result="" if result is None else str(result)[:1000],
    )


def record_job_failure(name: str, error: BaseException | None) -> None:
    JobRun.objects.update_or_create(
        name=name,
        defaults={"last_failed_at": clock.now(), "last_error": repr(error)[:1000]},
    )


def run_job(name: str) -> Any:
    """Run one scheduled job in this process, recorded like a run from beat."""
    job = JOBS.get(name)
    if job is None:
        raise UnknownJobError(name)
    task = app.tasks[job.task]
    record_job_start(name)
    try:
        result = task.run()
    except Exception as error:
        record_job_failure(name, error)
        raise
    record_job_success(name, result)
    return result


def _job_started(sender: Any = None, **kwargs: Any) -> None:
    name = _job_name(getattr(sender, "name", ""))
    if name:
        record_job_start(name)


def _job_finished(sender: Any = None, retval: Any = None, state: str = "", **kwargs: Any) -> None:
    name = _job_name(getattr(sender, "name", ""))
    if name and state == "SUCCESS":
        record_job_success(name, retval)


def _job_failed(sender: Any = None, exception: BaseException | None = None, **kwargs: Any) -> None:
    name = _job_name(getattr(sender, "name", ""))
    if name:
        record_job_failure(name, exception)


def connect() -> None:
    """Record the runs of scheduled jobs in the worker (called once, from `config.apps`)."""
    task_prerun.connect(_job_started, dispatch_uid="config.jobs.started")
    task_postrun.connect(_job_finished, dispatch_uid="config.jobs.finished")
    task_failure.connect(_job_failed, dispatch_uid="config.jobs.failed")
