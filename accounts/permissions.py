"""The one place that answers what a user's standing (A-4) allows.

Everything else — the login backend, the API's token authentication, and later the marketplace
gates, calls and moderation — asks these predicates instead of comparing `standing` itself.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from accounts.models import Standing


def may_log_in(user: Any) -> bool:
    """Sessions, tokens and logins all end here: a banned or deactivated account gets nothing."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.standing != Standing.BANNED
    )


def is_restricted(user: Any) -> bool:
    """Restricted (under review, M-3): may log in, but only finish what is already under way."""
    return may_log_in(user) and user.standing == Standing.RESTRICTED


def is_in_good_standing(user: Any) -> bool:
    """May do everything a user of their kind may do: log in and start anything new."""
    return may_log_in(user) and user.standing == Standing.ACTIVE


def in_good_standing_q(prefix: str = "") -> Q:
    """`is_in_good_standing` as a query filter, for lists that must hide restricted users' things
    (K-1: a restricted or banned seller's gigs are hidden everywhere). `prefix` is the path to
    the user, e.g. "seller__"."""
    return Q(**{f"{prefix}is_active": True, f"{prefix}standing": Standing.ACTIVE})
