"""Moderation's error codes (the registry is `core.errors`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.errors import error_code

NO_REPORT_OR_FLAG = error_code(
    "no_report_or_flag",
    status=403,
    message=_("Recordings are opened only for calls that were reported or flagged."),
)
ALREADY_REPORTED = error_code(
    "already_reported", status=409, message=_("You have already reported this call.")
)
