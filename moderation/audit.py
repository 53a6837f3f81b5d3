"""Moderation's audit actions (the registry is `accounts.audit`): M-10, one entry per action."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.audit import audit_action

CALL_REPORTED = audit_action("moderation.call_reported", _("Call reported"))
MESSAGE_REPORTED = audit_action("moderation.message_reported", _("Message reported"))
USER_REPORTED = audit_action("moderation.user_reported", _("User reported"))
CASE_CLAIMED = audit_action("moderation.case_claimed", _("Case taken for review"))
CASE_ASSIGNED = audit_action("moderation.case_assigned", _("Case assigned"))
CASE_RELEASED = audit_action("moderation.case_released", _("Case returned to the queue"))
CASE_RESOLVED = audit_action("moderation.case_resolved", _("Case decided"))
RECORDING_OPENED = audit_action("moderation.recording_opened", _("Call recording opened by staff"))
WARNING_ISSUED = audit_action("moderation.warning_issued", _("Warning issued"))
RESTRICTED = audit_action("moderation.restricted", _("Account restricted (review opened)"))
REVIEW_DECIDED = audit_action("moderation.review_decided", _("Review decided"))
REVIEW_ENDED = audit_action(
    "moderation.review_ended", _("Overdue review ended with the default outcome")
)
BANNED = audit_action("moderation.banned", _("Account permanently banned"))
BAN_LIFTED = audit_action("moderation.ban_lifted", _("Ban lifted on appeal"))
APPEAL_FILED = audit_action("moderation.appeal_filed", _("Appeal filed"))
APPEAL_DECIDED = audit_action("moderation.appeal_decided", _("Appeal decided"))
BAN_SETTLED = audit_action(
    "moderation.ban_settled", _("Ban carried out: orders cancelled, money refunded or held")
)
