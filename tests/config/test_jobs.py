from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.utils import timezone

from config.celery import app
from config.models import JobRun
from core.jobs import JOBS

pytestmark = pytest.mark.django_db


def test_every_scheduled_job_names_a_registered_task():
    schedule = app.conf.beat_schedule
    assert set(schedule) == set(JOBS.names())
    assert {"heartbeat", "clear_pending_earnings", "clear_expired_sessions"} <= set(schedule)
    for name, entry in schedule.items():
        assert entry["task"] in app.tasks, name


def test_runjob_lists_the_beat_schedule(capsys):
    call_command("runjob", "--list")
    out = capsys.readouterr().out
    assert "heartbeat\tconfig.tasks.heartbeat" in out
    assert "clear_expired_sessions\taccounts.tasks.clear_expired_sessions\tevery 6:00:00" in out


def test_runjob_runs_a_job_and_records_the_run(capsys):
    call_command("runjob", "heartbeat")
    call_command("runjob", "heartbeat")
    run = JobRun.objects.get(name="heartbeat")
    assert run.runs == 2
    assert run.last_result == "ok"
    assert run.last_succeeded_at is not None
    assert "heartbeat: ok" in capsys.readouterr().out


def test_runjob_refuses_an_unknown_job():
    with pytest.raises(CommandError, match="Unknown job 'nope'"):
        call_command("runjob", "nope")
    assert not JobRun.objects.exists()


def test_clearing_sessions_deletes_only_expired_ones_and_is_idempotent():
    with time_machine.travel(timezone.now() - timedelta(days=30)):
        old = SessionStore()
        old.set_expiry(60)
        old.create()
    fresh = SessionStore()
    fresh.create()

    call_command("runjob", "clear_expired_sessions")
    call_command("runjob", "clear_expired_sessions")

    assert list(Session.objects.values_list("session_key", flat=True)) == [fresh.session_key]
    assert (
        JobRun.objects.get(name="clear_expired_sessions").last_result
        == "deleted 0 expired sessions"
    )


def test_healthz_reports_each_part_and_a_stale_scheduler_as_503(client):
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json() == {
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
        "scheduler": {"last_heartbeat": None, "healthy": False},
    }


def test_healthz_reports_a_recent_heartbeat_as_healthy(client):
    call_command("runjob", "heartbeat")
    response = client.get("/healthz/")
    assert (response.status_code, response.json()["scheduler"]["healthy"]) == (200, True)
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        response = client.get("/healthz/")
        assert (response.status_code, response.json()["scheduler"]["healthy"]) == (503, False)
