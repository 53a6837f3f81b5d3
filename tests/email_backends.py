"""An e-mail backend for tests whose server refuses the next N messages (like a real SMTP
server that is down), then behaves like Django's locmem backend (`mail.outbox`)."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from typing import Any

from django.core.mail.backends.locmem import EmailBackend


class FlakyEmailBackend(EmailBackend):
    refuse_next = 0

    def send_messages(self, email_messages: Sequence[Any]) -> int:
        if FlakyEmailBackend.refuse_next > 0:
            FlakyEmailBackend.refuse_next -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(email_messages)
