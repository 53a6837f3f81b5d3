"""The Celery app. Its beat schedule is the registry of scheduled jobs (`core.jobs`), which the
apps fill as Django starts; `config.apps` hands it to Celery once they all have."""

from __future__ import annotations

import os

from celery import Celery

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
