"""Moderation's audit actions (the registry is `accounts.audit`): M-10, one entry per action."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.audit import audit_action

CALL_REPORTED = audit_action("moderation.call_reported", _("Call reported"))
RECORDING_OPENED = audit_action("moderation.recording_opened", _("Call recording opened by staff"))
WARNING_ISSUED = audit_action("moderation.warning_issued", _("Warning issued"))
RESTRICTED = audit_action("moderation.restricted", _("Account restricted (review opened)"))
REVIEW_DECIDED = audit_action("moderation.review_decided", _("Review decided"))
REVIEW_ENDED = audit_action(
    "moderation.review_ended", _("Overdue review ended with the default outcome")
)
BANNED = audit_action("moderation.banned", _("Account permanently banned"))
BAN_SETTLED = audit_action(
    "moderation.ban_settled", _("Ban carried out: orders cancelled, money refunded or held")
)
