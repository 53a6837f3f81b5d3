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
    "already_reported",
    status=409,
    message=_("You have already reported this; support is looking into it."),
)
CANNOT_REPORT_SELF = error_code(
    "cannot_report_self", status=400, message=_("You cannot report yourself or your own messages.")
)
NOT_REPORTABLE = error_code(
    "not_reportable",
    status=400,
    message=_("System notices cannot be reported; report the message or the user instead."),
)
CASE_CLAIMED = error_code(
    "case_claimed",
    status=409,
    message=_("Another staff member is handling this case."),
)
CASE_RESOLVED = error_code(
    "case_resolved", status=409, message=_("This case has already been decided.")
)
CASE_HAS_NO_SUBJECT = error_code(
    "case_has_no_subject",
    status=400,
    message=_("Name the member this decision is about: one who took part in the call."),
)
NOT_A_HANDLER = error_code(
    "not_a_handler",
    status=400,
    message=_("Cases can only be assigned to staff members who handle reports."),
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
WARNING_TYPE_REQUIRED = error_code(
    "warning_type_required", status=400, message=_("Choose the type of the warning.")
)
ALREADY_APPEALED = error_code(
    "already_appealed", status=409, message=_("You have already appealed this decision.")
)
APPEAL_TOO_LATE = error_code(
    "appeal_too_late",
    status=400,
    message=_("The time to appeal this decision has passed."),
)
APPEAL_DECIDED = error_code(
    "appeal_decided", status=409, message=_("This appeal has already been decided.")
)
OWN_DECISION = error_code(
    "own_decision",
    status=403,
    message=_("An appeal is decided by a reviewer other than the one who took the decision."),
)
