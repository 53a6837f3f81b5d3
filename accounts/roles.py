"""Staff roles (A-5) as Django groups. The roles migration creates them with these permissions.

A support agent sees users, reports and warnings and issues warnings; they can neither decide a
review nor see its end date (M-9). A reviewer can do all of that and also restrict, ban, decide
reviews and access recordings of reported or flagged calls (C-12).
"""

from __future__ import annotations

SUPPORT_AGENT = "Support agent"
REVIEWER = "Trust & safety reviewer"

SUPPORT_AGENT_PERMISSIONS = [
    "accounts.view_user",
    "accounts.issue_warning",
    "accounts.handle_report",
]
# The marketplace as support sees it: read-only (migration marketplace 0002).
MARKETPLACE_VIEW_PERMISSIONS = [
    "marketplace.view_gig",
    "marketplace.view_order",
    "marketplace.view_conversation",
    "marketplace.view_message",
    "marketplace.view_ledgerentry",
    "marketplace.view_withdrawal",
    "marketplace.view_sellerstats",
    "marketplace.view_balancehold",
    "marketplace.view_cardrefund",
    "marketplace.view_ordernote",
    "core.view_notification",
]
# Calls as support sees them: metadata only, never a recording's content (migration calls 0002),
# the provider's host pool (0003) and its webhook log (0004).
CALLS_VIEW_PERMISSIONS = [
    "calls.view_call",
    "calls.view_participant",
    "calls.view_recording",
    "calls.view_hostday",
    "calls.view_providerevent",
]
# Reports and flags (migration moderation 0002), warnings, reviews and bans (0005), cases
# (0007), statements of reasons and appeals (0008).
MODERATION_VIEW_PERMISSIONS = [
    "moderation.view_report",
    "moderation.view_flag",
    "moderation.view_case",
    "moderation.view_statement",
    "moderation.view_appeal",
    "moderation.view_userwarning",
    "moderation.view_review",
    "moderation.view_ban",
    "moderation.view_warningtype",
]
REVIEWER_PERMISSIONS = [
    *SUPPORT_AGENT_PERMISSIONS,
    "accounts.restrict_user",
    "accounts.ban_user",
    "accounts.decide_review",
    "accounts.view_review_deadline",
    "accounts.access_call_recording",
    "accounts.view_auditentry",
    # Cancel anyone's active or delivered order, refunding the buyer (a sanction's clean-up).
    "marketplace.cancel_any_order",
    # M-1: the warning types beyond C-9's (migration moderation 0005).
    "moderation.add_warningtype",
    "moderation.change_warningtype",
]

VIEW_PERMISSIONS = [
    *MARKETPLACE_VIEW_PERMISSIONS,
    *CALLS_VIEW_PERMISSIONS,
    *MODERATION_VIEW_PERMISSIONS,
]
ROLES: dict[str, list[str]] = {
    SUPPORT_AGENT: [*SUPPORT_AGENT_PERMISSIONS, *VIEW_PERMISSIONS],
    REVIEWER: [*REVIEWER_PERMISSIONS, *VIEW_PERMISSIONS],
}
