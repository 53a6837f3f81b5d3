"""The job wiring end to end: a real worker consuming from the configured broker (Redis in
`make test`) runs a scheduled job, and the run is recorded as beat's runs are."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app
from config.models import JobRun


@pytest.mark.celery_worker_test
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_scheduled_job_sent_through_the_broker():
    app.loader.import_default_modules()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        app.send_task("config.tasks.heartbeat")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            run = JobRun.objects.filter(name="heartbeat", runs__gte=1).first()
            if run:
                break
            time.sleep(0.1)
    assert run is not None, "the worker never ran the job"
    assert run.last_result == "ok"
