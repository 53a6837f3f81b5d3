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
NOT_A_USER_TO_WARN = error_code(
    "not_warnable",
    status=403,
    message=_("Staff accounts and your own account cannot be warned, restricted or banned."),
)
ALREADY_BANNED = error_code(
    "already_banned", status=409, message=_("This account is already permanently banned.")
)
ALREADY_RESTRICTED = error_code(
    "already_restricted",
    status=409,
    message=_("This account is already restricted and under review."),
)
REVIEW_DECIDED = error_code(
    "review_decided", status=409, message=_("This review has already been decided.")
)
WARNING_TYPE_RETIRED = error_code(
    "warning_type_retired", status=400, message=_("This warning type can no longer be issued.")
)
EVIDENCE_UNRELATED = error_code(
    "evidence_unrelated",
    status=400,
    message=_(
        "The evidence must concern this member: a message they wrote, a call they took part "
        "in, or a report on such a call."
    ),
)
