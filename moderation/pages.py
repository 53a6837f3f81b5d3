"""Moderation's part of the call page (a panel in `calls.pages`): the report form (C-10)."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from calls.models import Call
from calls.pages import call_page_panel
from moderation.forms import ReportForm
from moderation.models import Report


def _report_panel(call: Call, reader: User) -> dict[str, Any] | None:
    return {
        "call": call,
        "form": ReportForm(),
        "reported": Report.objects.filter(call=call, reporter=reader).first(),
    }


call_page_panel("report", template="moderation/_report_call.html", context=_report_panel)
