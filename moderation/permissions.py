"""The staff powers behind moderation's actions (A-5), as "app.codename" of the roles'
permissions; `accounts.permissions.may_use_staff_power` checks them, superusers included."""

from __future__ import annotations

# Take, assign and decide cases of the queue (M-10): support agents and reviewers.
HANDLE_REPORT = "accounts.handle_report"
ISSUE_WARNING = "accounts.issue_warning"
RESTRICT_USER = "accounts.restrict_user"
BAN_USER = "accounts.ban_user"
DECIDE_REVIEW = "accounts.decide_review"
# M-12: appeals are decided by reviewers, the power over a sanction's outcome (never support
# agents, never the reviewer who decided the sanction).
DECIDE_APPEAL = DECIDE_REVIEW
# M-9: a review's end date, for reviewers only.
VIEW_REVIEW_DEADLINE = "accounts.view_review_deadline"
