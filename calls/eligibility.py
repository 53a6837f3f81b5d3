"""May this user start a call with that one? (C-1, C-3, C-4) — one function over the figures the
marketplace already keeps (`SellerStats`: the eligibility ASP from base prices only, the last
non-cancelled order), so the answer costs the same few queries whatever the seller's history.

The answer is a `Decision`: every reason that applies, as declared codes, and the figures behind
them. The figures are the caller's own (their ASP, the threshold, their last order and the day
their recent-order condition lapses): the answer is always about the user asking, so a buyer
asking about a seller learns only that buyers cannot start calls.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.errors import ACCOUNT_BANNED, ACCOUNT_RESTRICTED
from accounts.models import BuyerTier, SellerLevel, User
from accounts.permissions import is_restricted, may_log_in
from calls.errors import (
    ASP_BELOW_THRESHOLD,
    CALLEE_UNAVAILABLE,
    NO_LEVEL,
    NO_RECENT_ORDER,
    NOT_SELLER,
    SELF_CALL,
)
from core import clock, formatting
from core.decisions import Decision
from marketplace import money
from marketplace.models import Gig, SellerStats
from marketplace.selectors import has_open_order_between

# CALLS_POLICY's other value is "criteria", the default.
ALL_SELLERS = "all_sellers"
PREMIUM_TIERS = (BuyerTier.PRO, BuyerTier.SELECT)


def threshold() -> Decimal:
    return money.to_decimal(settings.CALLS_MIN_ASP_CENTS)


def may_start_call(caller: User, other: User, *, now: datetime | None = None) -> Decision:
    """C-3. Only sellers start calls; any seller may call a Pro or Select buyer; otherwise the
    policy decides (`criteria`: a level, an eligibility ASP of at least the threshold and an
    order placed within the recent-order window; `all_sellers`: every seller). A restricted
    seller may call only the other party of an active order; a banned user never."""
    if not may_log_in(caller):
        return Decision.deny(ACCOUNT_BANNED)
    if caller.pk == other.pk:
        return Decision.deny(SELF_CALL)
    if not Gig.objects.filter(seller=caller).exists():
        return Decision.deny(NOT_SELLER)
    if not may_log_in(other):
        return Decision.deny(CALLEE_UNAVAILABLE)
    if (is_restricted(caller) or is_restricted(other)) and not has_open_order_between(
        caller, other
    ):
        if is_restricted(caller):
            return Decision.deny(
                ACCOUNT_RESTRICTED,
                message=_(
                    "While your account is under review you can only call the other party "
                    "of an active order."
                ),
            )
        return Decision.deny(CALLEE_UNAVAILABLE)
    if other.buyer_tier in PREMIUM_TIERS:
        return Decision.allow(**figures_of(caller, now=now or clock.now()), premium_buyer=True)
    return _criteria(caller, now=now or clock.now())


def may_start_calls(seller: User, *, now: datetime | None = None) -> Decision | None:
    """The policy's criteria for `seller` with no buyer in mind (the earnings page says where
    they stand); None for someone who sells nothing."""
    if not Gig.objects.filter(seller=seller).exists():
        return None
    return _criteria(seller, now=now or clock.now())


def _criteria(caller: User, *, now: datetime) -> Decision:
    figures = figures_of(caller, now=now)
    if settings.CALLS_POLICY == ALL_SELLERS:
        return Decision.allow(**figures)
    reasons = []
    if caller.seller_level == SellerLevel.NEW:
        reasons.append(NO_LEVEL)
    if figures["eligibility_asp"] is None or figures["eligibility_asp"] < figures["threshold"]:
        reasons.append(ASP_BELOW_THRESHOLD)
    if figures["recent_order_until"] is None or figures["recent_order_until"] < figures["now"]:
        reasons.append(NO_RECENT_ORDER)
    if reasons:
        return Decision.deny(*reasons, **figures)
    return Decision.allow(**figures)


def figures_of(seller: User, *, now: datetime) -> dict[str, Any]:
    """The numbers behind C-3 for `seller` (one row, `SellerStats`)."""
    stats = SellerStats.objects.filter(seller=seller).first() or SellerStats(seller=seller)
    window = timedelta(days=settings.CALLS_RECENT_ORDER_DAYS)
    return {
        "policy": settings.CALLS_POLICY,
        "eligibility_asp": money.average(stats.completed_base_cents, stats.completed_orders),
        "threshold": threshold(),
        "last_order_at": stats.last_order_at,
        # The last moment the recent-order condition still holds.
        "recent_order_until": stats.last_order_at + window if stats.last_order_at else None,
        "recent_order_days": settings.CALLS_RECENT_ORDER_DAYS,
        "now": now,
    }


def explain(decision: Decision, *, other: User | None = None) -> list[str]:
    """The answer in words for the user it is about, in the active language: why they can or
    cannot call, with their own figures (the earnings page and the call button say this)."""
    figures = decision.figures
    # Refusals before the criteria (not a seller, banned, …) carry no figures and use none.
    limits = {
        "asp": formatting.money(figures.get("eligibility_asp")),
        "threshold": formatting.money(figures.get("threshold")),
        "days": figures.get("recent_order_days"),
        "last": formatting.day(figures.get("last_order_at")),
        "until": formatting.day(figures.get("recent_order_until")),
    }
    if decision.allowed:
        if figures.get("premium_buyer") and other is not None:
            return [
                _("%(name)s is a premium buyer: any seller may call them.")
                % {"name": other.display_name}
            ]
        if figures.get("policy") == ALL_SELLERS:
            return [_("Every seller can start calls.")]
        return [
            _(
                "You can start calls: your average selling price (base prices only) is "
                "%(asp)s, at least %(threshold)s, and your last order on %(last)s keeps this "
                "until %(until)s."
            )
            % limits
        ]
    lines = []
    for reason in decision.reasons:
        if reason is ASP_BELOW_THRESHOLD:
            lines.append(
                _(
                    "Your average selling price for calls is %(asp)s; %(threshold)s is needed "
                    "— tips and extras don't count."
                )
                % limits
                if figures["eligibility_asp"] is not None
                else _(
                    "You have no completed orders yet; calls need an average selling price of "
                    "%(threshold)s (base prices only — tips and extras don't count)."
                )
                % limits
            )
        elif reason is NO_RECENT_ORDER:
            lines.append(
                _(
                    "Your last order was placed on %(last)s; calls need one placed within the "
                    "last %(days)s days."
                )
                % limits
                if figures["last_order_at"] is not None
                else _("Calls need an order placed with you within the last %(days)s days.")
                % limits
            )
        elif reason is NO_LEVEL:
            lines.append(_("Calls need a seller level (Level 1 or higher); you are a new seller."))
        elif reason is NOT_SELLER:
            lines.append(_("Only sellers can start a call; the seller can call you."))
        else:
            lines.append(decision.reason if reason is decision.reasons[0] else str(reason.message))
    return lines
