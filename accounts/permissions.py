"""The one place that answers what a user's standing (A-4) allows.

Everything else — the login backend, the API's token authentication, and later the marketplace
gates, calls and moderation — asks these predicates instead of comparing `standing` itself.
Staff powers that must bind superusers too are answered here as well (`may_use_staff_power`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from django.db.models import Q

from accounts.errors import STAFF_POWER_REQUIRED
from accounts.models import Standing
from core.decisions import Decision
from core.errors import ErrorCode


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


def staff_powers(user: Any) -> frozenset[str]:
    """The permissions `user` holds through their staff roles (groups), as "app.codename" —
    for a superuser too: unlike `has_perm`, being a superuser grants nothing here. Cached on
    the user object for the request, like Django's own permission cache."""
    if not (may_log_in(user) and user.is_staff):
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_staff_powers", None)
    if cached is None:
        rows = Permission.objects.filter(group__user=user).values_list(
            "content_type__app_label", "codename"
        )
        cached = frozenset(f"{app}.{codename}" for app, codename in rows)
        user._staff_powers = cached
    return cached


def may_use_staff_power(
    user: Any, permission: str, *, condition: bool, otherwise: ErrorCode
) -> Decision:
    """A staff power that binds superusers too (C-12: a recording only when the call was
    reported or flagged, only with the reviewer's permission). Allowed only when the user holds
    `permission` through a staff role AND `condition` holds; `otherwise` names what is missing
    when the condition does not hold. Never decided by `has_perm` alone, which is always true
    for a superuser."""
    if permission not in staff_powers(user):
        return Decision.deny(STAFF_POWER_REQUIRED)
    if not condition:
        return Decision.deny(otherwise)
    return Decision.allow()
