from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest

from core import selectors


class UnreadNotices:
    """The header's unread badge, counted only when a page actually shows it."""

    def __init__(self, user: Any) -> None:
        self.user = user

    @cached_property
    def count(self) -> int:
        return selectors.unread_count(self.user)

    def __str__(self) -> str:
        return (
            f"{selectors.UNREAD_COUNT_CAP - 1}+"
            if self.count >= selectors.UNREAD_COUNT_CAP
            else str(self.count)
        )


def notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notices": UnreadNotices(user)}
