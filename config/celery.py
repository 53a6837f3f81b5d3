"""The Celery app and the beat schedule.

The schedule lives here, in code, and is also the registry of scheduled jobs: `manage.py runjob
<name>` runs the entry of the same name in-process, so operators and tests reach a job exactly as
beat does. Every run, from beat or from `runjob`, is recorded in `config.models.JobRun`.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

from celery import Celery
from celery.signals import task_failure, task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    # Jobs report through JobRun and the database, not a result backend.
    task_ignore_result=True,
    # A hung job is killed rather than blocking the worker; the soft limit lets it stop cleanly.
    task_soft_time_limit=240,
    task_time_limit=300,
    # Jobs are idempotent, so a job lost with its worker is better run again than dropped.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
    timezone="UTC",
    enable_utc=True,
)
app.autodiscover_tasks()
app.autodiscover_tasks(["config"])


def _beat_schedule() -> dict[str, dict[str, Any]]:
    from django.conf import settings

    return {
        # Harmless: proves beat and the worker are alive (/healthz/ reports its age).
        "heartbeat": {
            "task": "config.tasks.heartbeat",
            "schedule": settings.HEARTBEAT_INTERVAL,
        },
        # J-5: pending earnings become available after the clearing period.
        "clear_pending_earnings": {
            "task": "marketplace.tasks.clear_pending_earnings",
            "schedule": timedelta(minutes=15),
        },
        # K-3: the per-seller figures, recomputed from the orders; repairs and reports drift.
        "reconcile_seller_stats": {
            "task": "marketplace.tasks.reconcile_seller_stats",
            "schedule": timedelta(days=1),
        },
        "clear_expired_sessions": {
            "task": "accounts.tasks.clear_expired_sessions",
            "schedule": timedelta(hours=6),
        },
    }


@app.on_after_configure.connect
def _set_schedule(sender: Celery, **kwargs: Any) -> None:
    sender.conf.beat_schedule = _beat_schedule()


def scheduled_jobs() -> dict[str, dict[str, Any]]:
    """The beat schedule: job name -> entry (task name and cadence)."""
    return _beat_schedule()


def _job_name(task_name: str) -> str | None:
    for name, entry in scheduled_jobs().items():
        if entry["task"] == task_name:
            return name
    return None


@task_prerun.connect
def _job_started(sender: Any = None, **kwargs: Any) -> None:
    name = _job_name(getattr(sender, "name", ""))
    if name:
        from config.jobs import record_job_start

        record_job_start(name)


@task_postrun.connect
def _job_finished(sender: Any = None, retval: Any = None, state: str = "", **kwargs: Any) -> None:
    name = _job_name(getattr(sender, "name", ""))
    if name and state == "SUCCESS":
        from config.jobs import record_job_success

        record_job_success(name, retval)


@task_failure.connect
def _job_failed(sender: Any = None, exception: BaseException | None = None, **kwargs: Any) -> None:
    name = _job_name(getattr(sender, "name", ""))
    if name:
        from config.jobs import record_job_failure

        record_job_failure(name, exception)
