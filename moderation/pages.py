"""Moderation's part of other apps' pages: the report form on the call page (C-10), and a
"Report" link under each message someone else wrote and beside each member's name (M-10)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from calls.models import Call
from calls.pages import CALL_PAGE
from core.slots import fill_link, fill_slot
from marketplace.models import Message
from marketplace.slots import MEMBER_LINKS, MESSAGE_LINKS
from moderation.forms import ReportForm
from moderation.models import Report


def _report_form(call: Call, reader: User) -> dict[str, Any]:
    return {
        "form": ReportForm(),
        "reported": Report.objects.filter(call=call, reporter=reader).first(),
    }


fill_slot(CALL_PAGE, name="report", template="moderation/_report_call.html", context=_report_form)


def _report_message_url(message: Message, reader: User) -> str:
    return reverse("moderation:report", args=["message", message.pk])


def _report_member_url(member: User, reader: User) -> str | None:
    if member.is_staff:
        return None
    return reverse("moderation:report", args=["user", member.pk])


fill_link(
    MESSAGE_LINKS, name="report", label=pgettext_lazy("action", "Report"), url=_report_message_url
)
fill_link(MEMBER_LINKS, name="report", label=_("Report this member"), url=_report_member_url)
