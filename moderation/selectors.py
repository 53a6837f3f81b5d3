"""Moderation's reads: what a member sees of their own standing and warnings (M-8, never a
review's deadline — M-9), and what staff see of reviews (the deadline for reviewers only)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.permissions import staff_powers
from marketplace import selectors as money
from marketplace.models import Order
from moderation.models import Review, ReviewStatus, UserWarning
from moderation.permissions import VIEW_REVIEW_DEADLINE

VIEW_REVIEWS = "moderation.view_review"


def warnings_of(user: User) -> QuerySet[UserWarning]:
    """The user's own warnings, newest first, with their types (one query)."""
    return UserWarning.objects.filter(user=user).select_related("type").order_by("-issued_at")


def open_review_of(user: User) -> Review | None:
    return Review.objects.filter(user=user, status=ReviewStatus.OPEN).first()


def may_see_deadline(staff: User) -> bool:
    """M-9: reviewers see a review's end date; support agents (and superusers without the
    reviewer's role) do not."""
    return VIEW_REVIEW_DEADLINE in staff_powers(staff)


def reviews_for(staff: User) -> QuerySet[Review]:
    """Every review, for staff whose role lets them see reviews; anyone else gets 404."""
    if VIEW_REVIEWS not in staff_powers(staff):
        raise Http404
    return Review.objects.select_related("user", "opened_by", "decided_by").order_by(
        "-opened_at", "-id"
    )


def review_for(staff: User, review_id: uuid.UUID | str) -> Review:
    try:
        return reviews_for(staff).get(pk=review_id)
    except (Review.DoesNotExist, ValueError) as error:
        raise Http404 from error


def review_days() -> int:
    return int(settings.REVIEW_DAYS)


@dataclass(frozen=True)
class BanConsequences:
    """What a ban of this member would set off (M-7), for the confirmation page."""

    open_orders: int
    credit_cents: int
    holdable_cents: int
    hold_days: int


def ban_consequences(user: User) -> BanConsequences:
    balances = money.balances(user)
    open_orders = Order.objects.filter(
        Q(seller=user) | Q(buyer=user), status__in=Order.OPEN_STATUSES
    ).count()
    return BanConsequences(
        open_orders=open_orders,
        credit_cents=balances.credit_cents,
        holdable_cents=balances.available_cents + balances.pending_cents,
        hold_days=settings.BAN_HOLD_DAYS,
    )
