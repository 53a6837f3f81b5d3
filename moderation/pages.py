"""Moderation's part of the call page (the `calls.pages.CALL_PAGE` slot): the report form
(C-10)."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from calls.models import Call
from calls.pages import CALL_PAGE
from core.slots import fill_slot
from moderation.forms import ReportForm
from moderation.models import Report


def _report_form(call: Call, reader: User) -> dict[str, Any]:
    return {
        "form": ReportForm(),
        "reported": Report.objects.filter(call=call, reporter=reader).first(),
    }


fill_slot(CALL_PAGE, name="report", template="moderation/_report_call.html", context=_report_form)
