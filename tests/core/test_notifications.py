"""`notify` (the in-app notice and its e-mail): in the recipient's language, sent after commit,
retried while the mail server refuses, never sent twice; the notices page, header and API."""

from __future__ import annotations

import pytest
import time_machine
from django.core import mail
from django.utils import translation

from accounts import services as accounts_services
from core import clock, selectors, services
from core.models import EmailStatus, Notification
from core.notifications import notification_kind
from marketplace import services as marketplace_services
from tests.clients import as_user, client_for, count_queries
from tests.email_backends import FlakyEmailBackend
from tests.factories import make_gig

pytestmark = pytest.mark.django_db

PING = notification_kind(
    "test_ping",
    title="Ping about %(topic)s",
    text="Something happened to %(topic)s.",
    url=lambda context: "/orders/",
)
QUIET = notification_kind("test_quiet", title="Quiet", text="Only in the account.", email=False)


def german(user):
    return accounts_services.update_profile(
        user, actor=user, display_name=user.display_name, timezone="Europe/Berlin", language="de"
    )


def test_a_german_user_gets_a_german_notice_while_the_actor_speaks_english(
    buyer, seller, django_capture_on_commit_callbacks
):
    german(seller)
    gig = make_gig(seller, title="Logo design")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        order = marketplace_services.place_order(gig, actor=buyer, extra_ids=[])
    (email,) = mail.outbox
    assert email.to == ["seller@example.test"]
    assert email.subject == "Auftrag aufgegeben"
    assert "Auftrag aufgegeben: Logo design" in email.body
    assert f"/orders/{order.id}/" in email.body
    assert "Hallo Sol Seller" in email.body
    # In the account too, in the reader's language, whatever language it was sent in.
    page = client_for(seller).get("/notifications/", HTTP_ACCEPT_LANGUAGE="de")
    assert "Auftrag aufgegeben: Logo design" in page.content.decode()


