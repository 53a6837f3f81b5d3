"""Side effects queued by name after commit (`core.queue`): only once the write commits, never
for a rolled-back one, and a name no task answers to fails at once, inside the transaction."""

from __future__ import annotations

import pytest
from celery import current_app
from django.db import transaction

from accounts.models import User
from core.queue import enqueue_after_commit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TASK = "marketplace.tasks.pay_out_withdrawal"


@pytest.fixture
def sent(monkeypatch):
    calls: list[tuple[str, ...]] = []
    monkeypatch.setattr(current_app.tasks[TASK], "delay", lambda *args: calls.append(args))
    return calls


def test_a_task_is_sent_after_the_commit_and_not_for_a_rollback(
    sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_after_commit(TASK, "kept")
        assert sent == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                enqueue_after_commit(TASK, "rolled back")
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []
    assert sent == [("kept",)]


def test_an_unknown_task_name_fails_the_write_instead_of_waiting_for_a_sweep():
    def write_and_queue() -> None:
        with transaction.atomic():
            UserFactory.create(email="written@example.com")
            enqueue_after_commit("marketplace.tasks.no_such_task", "1")

    with pytest.raises(KeyError):
        write_and_queue()
    assert not User.objects.filter(email="written@example.com").exists()


def test_a_broker_that_refuses_does_not_fail_the_committed_request(
    monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def refuse(*args):
        raise ConnectionError("broker down")

    monkeypatch.setattr(current_app.tasks[TASK], "delay", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_after_commit(TASK, "w1")
    assert "could not queue marketplace.tasks.pay_out_withdrawal('w1',)" in caplog.text
