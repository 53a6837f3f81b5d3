"""Reads of the notices: a user sees their own, nobody else's."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from core.models import Notification

# The header shows "99+" beyond this: counting stops there, so the cost of the count does not
# grow with the number of notices a user never read.
UNREAD_COUNT_CAP = 100


def notifications_of(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    notices = Notification.objects.filter(user=user)
    if unread_only:
        notices = notices.filter(read_at=None)
    return notices.order_by("-created_at", "-id")


def notification_for(user: Any, notification_id: object) -> Notification:
    return get_object_or_404(Notification.objects.filter(user=user), pk=notification_id)


def unread_count(user: Any) -> int:
    """Unread notices, up to UNREAD_COUNT_CAP; one index-only count on the partial index."""
    ids = Notification.objects.filter(user=user, read_at=None).values("pk")[:UNREAD_COUNT_CAP]
    return Notification.objects.filter(pk__in=ids).count()