def test_the_email_goes_out_after_commit_and_only_once(buyer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notice = services.notify(buyer, PING, {"topic": "your order"})
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    services.send_notification_email(str(notice.pk))  # a second run of the task
    (email,) = mail.outbox
    assert (email.subject, email.to) == ("Ping about your order", ["buyer@example.test"])
    assert email.extra_headers["Message-ID"] == f"<{notice.pk}@127.0.0.1>"
    notice.refresh_from_db()
    assert (notice.email_status, notice.attempts) == (EmailStatus.SENT, 1)


def test_a_refusing_mail_server_is_retried_later_and_then_given_up_on(buyer, settings):
    settings.EMAIL_BACKEND = "tests.email_backends.FlakyEmailBackend"
    FlakyEmailBackend.refuse_next = 1
    notice = services.notify(buyer, PING, {"topic": "x"})
    services.send_notification_email(str(notice.pk))
    notice.refresh_from_db()
    assert (notice.email_status, notice.attempts) == (EmailStatus.PENDING, 1)
    assert "Connection unexpectedly closed" in notice.email_error
    assert notice.next_attempt_at is not None
    assert notice.next_attempt_at > clock.now()
    assert services.send_pending_notifications() == 0  # not due yet
    with time_machine.travel(notice.next_attempt_at):
        assert services.send_pending_notifications() == 1
    assert len(mail.outbox) == 1

    FlakyEmailBackend.refuse_next = services.MAX_EMAIL_ATTEMPTS
    doomed = services.notify(buyer, PING, {"topic": "y"})
    for _ in range(services.MAX_EMAIL_ATTEMPTS):
        doomed.refresh_from_db()
        with time_machine.travel(doomed.next_attempt_at):
            services.send_pending_notifications()
    doomed.refresh_from_db()
    assert (doomed.email_status, doomed.attempts) == (EmailStatus.FAILED, 6)
    assert len(mail.outbox) == 1


def test_an_email_whose_task_was_lost_is_sent_by_the_sweep_once(buyer):
    notice = services.notify(buyer, PING, {"topic": "x"})  # no commit here: no task ran
    assert services.send_pending_notifications() == 0  # the task's turn first
    with time_machine.travel(notice.next_attempt_at):
        assert services.send_pending_notifications() == 1
        assert services.send_pending_notifications() == 0
    assert len(mail.outbox) == 1


def test_a_kind_without_email_and_a_closed_account_get_no_email(buyer):
    assert services.notify(buyer, QUIET, {}).email_status == EmailStatus.NONE
    closed = accounts_services.set_active(buyer, actor=None, active=False)
    assert services.notify(closed, PING, {"topic": "x"}).email_status == EmailStatus.NONE


def test_an_account_closed_before_the_email_went_out_gets_none(buyer):
    notice = services.notify(buyer, PING, {"topic": "x"})
    accounts_services.set_active(buyer, actor=None, active=False)
    assert services.send_notification_email(str(notice.pk)).email_status == EmailStatus.NONE
    assert mail.outbox == []


def test_a_context_that_lacks_a_placeholder_fails_at_sending_time(buyer):
    with pytest.raises(KeyError):
        services.notify(buyer, PING, {})
    assert not Notification.objects.exists()


def test_the_header_counts_unread_notices_and_the_page_marks_them_read(buyer):
    for topic in ("a", "b"):
        services.notify(buyer, PING, {"topic": topic})
    client = client_for(buyer)
    page = client.get("/notifications/").content.decode()
    assert 'data-testid="unread-notices">2<' in page
    assert page.count('data-testid="notification"') == 2
    notice = Notification.objects.filter(user=buyer).latest("created_at")
    assert client.get(f"/notifications/{notice.pk}/").url == "/orders/"
    assert selectors.unread_count(buyer) == 1
    assert client.post("/notifications/read/").status_code == 302
    assert selectors.unread_count(buyer) == 0
    assert 'data-testid="unread-notices"' not in client.get("/notifications/").content.decode()


def test_the_unread_count_stops_at_its_cap(buyer, monkeypatch):
    monkeypatch.setattr(selectors, "UNREAD_COUNT_CAP", 3)
    for _ in range(5):
        services.notify(buyer, QUIET, {})
    assert selectors.unread_count(buyer) == 3
    assert 'data-testid="unread-notices">2+<' in client_for(buyer).get("/").content.decode()


def test_the_api_lists_by_keyset_and_marks_read(buyer):
    for i in range(25):
        services.notify(buyer, PING, {"topic": f"t{i}"})
    client = as_user(buyer)
    first = client.get("/api/notifications/").json()
    assert len(first["results"]) == 20
    assert first["results"][0]["title"] == "Ping about t24"
    assert first["results"][0]["read"] is False
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 5
    assert client.get("/api/notifications/unread-count/").json() == {"unread": 25}
    one = first["results"][0]["id"]
    assert client.post(f"/api/notifications/{one}/read/").json()["read"] is True
    assert client.get("/api/notifications/?unread=true").json()["results"][0]["id"] != one
    assert client.post("/api/notifications/read/").json() == {"marked": 24}


def test_nobody_sees_or_marks_another_users_notices(buyer, outsider):
    notice = services.notify(buyer, PING, {"topic": "private"})
    assert as_user(outsider).post(f"/api/notifications/{notice.pk}/read/").status_code == 404
    assert client_for(outsider).get(f"/notifications/{notice.pk}/").status_code == 404
    assert as_user(outsider).get("/api/notifications/").json()["results"] == []
    assert as_user(None).get("/api/notifications/").status_code == 401
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_notices_list_costs_the_same_for_many(buyer):
    client = client_for(buyer)
    services.notify(buyer, PING, {"topic": "a"})
    before = count_queries(client, "/notifications/")
    for i in range(15):
        services.notify(buyer, PING, {"topic": f"more {i}"})
    assert count_queries(client, "/notifications/") == before
    assert count_queries(as_user(buyer), "/api/notifications/") <= 3
