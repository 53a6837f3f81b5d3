"""C-15 in the inbox: every user's message is scanned before it is stored
(`moderation.filters.DetectingMessageFilter`, the default `MESSAGE_FILTER`). A card number, an
IBAN or a national id is stored masked — the full number reaches neither the database nor the
logs — and any hit raises one flag naming its rules, never a warning."""

from __future__ import annotations

import logging

import pytest
from django.db import connection
from django.test import Client

from accounts.models import AuditEntry, User
from marketplace.services.inbox import conversation_between, send_message
from moderation.models import Flag, UserWarning
from tests.clients import as_user

pytestmark = pytest.mark.django_db

PAN = "4242 4242 4242 4242"


def browser(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def every_text_in_the_database() -> str:
    """Every text and JSON column of every table, as one string to search."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb')"
        )
        for table, column in cursor.fetchall():
            cursor.execute(f'SELECT "{column}"::text FROM "{table}"')  # noqa: S608 - catalog names
            chunks.extend(str(row[0]) for row in cursor.fetchall() if row[0])
    return "\n".join(chunks)


def test_a_card_number_is_stored_masked_and_never_in_clear(buyer, seller, caplog):
    caplog.set_level(logging.DEBUG)
    conversation = conversation_between(buyer, seller)
    url = f"/api/conversations/{conversation.pk}/messages/"
    sent = as_user(buyer).post(url, {"body": f"Here is my card: {PAN}, charge me"}, format="json")
    assert sent.status_code == 201
    assert sent.json()["body"] == "Here is my card: •••• •••• •••• 4242, charge me"
    digits = PAN.replace(" ", "")
    stored = every_text_in_the_database()
    assert PAN not in stored
    assert digits not in stored
    assert PAN not in caplog.text
    assert digits not in caplog.text
    flag = Flag.objects.get()
    assert (flag.finding, flag.flagged_user, flag.message_id) == (
        "card_number",
        buyer,
        sent.json()["id"],
    )
    assert "•••• •••• •••• 4242" in flag.details


def test_contact_details_are_stored_as_written_and_flagged_once(buyer, seller):
    conversation = conversation_between(buyer, seller)
    body = "Write me on WhatsApp, +49 171 2345678, or mail bea.k@example.org"
    message = send_message(conversation, actor=buyer, body=body)
    assert message.body == body  # nothing sensitive to mask: support reads what was said
    flag = Flag.objects.get()
    assert flag.finding == "email,phone,contact_handle"
    assert flag.message == message
    assert not UserWarning.objects.exists()  # a flag waits for a person


def test_an_ordinary_message_is_not_flagged(buyer, seller):
    conversation = conversation_between(buyer, seller)
    message = send_message(
        conversation,
        actor=buyer,
        body="Order #10425 is due on 02.03.2026 at 14:30, the price was €1.234,56 for v2.1.0",
    )
    assert message.payload == {}
    assert not Flag.objects.exists()
    assert AuditEntry.objects.filter(action__startswith="moderation").count() == 0


def test_the_sender_sees_why_under_their_message_and_nobody_else_does(buyer, seller):
    conversation = conversation_between(buyer, seller)
    send_message(conversation, actor=buyer, body=f"card {PAN}")
    page = browser(buyer).get(f"/inbox/{conversation.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="safety-tip"' in html
    assert "never share card numbers" in html
    other = browser(seller).get(f"/inbox/{conversation.pk}/").content.decode()
    assert 'data-testid="safety-tip"' not in other
    assert "•••• •••• •••• 4242" in other  # the seller sees the masked number only
