"""Nothing is lost when Redis is down (cache and broker). A real redis-server of this test's own,
on its own port, is stopped in the middle and started again: no request answers 500, what the
outage delayed (a payout, a notice's e-mail) is done once after recovery, by the jobs beat runs,
through a real worker on the recovered broker."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from datetime import timedelta

import kombu.pools
import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.test import override_settings

from config.celery import app
from config.models import JobRun
from core import services as core_services
from core.models import EmailStatus, Notification
from marketplace import services
from marketplace.models import Withdrawal, WithdrawalStatus
from marketplace.providers import locmem
from marketplace.services import wallet
from tests.clients import as_user
from tests.factories import PASSWORD, make_available_funds, make_gig

pytestmark = [
    pytest.mark.celery_worker_test,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]


class RedisServer:
    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - the machine's redis-server, our flags
            [
                str(shutil.which("redis-server")),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(10)


def _use_broker(url: str) -> None:
    app.conf.update(broker_url=url, task_always_eager=False)
    # Connections and producers are pooled (per app, and by kombu per URL): drop them all so
    # the next task goes to the new URL over a fresh connection.
    kombu.pools.reset()
    app._pool = None  # type: ignore[attr-defined]
    app.amqp._producer_pool = None  # type: ignore[attr-defined]


@pytest.fixture
def redis_server(settings) -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    before = (app.conf.broker_url, app.conf.task_always_eager)
    with override_settings(CACHES=caches):
        _use_broker(server.url)
        try:
            yield server
        finally:
            url, eager = before
            _use_broker(url)
            app.conf.update(task_always_eager=eager)
            if server.process and server.process.poll() is None:
                server.stop()


def no_server_errors(*responses):
    for response in responses:
        assert response.status_code < 500 or response.status_code == 503, response.content
        assert response["Content-Type"] == "application/json", response.content


def test_an_outage_delays_work_and_loses_none(redis_server, buyer, seller, client):
    make_available_funds(seller, 5000)
    order = services.place_order(make_gig(seller), actor=buyer, extra_ids=[])
    Notification.objects.update(email_status=EmailStatus.SENT)  # what came before
    messages = f"/api/conversations/{order.conversation_id}/messages/"
    assert as_user(buyer).post(messages, {"body": "before"}, format="json").status_code == 201

    redis_server.stop()

    # Messages go through (their limit lets them); a login through the API is refused with
    # Retry-After (its throttle protects passwords); nothing answers 500.
    sent = as_user(buyer).post(messages, {"body": "during"}, format="json")
    login = client.post(
        "/api/auth/token/", {"email": buyer.email, "password": PASSWORD}, "application/json"
    )
    withdrawal = as_user(seller).post(
        "/api/wallet/withdrawals/", {"amount": "50.00", "idempotency_key": "k"}, format="json"
    )
    delivered = as_user(seller).post(f"/api/orders/{order.id}/deliver/")
    no_server_errors(sent, login, withdrawal, delivered)
    assert (sent.status_code, withdrawal.status_code, delivered.status_code) == (201, 201, 200)
    assert (login.status_code, login.json()["code"]) == (503, "temporarily_unavailable")
    assert int(login["Retry-After"]) > 0
    health = client.get("/healthz/")
    assert health.status_code == 503
    assert (health.json()["cache"], health.json()["broker"]) == ("down", "down")
    # Committed, and waiting: the payout was never queued, the e-mail never sent.
    payout = Withdrawal.objects.get(pk=withdrawal.json()["id"])
    assert payout.status == WithdrawalStatus.REQUESTED
    notice = Notification.objects.get(kind="order_delivered", user=buyer)
    assert notice.email_status == EmailStatus.PENDING
    assert mail.outbox == []

    redis_server.start()

    # After recovery, beat sends the retry jobs through the broker to a worker.
    assert payout.next_attempt_at
    assert notice.next_attempt_at
    due = max(payout.next_attempt_at, notice.next_attempt_at) + timedelta(seconds=1)
    with (
        time_machine.travel(due, tick=True),
        start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10),
    ):
        for task in ("marketplace.tasks.retry_payouts", "core.tasks.send_pending_notifications"):
            app.send_task(task)
        deadline = time.monotonic() + 20
        ran = JobRun.objects.filter(
            name__in=["retry_payouts", "send_pending_notifications"], runs__gte=1
        )
        while time.monotonic() < deadline and ran.count() < 2:
            time.sleep(0.1)
        assert ran.count() == 2, "the worker did not run both jobs"
        payout.refresh_from_db()
        assert payout.status == WithdrawalStatus.PAID
        # Beat's next round finds nothing more to do.
        assert wallet.retry_payouts() == 0
        assert core_services.send_pending_notifications() == 0
    payout.refresh_from_db()
    notice.refresh_from_db()
    assert payout.status == WithdrawalStatus.PAID
    assert [c for c in locmem.state.calls if c[0] == "payout"] == [
        ("payout", f"withdrawal:{payout.pk}", 5000)
    ]
    assert notice.email_status == EmailStatus.SENT
    assert [(m.subject, m.to) for m in mail.outbox] == [("Order delivered", [buyer.email])]
    health = client.get("/healthz/").json()
    assert (health["cache"], health["broker"]) == ("ok", "ok")
