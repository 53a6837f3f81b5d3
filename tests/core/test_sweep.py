"""The sweep helper every due-date job uses (J-1…J-5): batches claimed with SKIP LOCKED, `now`
fixed per run, a row left due is a loud error, overlapping runs handle each row once."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection

from core import clock
from core.models import EmailStatus, Notification
from core.sweep import SweepError, sweep
from tests.concurrency import at_once, race
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def pending(now):
    return Notification.objects.filter(email_status=EmailStatus.PENDING, created_at__lte=now)


def notices(count, *, at=None):
    user = UserFactory.create()
    return [
        Notification.objects.create(user=user, kind="test", created_at=at or clock.now())
        for _ in range(count)
    ]


def mark_sent(batch, now):
    Notification.objects.filter(pk__in=[n.pk for n in batch]).update(email_status=EmailStatus.SENT)


def test_a_sweep_works_in_batches_until_nothing_is_due():
    notices(7)
    sizes = []

    def act(batch, now):
        sizes.append(len(batch))
        mark_sent(batch, now)

    assert sweep(pending, act, order_by=("created_at", "id"), batch_size=3) == 7
    assert sizes == [3, 3, 1]
    assert sweep(pending, act, order_by=("created_at", "id"), batch_size=3) == 0


def test_now_is_fixed_per_run_and_can_be_given():
    earlier = clock.now() - timedelta(hours=1)
    notices(2, at=earlier)
    later = notices(1)
    handled: list[object] = []

    def act(batch, now):
        assert now == earlier + timedelta(minutes=1)
        handled.extend(n.pk for n in batch)
        mark_sent(batch, now)

    assert (
        sweep(pending, act, order_by=("created_at", "id"), now=earlier + timedelta(minutes=1)) == 2
    )
    assert later[0].pk not in handled


def test_an_action_that_leaves_a_row_due_is_an_error_and_changes_nothing():
    notices(2)
    user = UserFactory.create()

    def forgetful(batch, now):
        Notification.objects.create(user=user, kind="side-effect")

    with pytest.raises(SweepError):
        sweep(pending, forgetful, order_by=("created_at", "id"))
    assert not Notification.objects.filter(kind="side-effect").exists()


@race
def test_two_overlapping_runs_handle_each_row_exactly_once():
    rows = notices(40)
    handled: list[object] = []
    lock = threading.Lock()

    def act(batch, now):
        time.sleep(0.02)  # hold the claimed rows while the other run claims its own
        with lock:
            handled.extend(n.pk for n in batch)
        mark_sent(batch, now)

    def run() -> None:
        sweep(pending, act, order_by=("created_at", "id"), batch_size=5)

    at_once(run, run)
    assert sorted(map(str, handled)) == sorted(str(n.pk) for n in rows)


@race
def test_a_run_skips_the_rows_another_run_holds_instead_of_waiting():
    rows = notices(12)
    first_claimed, second_done = threading.Event(), threading.Event()
    held: list[object] = []
    handled_by_second: list[object] = []

    def hold_first_batch(batch, now):
        held.extend(n.pk for n in batch)
        first_claimed.set()
        # Keep the batch locked until the second run has finished, or give up after 10 s.
        second_done.wait(10)
        mark_sent(batch, now)

    def first():
        sweep(pending, hold_first_batch, order_by=("created_at", "id"), batch_size=4)
        connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert first_claimed.wait(10)

    def second_act(batch, now):
        handled_by_second.extend(n.pk for n in batch)
        mark_sent(batch, now)

    started = time.monotonic()
    sweep(pending, second_act, order_by=("created_at", "id"), batch_size=50)
    waited = time.monotonic() - started
    second_done.set()
    thread.join()
    assert waited < 5, "the second run waited for the first one's rows"
    assert sorted(map(str, handled_by_second)) == sorted(
        str(n.pk) for n in rows if n.pk not in held
    )
