"""Every write of moderation (STYLE: services for writes), one module per area: reports and
staff access to recordings (`reports`), flags from detection (`detection`), the queue of cases
(`cases`), warnings, restrictions and reviews (`sanctions`), bans and their money (`bans`), the
statements of reasons sent with them (`statements`) and appeals against them (`appeals`)."""

from moderation.services.appeals import decide_appeal, file_appeal, may_appeal, statement_of
from moderation.services.bans import (
    close_payout_windows,
    open_payout_windows,
    settle_ban,
    settle_bans,
)
from moderation.services.cases import (
    assign_case,
    release_expired_claims,
    resolve_case,
    review_next,
)
from moderation.services.reports import (
    ACCESS_RECORDING,
    RECORDING_LINK_SALT,
    Grounds,
    file_report,
    grounds_for,
    open_recording,
    recording_by_link,
    report_call,
)
from moderation.services.sanctions import (
    Evidence,
    Preview,
    ban_user,
    decide_review,
    end_overdue_reviews,
    issue_warning,
    preview_warning,
    restrict_user,
)

__all__ = [
    "ACCESS_RECORDING",
    "RECORDING_LINK_SALT",
    "Evidence",
    "Grounds",
    "Preview",
    "assign_case",
    "ban_user",
    "close_payout_windows",
    "decide_appeal",
    "decide_review",
    "end_overdue_reviews",
    "file_appeal",
    "file_report",
    "grounds_for",
    "issue_warning",
    "may_appeal",
    "open_payout_windows",
    "open_recording",
    "preview_warning",
    "recording_by_link",
    "release_expired_claims",
    "report_call",
    "resolve_case",
    "restrict_user",
    "review_next",
    "settle_ban",
    "settle_bans",
    "statement_of",
]
