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
    "core.view_notification",
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
]

ROLES: dict[str, list[str]] = {
    SUPPORT_AGENT: [*SUPPORT_AGENT_PERMISSIONS, *MARKETPLACE_VIEW_PERMISSIONS],
    REVIEWER: [*REVIEWER_PERMISSIONS, *MARKETPLACE_VIEW_PERMISSIONS],
}
